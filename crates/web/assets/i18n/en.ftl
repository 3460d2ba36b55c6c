## The frame
skip-to-content = Skip to content
nav-label = Main
nav-companies = Companies
nav-people = People
nav-admin = Administration
nav-notifications = Notifications
search-label = Search companies and people
search-placeholder = Name, code, email, city or stage=mature
search-button = Search
menu-change-password = Change password
menu-sign-out = Sign out
language-label = Language
language-apply = Apply

## Errors
error-title = Something went wrong
error-not-found = There is nothing here, or you may not see it.
error-forbidden = Your role does not allow this.
error-bad-request = This address or form is not understood.
error-invalid = Some values are not valid.
error-sign-in = Please sign in first.
error-conflict = This clashes with an existing record.
error-stale = Someone else changed this record meanwhile.
error-too-many = Too many failed attempts. Please wait a few minutes and try again.
error-internal = The server failed. The error is logged; please try again later.
error-form-expired = This form has expired or did not come from this site. Go back, reload the page and try again.
error-not-a-form = This address only takes forms sent from its own pages.
error-too-large = The form is too large.
error-back-to-companies = Back to the companies
error-to-sign-in = Go to sign-in
form-has-errors = { $count ->
    [one] One field needs your attention.
   *[other] { $count } fields need your attention.
}

## Signing in
login-title = Sign in
login-button = Sign in
login-wrong = The login or the password is wrong.
login-too-many = Too many failed sign-ins. Please wait a few minutes and try again.
login-signed-out = You have signed out.
login-no-users = Rapport has no users yet. Open the set-up link that “rapport serve” printed, or create a user with “rapport user create”.
field-login = Login
field-password = Password
field-your-name = Your name
field-email = Email
field-new-password = New password
field-password-confirm = Repeat the new password
field-current-password = Current password
setup-title = Set up Rapport
setup-intro = Create the first administrator. You can add other users afterwards.
setup-button = Create and sign in
setup-bad-link = This set-up link is not valid. Use the link that “rapport serve” printed.
password-title = Change password
password-button = Change password
password-changed = Your password is changed. Your other sessions are signed out.
password-mismatch = The two passwords are not the same.

## Messages for invalid input, by code
invalid-required = Required.
invalid-too_long = Too long.
invalid-invalid_text = Contains characters that are not allowed.
invalid-invalid_email = Not a valid email address.
invalid-invalid_phone = Not a valid phone number.
invalid-invalid_url = Not a web address.
invalid-invalid_choice = Not one of the choices.
invalid-invalid_login = A login is 2 to 64 letters, digits or . _ @ -
invalid-taken = Another user has this login.
invalid-too_short = A password needs at least 10 characters.
invalid-wrong_password = This is not your current password.
invalid-invalid_date = Not a valid date (YYYY-MM-DD).
invalid-invalid_country = Not a country code such as PL or BG.
invalid-not_allowed = You may not give records to this user.
invalid-read_only = Your role may not change this field.

## Months, for dates
month-1 = Jan
month-2 = Feb
month-3 = Mar
month-4 = Apr
month-5 = May
month-6 = Jun
month-7 = Jul
month-8 = Aug
month-9 = Sep
month-10 = Oct
month-11 = Nov
month-12 = Dec

## Lists
companies-title = Companies
companies-new = New company
companies-empty = There are no companies yet.
companies-none-found = No company matches these filters.
people-title = People
people-new = New person
people-empty = There are no people yet.
people-none-found = No person matches these filters.
filters-label = Filters
filters-apply = Apply filters
filters-clear = Clear filters
filter-search = Search
filter-any = Any
filter-owner-me = Me
filter-category = Category
filter-archived = Archived
filter-archived-no = Not archived
filter-archived-only = Archived only
filter-archived-any = Archived or not
column-code = Code
column-name = Name
column-type = Type
column-status = Status
column-level = Level
column-stage = Stage
column-area = Area
column-owner = Owner
column-contact = Contact
column-updated = Last change
badge-archived = Archived
pager-label = Pages
pager-first = First page
pager-previous = Previous
pager-next = Next

## Fixed values
type-customer = Customer
type-prospect = Prospect
type-partner = Partner
type-supplier = Supplier
type-distributor = Distributor
type-bank = Bank
type-authority = Authority
type-competitor = Competitor
type-other = Other
status-active = Active
status-inactive = Inactive
status-suspended = Suspended
contact-email = Email
contact-phone = Phone
contact-mobile = Mobile
contact-fax = Fax
contact-web = Web
contact-messenger = Messenger
contact-primary = main
purpose-billing = Billing
purpose-delivery = Delivery
purpose-office = Office
purpose-postal = Postal
value-yes = Yes
value-no = No

## The card
card-edit = Edit
card-add-person = Add a person
card-main-email = Email
card-main-phone = Phone
panel-people = People
panel-employments = Works at
panel-contacts = Contact methods
panel-addresses = Addresses
panel-attributes = Attributes
panel-categories = Categories
panel-custom = Custom fields
panel-history = History
panel-empty = Nothing yet.
history-system = the system
history-removed = (removed)
history-action-create = created
history-action-update = changed
history-action-archive = archived
history-action-unarchive = restored
history-action-delete = deleted

## Forms
form-save = Save
form-cancel = Cancel
form-conflict = Someone else saved this record while you were editing it. Your changes are not saved yet; they are still in the form below.
form-conflict-reload = Open the current version (your changes here will be lost)
form-saved = Saved.
form-new-company = New company
form-edit-company = Edit { $name }
form-new-person = New person
form-edit-person = Edit { $name }
form-contacts = Contact methods
form-addresses = Addresses
form-employments = Works at
form-rows-hint = Leave a row empty to skip it; empty a row to remove it.
field-name = Name
field-legal_name = Legal name
field-tax_id = Tax ID
field-type = Type
field-status = Status
field-level = Level
field-stage = Stage
field-area = Area
field-website = Website
field-industry = Industry
field-size = Size
field-source = Source
field-description = Description
field-background = Background
field-given_name = Given name
field-family_name = Family name
field-title = Title
field-birth_date = Birth date
field-language = Language
field-owner_id = Owner
field-security_level = Security level
field-parent_id = Parent company
field-contact_methods = Contact methods
field-addresses = Addresses
field-employments = Works at
field-attributes = Attributes
field-custom = Custom fields
field-categories = Categories
field-contact-kind = Kind
field-contact-value = Value
field-contact-label = Label
field-purpose = Purpose
field-line1 = Street
field-line2 = Street, second line
field-city = City
field-region = Region
field-postcode = Postcode
field-country = Country (PL, BG, …)
field-company = Company
field-position = Position
field-department = Department
field-none = (none)

## Notifications and administration
notifications-title = Notifications
notifications-empty = No notifications.
notifications-mark-read = Mark as read
notifications-open = Open
admin-users-title = Users
column-login = Login
column-email = Email
column-role = Role
column-disabled = Disabled

## Arranging the card
card-arrange = Arrange panels
arrange-title-company = Panels of the company card
arrange-title-person = Panels of the person card
arrange-intro = Choose which panels your cards show and in which order. The choice is yours alone and is kept with your account.
arrange-up = Move { $panel } up
arrange-down = Move { $panel } down
arrange-save = Save and go back
list-arrange-columns = Columns
arrange-title-companies = Columns of the company list
arrange-title-people = Columns of the people list
arrange-intro-columns = Choose which columns your list shows and in which order. The name always shows. The choice is yours alone and is kept with your account.
column-city = City
column-created = Created
filter-attribute-key = Attribute
filter-attribute-value = Attribute value
list-count = { $count ->
    [one] One record
   *[other] { $count } records
}
list-count-at-least = More than { $count } records

## Acting on selected rows
bulk-label = With the selected rows
bulk-action = Action
bulk-archive = Archive
bulk-unarchive = Restore from the archive
bulk-owner = Give to the new owner
bulk-new-owner = New owner
bulk-apply = Apply to the selected
bulk-select-column = Select
bulk-select = Select { $name }
bulk-done = { $count ->
    [one] One record changed.
   *[other] { $count } records changed.
}
bulk-refused = { $count ->
    [one] One was not changed: you may not change it.
   *[other] { $count } were not changed: you may not change them.
}

## Administration
admin-user-new = New user
admin-user-create = Create the user
admin-user-created = The user { $login } is created.
admin-user-password = Their password, shown this once — pass it on safely:
admin-team = Team
admin-password-hint = Leave the password empty to have a strong one made and shown once.
admin-record = Record
admin-record-company = Company
admin-record-person = Person
admin-field-label = Label
admin-field-key = Key
admin-field-required = Required
admin-field-choices = Choices
admin-values = Values

## Forms, continued
form-attributes = Attributes (one key=value per line)
bulk-category = Add to the category below
bulk-new-category = Category

# admin screens
admin-fields-title = Custom fields
admin-categories-title = Categories, levels and stages
admin-done-user-saved = The user is saved.
admin-done-field-created = The custom field is created.
admin-done-field-saved = The custom field is saved.
admin-done-kind-created = The category kind is created. Add its values below.
admin-done-kind-saved = The category kind is saved.
admin-done-kind-deleted = The category kind is deleted.
admin-done-value-added = The value is added.
admin-done-value-saved = The value is renamed.
admin-done-value-deleted = The value is deleted.
admin-user-edit = User { $login }
admin-user-own-hint = Your own role, team and access are changed by another administrator.
admin-user-disabled = Disabled: cannot sign in
admin-user-disabled-hint = A disabled user keeps their records and history but can no longer sign in.
admin-password-own = Change your own password on your account page
admin-password-reset = Make a new password
admin-password-reset-hint = A new strong password is made and shown once. The old one stops working and the user's open sessions end.
admin-password-reset-done = { $login } has a new password.
admin-fields-intro = Typed fields that companies and people carry besides the built-in ones.
admin-fields-of-company = Company fields
admin-fields-of-person = Person fields
admin-field-new-company = New company field
admin-field-new-person = New person field
admin-fields-none = No custom fields yet.
admin-type-text = Text
admin-type-number = Number
admin-type-money = Money
admin-type-date = Date
admin-type-choice = Choice
admin-type-multi_choice = Multiple choice
admin-type-boolean = Yes or no
admin-type-link = Link to a record
admin-field-new = New custom field
admin-field-edit = Edit the field { $label }
admin-field-key-hint = Lower-case letters, digits and _, starting with a letter. It cannot change later.
admin-field-fixed-hint = The record, key and type cannot change once values may exist; add a new field instead.
admin-field-required-label = Required: every record must have a value
admin-field-choices-hint = One choice per line. Used by choice and multiple-choice fields only.
admin-field-currency = Currency
admin-field-currency-hint = For money fields: the default currency, such as EUR or PLN.
admin-field-target = Links to
admin-field-target-hint = For link fields: the kind of record the field points to.
admin-position = Position
admin-position-hint = Fields are shown in order of position, lowest first.
admin-field-create = Create the field
admin-categories-intro = Category kinds and their values. Customer levels and relationship stages are built in: their values can be changed, the lists themselves stay.
admin-built-in = Built in
admin-kind-new = New category kind
admin-kind-key-hint = Letters, digits, _ or -. It cannot change later.
admin-kind-multiple = A record may have several values of this kind
admin-kind-create = Create the kind
admin-categories-back = ← All categories
admin-refused = This was not done:
admin-kind-rename = Name and use
admin-kind-system-hint = A built-in list: it can be renamed and its values changed, but it cannot be deleted.
admin-kind-delete-hint = Deleting is refused while records use any of its values.
admin-kind-delete = Delete this kind
admin-value-new = New value
admin-value-key-hint = Letters, digits, _ or -. Records store the key, so it cannot change later.
admin-value-add = Add the value
admin-values-none = No values yet.
admin-value-name-of = Name of { $key }
admin-value-rename = Rename
admin-value-delete = Delete
admin-value-delete-named = Delete { $name }
invalid-not_a_number = Not a whole number.
invalid-unknown_team = No such team.
invalid-invalid_currency = Not a currency code such as EUR.
invalid-invalid_key = Not a valid key.
invalid-field-invalid_key = Lower-case letters, digits and _, starting with a letter.
invalid-field-taken = Another field of this record has this key.
invalid-field-duplicate = This choice is listed twice.
invalid-category-invalid_key = 1 to 64 letters, digits, _ or -.
invalid-category-taken = This key is already in use.

## Saved filters and distribution lists
nav-lists = Lists
lists-title = Distribution lists
lists-empty = No lists yet. Create the first one below.
lists-new = New list
lists-create = Create the list
list-kind = Kind
list-kind-static = Static
list-kind-dynamic = Dynamic
list-kind-hint = A static list keeps the records added to it. A dynamic list shows whatever its saved filter finds at the moment; choose the filter for it.
list-collection = Of
list-collection-companies = Companies
list-collection-people = People
list-filter = Saved filter
list-filter-none = None
list-description = Description
list-shared = Shared with
list-private = Only me
list-members = Members
list-members-empty = This list has no members yet.
list-contact = Contact
list-export = Export as CSV
list-edit = Change the list
list-save = Save the list
list-delete = Delete the list
list-remove = Remove
list-remove-named = Remove { $name } from the list
list-remove-from = Remove from the list { $name }
list-added = { $count ->
    [one] One record added to the list.
   *[other] { $count } records added to the list.
}
list-add-all = Add every record of this filter to the list
list-add-all-button = Add them all
panel-lists = Lists
panel-lists-choose = List
panel-lists-add = Add to the list
filters-saved = Saved filters
filters-saved-none = No saved filters yet.
filter-save = Save this filter
filter-save-name = Name of the filter
filter-save-share = Share with my team
filter-save-button = Save the filter
filter-delete = Delete
filter-delete-named = Delete the saved filter { $name }
filter-form-title = Save a filter
filter-query = Filter
filter-shared-badge = team
bulk-list = Add to the list below
bulk-new-list = List
invalid-not_your_team = You may share only with your own team.
invalid-unknown_filter = No such saved filter.
invalid-wrong_collection = This filter is for another kind of record.
invalid-static_has_no_filter = A static list has no filter.
invalid-not_a_filter = A filter cannot hold paging.

## Global search: the header's box, its suggestions and the results page
search-title = Search
search-results-for = Results for “{ $q }”
search-group-company = Companies
search-group-person = People
search-all-company = All matching companies
search-all-person = All matching people
search-matched = Matched in
search-field-code = code
search-field-email = email
search-field-phone = phone
search-field-tax_id = tax ID
search-field-name = name
search-field-city = city
search-field-area = area
search-field-attribute = attribute
search-field-website = website
search-field-text = other details
search-nothing = Nothing matches “{ $q }”.
search-start = Type a name, code, email, phone number or city into the search box.
search-hint-intro = Try fewer or shorter words, or narrow the search:
search-hint-phrase = these words together, in this order
search-hint-pair = records whose attribute or field has this value, such as stage=mature
search-hint-field = the word in one field only
search-hint-owner = only the records you own
search-hint-exclude = leave out records with this word
search-invalid = This search cannot be run. Shorten it or check how it is written.
suggest-label = Suggestions
suggest-all = See all results for “{ $q }”
