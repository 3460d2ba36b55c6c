## The frame
skip-to-content = Към съдържанието
nav-label = Основна навигация
nav-companies = Фирми
nav-people = Хора
nav-admin = Администрация
nav-notifications = Известия
search-label = Търсене на фирми
search-placeholder = Име, код, район или stage=mature
search-button = Търси
menu-change-password = Смяна на паролата
menu-sign-out = Изход
language-label = Език
language-apply = Приложи

## Errors
error-title = Нещо се обърка
error-not-found = Тук няма нищо или нямате право да го видите.
error-forbidden = Вашата роля не позволява това.
error-bad-request = Този адрес или формуляр не е разбран.
error-invalid = Някои стойности не са валидни.
error-sign-in = Моля, първо влезте.
error-conflict = Това се сблъсква със съществуващ запис.
error-stale = Някой друг промени този запис междувременно.
error-too-many = Твърде много неуспешни опити. Изчакайте няколко минути и опитайте отново.
error-internal = Сървърът се провали. Грешката е записана; опитайте отново по-късно.
error-form-expired = Този формуляр е изтекъл или не идва от този сайт. Върнете се, презаредете страницата и опитайте отново.
error-not-a-form = Този адрес приема само формуляри от собствените си страници.
error-too-large = Формулярът е твърде голям.
error-back-to-companies = Обратно към фирмите
error-to-sign-in = Към входа
form-has-errors = { $count ->
    [one] Едно поле изисква внимание.
   *[other] { $count } полета изискват внимание.
}

## Signing in
login-title = Вход
login-button = Влез
login-wrong = Потребителското име или паролата са грешни.
login-too-many = Твърде много неуспешни опити за вход. Изчакайте няколко минути и опитайте отново.
login-signed-out = Излязохте.
login-no-users = Rapport още няма потребители. Отворете връзката за настройка, която „rapport serve“ отпечата, или създайте потребител с „rapport user create“.
field-login = Потребителско име
field-password = Парола
field-your-name = Вашето име
field-email = Имейл
field-new-password = Нова парола
field-password-confirm = Повторете новата парола
field-current-password = Текуща парола
setup-title = Настройка на Rapport
setup-intro = Създайте първия администратор. Другите потребители можете да добавите след това.
setup-button = Създай и влез
setup-bad-link = Тази връзка за настройка не е валидна. Използвайте връзката, която „rapport serve“ отпечата.
password-title = Смяна на паролата
password-button = Смени паролата
password-changed = Паролата е сменена. Другите ви сесии са прекратени.
password-mismatch = Двете пароли не съвпадат.

## Messages for invalid input, by code
invalid-required = Задължително.
invalid-too_long = Твърде дълго.
invalid-invalid_text = Съдържа непозволени знаци.
invalid-invalid_email = Невалиден имейл адрес.
invalid-invalid_phone = Невалиден телефонен номер.
invalid-invalid_url = Не е уеб адрес.
invalid-invalid_choice = Не е от възможните стойности.
invalid-invalid_login = Потребителското име е от 2 до 64 букви, цифри или . _ @ -
invalid-taken = Друг потребител има това потребителско име.
invalid-too_short = Паролата трябва да е поне 10 знака.
invalid-wrong_password = Това не е текущата ви парола.
invalid-invalid_date = Невалидна дата (ГГГГ-ММ-ДД).
invalid-invalid_country = Не е код на държава като PL или BG.
invalid-not_allowed = Не можете да давате записи на този потребител.
invalid-read_only = Вашата роля не може да променя това поле.

## Months, for dates
month-1 = яну
month-2 = фев
month-3 = мар
month-4 = апр
month-5 = май
month-6 = юни
month-7 = юли
month-8 = авг
month-9 = сеп
month-10 = окт
month-11 = ное
month-12 = дек

## Lists
companies-title = Фирми
companies-new = Нова фирма
companies-empty = Няма фирми засега.
companies-none-found = Няма фирма, която да отговаря на тези филтри.
people-title = Хора
people-new = Нов човек
people-empty = Няма хора засега.
people-none-found = Няма човек, който да отговаря на тези филтри.
filters-label = Филтри
filters-apply = Приложи филтрите
filters-clear = Изчисти филтрите
filter-search = Търсене
filter-any = Всички
filter-owner-me = Аз
filter-category = Категория
filter-archived = Архивирани
filter-archived-no = Неархивирани
filter-archived-only = Само архивирани
filter-archived-any = Архивирани или не
column-code = Код
column-name = Име
column-type = Вид
column-status = Състояние
column-level = Ниво
column-stage = Етап
column-area = Район
column-owner = Отговорник
column-contact = Контакт
column-updated = Последна промяна
badge-archived = Архивирана
pager-label = Страници
pager-first = Първа страница
pager-previous = Предишна
pager-next = Следваща

## Fixed values
type-customer = Клиент
type-prospect = Потенциален клиент
type-partner = Партньор
type-supplier = Доставчик
type-distributor = Дистрибутор
type-bank = Банка
type-authority = Институция
type-competitor = Конкурент
type-other = Друго
status-active = Активна
status-inactive = Неактивна
status-suspended = Спряна
contact-email = Имейл
contact-phone = Телефон
contact-mobile = Мобилен
contact-fax = Факс
contact-web = Уеб
contact-messenger = Месинджър
contact-primary = основен
purpose-billing = За фактури
purpose-delivery = За доставка
purpose-office = Офис
purpose-postal = Пощенски
value-yes = Да
value-no = Не

## The card
card-edit = Редактирай
card-add-person = Добави човек
card-main-email = Имейл
card-main-phone = Телефон
panel-people = Хора
panel-employments = Работи в
panel-contacts = Начини за контакт
panel-addresses = Адреси
panel-attributes = Атрибути
panel-categories = Категории
panel-custom = Допълнителни полета
panel-history = История
panel-empty = Все още нищо.
history-system = системата
history-removed = (премахнато)
history-action-create = създаде
history-action-update = промени
history-action-archive = архивира
history-action-unarchive = възстанови
history-action-delete = изтри

## Forms
form-save = Запази
form-cancel = Отказ
form-conflict = Някой друг запази този запис, докато го редактирахте. Промените ви още не са запазени; те са във формуляра по-долу.
form-conflict-reload = Отвори текущата версия (промените ви тук ще се изгубят)
form-saved = Запазено.
form-new-company = Нова фирма
form-edit-company = Редактиране на { $name }
form-new-person = Нов човек
form-edit-person = Редактиране на { $name }
form-contacts = Начини за контакт
form-addresses = Адреси
form-employments = Работи в
form-rows-hint = Оставете ред празен, за да го пропуснете; изпразнете ред, за да го премахнете.
field-name = Име
field-legal_name = Юридическо име
field-tax_id = ЕИК / ДДС номер
field-type = Вид
field-status = Състояние
field-level = Ниво
field-stage = Етап
field-area = Район
field-website = Уебсайт
field-industry = Отрасъл
field-size = Размер
field-source = Източник
field-description = Описание
field-background = История на отношенията
field-given_name = Собствено име
field-family_name = Фамилия
field-title = Обръщение
field-birth_date = Дата на раждане
field-language = Език
field-owner_id = Отговорник
field-security_level = Ниво на поверителност
field-parent_id = Фирма майка
field-contact_methods = Начини за контакт
field-addresses = Адреси
field-employments = Работи в
field-attributes = Атрибути
field-custom = Допълнителни полета
field-categories = Категории
field-contact-kind = Вид
field-contact-value = Стойност
field-contact-label = Етикет
field-purpose = Предназначение
field-line1 = Улица
field-line2 = Улица, втори ред
field-city = Град
field-region = Област
field-postcode = Пощенски код
field-country = Държава (PL, BG, …)
field-company = Фирма
field-position = Длъжност
field-department = Отдел
field-none = (няма)

## Notifications and administration
notifications-title = Известия
notifications-empty = Няма известия.
notifications-mark-read = Отбележи като прочетено
notifications-open = Отвори
admin-users-title = Потребители
column-login = Потребителско име
column-email = Имейл
column-role = Роля
column-disabled = Деактивиран

## Arranging the card
card-arrange = Подреди панелите
arrange-title-company = Панели на картата на фирма
arrange-title-person = Панели на картата на човек
arrange-intro = Изберете кои панели да показват картите ви и в какъв ред. Изборът е само ваш и се пази с профила ви.
arrange-up = Премести { $panel } нагоре
arrange-down = Премести { $panel } надолу
arrange-save = Запази и се върни
list-arrange-columns = Колони
arrange-title-companies = Колони на списъка с фирми
arrange-title-people = Колони на списъка с хора
arrange-intro-columns = Изберете кои колони да показва списъкът и в какъв ред. Името се показва винаги. Изборът е само ваш и се пази в профила ви.
column-city = Град
column-created = Създаден
filter-attribute-key = Атрибут
filter-attribute-value = Стойност на атрибута
list-count = { $count ->
    [one] Един запис
   *[other] { $count } записа
}
list-count-at-least = Над { $count } записа

## Acting on selected rows
bulk-label = С избраните редове
bulk-action = Действие
bulk-archive = Архивирай
bulk-unarchive = Възстанови от архива
bulk-owner = Дай на новия отговорник
bulk-new-owner = Нов отговорник
bulk-apply = Приложи към избраните
bulk-select-column = Избор
bulk-select = Избери { $name }
bulk-done = { $count ->
    [one] Един запис е променен.
   *[other] { $count } записа са променени.
}
bulk-refused = { $count ->
    [one] Един не е променен: нямате право да го променяте.
   *[other] { $count } не са променени: нямате право да ги променяте.
}

## Administration
admin-user-new = Нов потребител
admin-user-create = Създай потребителя
admin-user-created = Потребителят { $login } е създаден.
admin-user-password = Паролата му, показана само сега — предайте я по сигурен начин:
admin-team = Екип
admin-password-hint = Оставете паролата празна, за да се създаде силна парола, показана веднъж.
admin-lists-title = Полета и списъци
admin-lists-intro = Използваните допълнителни полета и списъци с категории. Засега се променят чрез API.
admin-record = Запис
admin-record-company = Фирма
admin-record-person = Човек
admin-field-label = Надпис
admin-field-key = Ключ
admin-field-required = Задължително
admin-field-choices = Възможни стойности
admin-values = Стойности

## Forms, continued
form-attributes = Атрибути (по един ключ=стойност на ред)
bulk-category = Добави към категорията по-долу
bulk-new-category = Категория
