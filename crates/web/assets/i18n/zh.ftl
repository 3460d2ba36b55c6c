## The frame
skip-to-content = 跳到正文
nav-label = 主导航
nav-companies = 公司
nav-people = 联系人
nav-admin = 管理
nav-notifications = 通知
search-label = 搜索公司
search-placeholder = 名称、编号、地区或 stage=mature
search-button = 搜索
menu-change-password = 修改密码
menu-sign-out = 退出
language-label = 语言
language-apply = 应用

## Errors
error-title = 出错了
error-not-found = 这里没有内容，或者您无权查看。
error-forbidden = 您的角色不允许此操作。
error-bad-request = 无法理解此地址或表单。
error-invalid = 有些值无效。
error-sign-in = 请先登录。
error-conflict = 这与现有记录冲突。
error-stale = 其他人在此期间修改了这条记录。
error-too-many = 失败次数过多。请等几分钟后再试。
error-internal = 服务器出错。错误已记录，请稍后再试。
error-form-expired = 此表单已过期或并非来自本站。请返回、刷新页面后重试。
error-not-a-form = 此地址只接受本站页面提交的表单。
error-too-large = 表单过大。
error-back-to-companies = 返回公司列表
error-to-sign-in = 前往登录
form-has-errors = { $count ->
   *[other] 有 { $count } 个字段需要处理。
}

## Signing in
login-title = 登录
login-button = 登录
login-wrong = 用户名或密码错误。
login-too-many = 登录失败次数过多。请等几分钟后再试。
login-signed-out = 您已退出。
login-no-users = Rapport 还没有用户。请打开“rapport serve”输出的设置链接，或用“rapport user create”创建用户。
field-login = 用户名
field-password = 密码
field-your-name = 您的姓名
field-email = 电子邮件
field-new-password = 新密码
field-password-confirm = 再次输入新密码
field-current-password = 当前密码
setup-title = 设置 Rapport
setup-intro = 创建第一个管理员。其他用户可以稍后添加。
setup-button = 创建并登录
setup-bad-link = 此设置链接无效。请使用“rapport serve”输出的链接。
password-title = 修改密码
password-button = 修改密码
password-changed = 密码已修改。您的其他会话已退出。
password-mismatch = 两次输入的密码不一致。

## Messages for invalid input, by code
invalid-required = 必填。
invalid-too_long = 过长。
invalid-invalid_text = 包含不允许的字符。
invalid-invalid_email = 不是有效的电子邮件地址。
invalid-invalid_phone = 不是有效的电话号码。
invalid-invalid_url = 不是网址。
invalid-invalid_choice = 不是可选的值之一。
invalid-invalid_login = 用户名为 2 到 64 个字母、数字或 . _ @ -
invalid-taken = 其他用户已使用此用户名。
invalid-too_short = 密码至少需要 10 个字符。
invalid-wrong_password = 这不是您当前的密码。
invalid-invalid_date = 不是有效的日期（YYYY-MM-DD）。
invalid-invalid_country = 不是国家代码，例如 PL 或 BG。
invalid-not_allowed = 您不能把记录交给此用户。
invalid-read_only = 您的角色不能修改此字段。

## Months, for dates
month-1 = 1月
month-2 = 2月
month-3 = 3月
month-4 = 4月
month-5 = 5月
month-6 = 6月
month-7 = 7月
month-8 = 8月
month-9 = 9月
month-10 = 10月
month-11 = 11月
month-12 = 12月

## Lists
companies-title = 公司
companies-new = 新建公司
companies-empty = 还没有公司。
companies-none-found = 没有符合这些筛选条件的公司。
people-title = 联系人
people-new = 新建联系人
people-empty = 还没有联系人。
people-none-found = 没有符合这些筛选条件的联系人。
filters-label = 筛选
filters-apply = 应用筛选
filters-clear = 清除筛选
filter-search = 搜索
filter-any = 全部
filter-owner-me = 我
filter-category = 分类
filter-archived = 已归档
filter-archived-no = 未归档
filter-archived-only = 仅已归档
filter-archived-any = 不限
column-code = 编号
column-name = 名称
column-type = 类型
column-status = 状态
column-level = 等级
column-stage = 阶段
column-area = 地区
column-owner = 负责人
column-contact = 联系方式
column-updated = 最近修改
badge-archived = 已归档
pager-label = 分页
pager-first = 第一页
pager-previous = 上一页
pager-next = 下一页

## Fixed values
type-customer = 客户
type-prospect = 潜在客户
type-partner = 合作伙伴
type-supplier = 供应商
type-distributor = 经销商
type-bank = 银行
type-authority = 政府机构
type-competitor = 竞争对手
type-other = 其他
status-active = 活跃
status-inactive = 不活跃
status-suspended = 已暂停
contact-email = 电子邮件
contact-phone = 电话
contact-mobile = 手机
contact-fax = 传真
contact-web = 网站
contact-messenger = 即时通讯
contact-primary = 主要
purpose-billing = 开票地址
purpose-delivery = 收货地址
purpose-office = 办公地址
purpose-postal = 邮寄地址
value-yes = 是
value-no = 否

## The card
card-edit = 编辑
card-add-person = 添加联系人
card-main-email = 电子邮件
card-main-phone = 电话
panel-people = 联系人
panel-employments = 任职于
panel-contacts = 联系方式
panel-addresses = 地址
panel-attributes = 属性
panel-categories = 分类
panel-custom = 自定义字段
panel-history = 历史记录
panel-empty = 暂无内容。
history-system = 系统
history-removed = （已删除）
history-action-create = 创建
history-action-update = 修改
history-action-archive = 归档
history-action-unarchive = 恢复
history-action-delete = 删除

## Forms
form-save = 保存
form-cancel = 取消
form-conflict = 在您编辑期间，其他人保存了这条记录。您的修改尚未保存，仍在下面的表单中。
form-conflict-reload = 打开当前版本（您在此处的修改将丢失）
form-saved = 已保存。
form-new-company = 新建公司
form-edit-company = 编辑 { $name }
form-new-person = 新建联系人
form-edit-person = 编辑 { $name }
form-contacts = 联系方式
form-addresses = 地址
form-employments = 任职于
form-rows-hint = 空行会被跳过；清空一行即可删除。
field-name = 名称
field-legal_name = 法定名称
field-tax_id = 税号
field-type = 类型
field-status = 状态
field-level = 等级
field-stage = 阶段
field-area = 地区
field-website = 网站
field-industry = 行业
field-size = 规模
field-source = 来源
field-description = 描述
field-background = 背景
field-given_name = 名
field-family_name = 姓
field-title = 称谓
field-birth_date = 出生日期
field-language = 语言
field-owner_id = 负责人
field-security_level = 保密级别
field-parent_id = 上级公司
field-contact_methods = 联系方式
field-addresses = 地址
field-employments = 任职于
field-attributes = 属性
field-custom = 自定义字段
field-categories = 分类
field-contact-kind = 类型
field-contact-value = 内容
field-contact-label = 标签
field-purpose = 用途
field-line1 = 街道
field-line2 = 街道（第二行）
field-city = 城市
field-region = 省/州
field-postcode = 邮政编码
field-country = 国家（PL、BG……）
field-company = 公司
field-position = 职位
field-department = 部门
field-none = （无）

## Notifications and administration
notifications-title = 通知
notifications-empty = 没有通知。
notifications-mark-read = 标为已读
notifications-open = 打开
admin-users-title = 用户
column-login = 用户名
column-email = 电子邮件
column-role = 角色
column-disabled = 已停用

## Arranging the card
card-arrange = 调整面板
arrange-title-company = 公司卡片的面板
arrange-title-person = 联系人卡片的面板
arrange-intro = 选择您的卡片显示哪些面板以及它们的顺序。此设置只属于您，并保存在您的账户中。
arrange-up = 将“{ $panel }”上移
arrange-down = 将“{ $panel }”下移
arrange-save = 保存并返回
list-arrange-columns = 列
arrange-title-companies = 公司列表的列
arrange-title-people = 联系人列表的列
arrange-intro-columns = 选择列表显示哪些列以及显示顺序。名称始终显示。此选择仅对您有效，并保存在您的账户中。
column-city = 城市
column-created = 创建时间
filter-attribute-key = 属性
filter-attribute-value = 属性值
list-count = 共 { $count } 条记录
list-count-at-least = 超过 { $count } 条记录

## Acting on selected rows
bulk-label = 对所选行
bulk-action = 操作
bulk-archive = 归档
bulk-unarchive = 从归档中恢复
bulk-owner = 交给新负责人
bulk-new-owner = 新负责人
bulk-apply = 应用于所选
bulk-select-column = 选择
bulk-select = 选择“{ $name }”
bulk-done = { $count ->
   *[other] 已修改 { $count } 条记录。
}
bulk-refused = { $count ->
   *[other] 有 { $count } 条未修改：您无权修改。
}

## Administration
admin-user-new = 新建用户
admin-user-create = 创建用户
admin-user-created = 用户 { $login } 已创建。
admin-user-password = 其密码仅显示这一次，请安全地转交：
admin-team = 团队
admin-password-hint = 密码留空将生成一个强密码，并只显示一次。
admin-record = 记录
admin-record-company = 公司
admin-record-person = 联系人
admin-field-label = 标签
admin-field-key = 键
admin-field-required = 必填
admin-field-choices = 可选值
admin-values = 值

## Forms, continued
form-attributes = 属性（每行一个 键=值）
bulk-category = 加入下面的分类
bulk-new-category = 分类

# admin screens
admin-fields-title = 自定义字段
admin-categories-title = 分类、级别和阶段
admin-done-user-saved = 用户已保存。
admin-done-field-created = 自定义字段已创建。
admin-done-field-saved = 自定义字段已保存。
admin-done-kind-created = 分类类型已创建。请在下方添加其值。
admin-done-kind-saved = 分类类型已保存。
admin-done-kind-deleted = 分类类型已删除。
admin-done-value-added = 值已添加。
admin-done-value-saved = 值已重命名。
admin-done-value-deleted = 值已删除。
admin-user-edit = 用户 { $login }
admin-user-own-hint = 您自己的角色、团队和权限由其他管理员修改。
admin-user-disabled = 已停用：无法登录
admin-user-disabled-hint = 停用的用户保留其记录和历史，但不能再登录。
admin-password-own = 在您的账户页面修改自己的密码
admin-password-reset = 生成新密码
admin-password-reset-hint = 将生成一个新的强密码并仅显示一次。旧密码随即失效，该用户已打开的会话将被结束。
admin-password-reset-done = { $login } 已有新密码。
admin-fields-intro = 公司和联系人在内置字段之外拥有的带类型字段。
admin-fields-of-company = 公司字段
admin-fields-of-person = 联系人字段
admin-field-new-company = 新建公司字段
admin-field-new-person = 新建联系人字段
admin-fields-none = 还没有自定义字段。
admin-type-text = 文本
admin-type-number = 数字
admin-type-money = 金额
admin-type-date = 日期
admin-type-choice = 单选
admin-type-multi_choice = 多选
admin-type-boolean = 是或否
admin-type-link = 指向记录的链接
admin-field-new = 新建自定义字段
admin-field-edit = 编辑字段 { $label }
admin-field-key-hint = 小写字母、数字和 _，以字母开头。以后不能更改。
admin-field-fixed-hint = 一旦可能已有值，记录类型、键和类型就不能更改；请改为添加新字段。
admin-field-required-label = 必填：每条记录都必须有值
admin-field-choices-hint = 每行一个选项。仅用于单选和多选字段。
admin-field-currency = 货币
admin-field-currency-hint = 用于金额字段：默认货币，例如 EUR 或 CNY。
admin-field-target = 指向
admin-field-target-hint = 用于链接字段：该字段指向的记录类型。
admin-position = 位置
admin-position-hint = 字段按位置从小到大显示。
admin-field-create = 创建字段
admin-categories-intro = 分类类型及其值。客户级别和关系阶段是内置的：可以修改它们的值，列表本身保留。
admin-built-in = 内置
admin-kind-new = 新建分类类型
admin-kind-key-hint = 字母、数字、_ 或 -。以后不能更改。
admin-kind-multiple = 一条记录可以有此类型的多个值
admin-kind-create = 创建类型
admin-categories-back = ← 全部分类
admin-refused = 未执行：
admin-kind-rename = 名称和用法
admin-kind-system-hint = 内置列表：可以重命名并修改其值，但不能删除。
admin-kind-delete-hint = 只要有记录使用其中任何一个值，删除就会被拒绝。
admin-kind-delete = 删除此类型
admin-value-new = 新建值
admin-value-key-hint = 字母、数字、_ 或 -。记录中保存的是键，因此以后不能更改。
admin-value-add = 添加值
admin-values-none = 还没有值。
admin-value-name-of = { $key } 的名称
admin-value-rename = 重命名
admin-value-delete = 删除
admin-value-delete-named = 删除 { $name }
invalid-not_a_number = 不是整数。
invalid-unknown_team = 没有这个团队。
invalid-invalid_currency = 不是货币代码，例如 EUR。
invalid-invalid_key = 键无效。
invalid-field-invalid_key = 小写字母、数字和 _，以字母开头。
invalid-field-taken = 此记录类型的另一个字段已使用此键。
invalid-field-duplicate = 此选项列出了两次。
invalid-category-invalid_key = 1 到 64 个字母、数字、_ 或 -。
invalid-category-taken = 此键已被使用。
