## The frame
skip-to-content = Към съдържанието
nav-label = Основна навигация
nav-companies = Фирми
nav-people = Хора
nav-admin = Администрация
nav-notifications = Известия
search-label = Търсене на фирми и хора
search-placeholder = Име, код, имейл, град или stage=mature
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

# admin screens
admin-fields-title = Допълнителни полета
admin-categories-title = Категории, нива и етапи
admin-done-user-saved = Потребителят е записан.
admin-done-field-created = Допълнителното поле е създадено.
admin-done-field-saved = Допълнителното поле е записано.
admin-done-kind-created = Видът категория е създаден. Добавете стойностите му по-долу.
admin-done-kind-saved = Видът категория е записан.
admin-done-kind-deleted = Видът категория е изтрит.
admin-done-value-added = Стойността е добавена.
admin-done-value-saved = Стойността е преименувана.
admin-done-value-deleted = Стойността е изтрита.
admin-user-edit = Потребител { $login }
admin-user-own-hint = Собствената ви роля, екип и достъп се променят от друг администратор.
admin-user-disabled = Деактивиран: не може да влиза
admin-user-disabled-hint = Деактивираният потребител запазва записите и историята си, но вече не може да влиза.
admin-password-own = Сменете собствената си парола от страницата на профила си
admin-password-reset = Създай нова парола
admin-password-reset-hint = Създава се нова силна парола, показана еднократно. Старата спира да работи, а отворените сесии на потребителя се прекратяват.
admin-password-reset-done = { $login } има нова парола.
admin-fields-intro = Типизирани полета, които фирмите и хората имат освен вградените.
admin-fields-of-company = Полета на фирмите
admin-fields-of-person = Полета на хората
admin-field-new-company = Ново поле за фирми
admin-field-new-person = Ново поле за хора
admin-fields-none = Все още няма допълнителни полета.
admin-type-text = Текст
admin-type-number = Число
admin-type-money = Сума
admin-type-date = Дата
admin-type-choice = Избор
admin-type-multi_choice = Многократен избор
admin-type-boolean = Да или не
admin-type-link = Връзка към запис
admin-field-new = Ново допълнително поле
admin-field-edit = Редактиране на полето { $label }
admin-field-key-hint = Малки латински букви, цифри и _, като започва с буква. Не може да се променя по-късно.
admin-field-fixed-hint = Записът, ключът и типът не могат да се променят, след като може да има стойности; добавете ново поле.
admin-field-required-label = Задължително: всеки запис трябва да има стойност
admin-field-choices-hint = По един избор на ред. Използва се само от полета с избор и многократен избор.
admin-field-currency = Валута
admin-field-currency-hint = За полета със сума: валутата по подразбиране, например EUR или BGN.
admin-field-target = Сочи към
admin-field-target-hint = За полета-връзки: видът запис, към който сочи полето.
admin-position = Позиция
admin-position-hint = Полетата се показват по реда на позицията, от най-малката.
admin-field-create = Създай полето
admin-categories-intro = Видове категории и техните стойности. Нивата на клиентите и етапите на отношенията са вградени: стойностите им могат да се променят, а самите списъци остават.
admin-built-in = Вграден
admin-kind-new = Нов вид категория
admin-kind-key-hint = Латински букви, цифри, _ или -. Не може да се променя по-късно.
admin-kind-multiple = Един запис може да има няколко стойности от този вид
admin-kind-create = Създай вида
admin-categories-back = ← Всички категории
admin-refused = Това не е направено:
admin-kind-rename = Име и употреба
admin-kind-system-hint = Вграден списък: може да се преименува и стойностите му да се променят, но не може да се изтрие.
admin-kind-delete-hint = Изтриването се отказва, докато записи използват някоя от стойностите му.
admin-kind-delete = Изтрий този вид
admin-value-new = Нова стойност
admin-value-key-hint = Латински букви, цифри, _ или -. Записите пазят ключа, затова той не може да се променя по-късно.
admin-value-add = Добави стойността
admin-values-none = Все още няма стойности.
admin-value-name-of = Име на { $key }
admin-value-rename = Преименувай
admin-value-delete = Изтрий
admin-value-delete-named = Изтрий { $name }
invalid-not_a_number = Не е цяло число.
invalid-unknown_team = Няма такъв екип.
invalid-invalid_currency = Не е код на валута, например EUR.
invalid-invalid_key = Невалиден ключ.
invalid-field-invalid_key = Малки латински букви, цифри и _, като започва с буква.
invalid-field-taken = Друго поле на този запис има този ключ.
invalid-field-duplicate = Този избор е посочен два пъти.
invalid-category-invalid_key = От 1 до 64 латински букви, цифри, _ или -.
invalid-category-taken = Този ключ вече се използва.

## Запазени филтри и списъци за разпращане
nav-lists = Списъци
lists-title = Списъци за разпращане
lists-empty = Още няма списъци. Създайте първия по-долу.
lists-new = Нов списък
lists-create = Създай списъка
list-kind = Вид
list-kind-static = Статичен
list-kind-dynamic = Динамичен
list-kind-hint = Статичният списък пази добавените в него записи. Динамичният показва каквото намира запазеният му филтър в момента; изберете филтъра за него.
list-collection = От
list-collection-companies = Фирми
list-collection-people = Хора
list-filter = Запазен филтър
list-filter-none = Без
list-description = Описание
list-shared = Споделен с
list-private = Само аз
list-members = Членове
list-members-empty = Този списък още няма членове.
list-contact = Контакт
list-export = Експорт в CSV
list-edit = Промяна на списъка
list-save = Запази списъка
list-delete = Изтрий списъка
list-remove = Премахни
list-remove-named = Премахни { $name } от списъка
list-remove-from = Премахни от списъка { $name }
list-added = { $count ->
    [one] Един запис е добавен в списъка.
   *[other] { $count } записа са добавени в списъка.
}
list-add-all = Добави всички записи от този филтър в списъка
list-add-all-button = Добави всички
panel-lists = Списъци
panel-lists-choose = Списък
panel-lists-add = Добави в списъка
filters-saved = Запазени филтри
filters-saved-none = Още няма запазени филтри.
filter-save = Запази този филтър
filter-save-name = Име на филтъра
filter-save-share = Сподели с екипа ми
filter-save-button = Запази филтъра
filter-delete = Изтрий
filter-delete-named = Изтрий запазения филтър { $name }
filter-form-title = Запазване на филтър
filter-query = Филтър
filter-shared-badge = екип
bulk-list = Добави в списъка по-долу
bulk-new-list = Списък
invalid-not_your_team = Можете да споделяте само със своя екип.
invalid-unknown_filter = Няма такъв запазен филтър.
invalid-wrong_collection = Този филтър е за друг вид записи.
invalid-static_has_no_filter = Статичният списък няма филтър.
invalid-not_a_filter = Филтърът не може да съдържа страниране.

## Global search: the header's box, its suggestions and the results page
search-title = Търсене
search-results-for = Резултати за „{ $q }“
search-group-company = Фирми
search-group-person = Хора
search-all-company = Всички съвпадащи фирми
search-all-person = Всички съвпадащи хора
search-matched = Съвпадение в
search-field-code = код
search-field-email = имейл
search-field-phone = телефон
search-field-tax_id = ЕИК
search-field-name = име
search-field-city = град
search-field-area = район
search-field-attribute = атрибут
search-field-website = уебсайт
search-field-text = други данни
search-nothing = Нищо не съвпада с „{ $q }“.
search-start = Въведете име, код, имейл, телефон или град в полето за търсене.
search-hint-intro = Опитайте с по-малко или по-кратки думи или стеснете търсенето:
search-hint-phrase = тези думи заедно, в този ред
search-hint-pair = записи, чийто атрибут или поле има тази стойност, напр. stage=mature
search-hint-field = думата само в едно поле
search-hint-owner = само вашите записи
search-hint-exclude = без записите с тази дума
search-invalid = Това търсене не може да се изпълни. Съкратете го или проверете как е написано.
suggest-label = Предложения
suggest-all = Всички резултати за „{ $q }“
