## The frame
skip-to-content = Przejdź do treści
nav-label = Główna nawigacja
nav-companies = Firmy
nav-people = Osoby
nav-admin = Administracja
nav-notifications = Powiadomienia
search-label = Szukaj firm i osób
search-placeholder = Nazwa, kod, e-mail, miasto lub stage=mature
search-button = Szukaj
menu-change-password = Zmień hasło
menu-sign-out = Wyloguj
language-label = Język
language-apply = Zastosuj

## Errors
error-title = Coś poszło nie tak
error-not-found = Nic tu nie ma albo nie możesz tego zobaczyć.
error-forbidden = Twoja rola na to nie pozwala.
error-bad-request = Ten adres lub formularz jest niezrozumiały.
error-invalid = Niektóre wartości są nieprawidłowe.
error-sign-in = Najpierw się zaloguj.
error-conflict = To koliduje z istniejącym rekordem.
error-stale = Ktoś inny zmienił ten rekord w międzyczasie.
error-too-many = Zbyt wiele nieudanych prób. Odczekaj kilka minut i spróbuj ponownie.
error-internal = Serwer zawiódł. Błąd został zapisany; spróbuj ponownie później.
error-form-expired = Ten formularz wygasł lub nie pochodzi z tej witryny. Wróć, odśwież stronę i spróbuj ponownie.
error-not-a-form = Ten adres przyjmuje tylko formularze z własnych stron.
error-too-large = Formularz jest za duży.
error-back-to-companies = Wróć do firm
error-to-sign-in = Przejdź do logowania
form-has-errors = { $count ->
    [one] Jedno pole wymaga uwagi.
    [few] { $count } pola wymagają uwagi.
   *[other] { $count } pól wymaga uwagi.
}

## Signing in
login-title = Logowanie
login-button = Zaloguj
login-wrong = Login lub hasło są nieprawidłowe.
login-too-many = Zbyt wiele nieudanych logowań. Odczekaj kilka minut i spróbuj ponownie.
login-signed-out = Wylogowano.
login-no-users = Rapport nie ma jeszcze użytkowników. Otwórz link konfiguracyjny wypisany przez „rapport serve” albo utwórz użytkownika poleceniem „rapport user create”.
field-login = Login
field-password = Hasło
field-your-name = Twoje imię i nazwisko
field-email = E-mail
field-new-password = Nowe hasło
field-password-confirm = Powtórz nowe hasło
field-current-password = Obecne hasło
setup-title = Konfiguracja Rapport
setup-intro = Utwórz pierwszego administratora. Pozostałych użytkowników dodasz później.
setup-button = Utwórz i zaloguj
setup-bad-link = Ten link konfiguracyjny jest nieprawidłowy. Użyj linku wypisanego przez „rapport serve”.
password-title = Zmiana hasła
password-button = Zmień hasło
password-changed = Hasło zostało zmienione. Pozostałe sesje zostały wylogowane.
password-mismatch = Hasła nie są takie same.

## Messages for invalid input, by code
invalid-required = Pole wymagane.
invalid-too_long = Za długie.
invalid-invalid_text = Zawiera niedozwolone znaki.
invalid-invalid_email = Nieprawidłowy adres e-mail.
invalid-invalid_phone = Nieprawidłowy numer telefonu.
invalid-invalid_url = To nie jest adres WWW.
invalid-invalid_choice = To nie jest jedna z dostępnych wartości.
invalid-invalid_login = Login to od 2 do 64 liter, cyfr lub . _ @ -
invalid-taken = Inny użytkownik ma ten login.
invalid-too_short = Hasło musi mieć co najmniej 10 znaków.
invalid-wrong_password = To nie jest Twoje obecne hasło.
invalid-invalid_date = Nieprawidłowa data (RRRR-MM-DD).
invalid-invalid_country = To nie jest kod kraju, np. PL lub BG.
invalid-not_allowed = Nie możesz przekazywać rekordów temu użytkownikowi.
invalid-read_only = Twoja rola nie może zmieniać tego pola.

## Months, for dates
month-1 = sty
month-2 = lut
month-3 = mar
month-4 = kwi
month-5 = maj
month-6 = cze
month-7 = lip
month-8 = sie
month-9 = wrz
month-10 = paź
month-11 = lis
month-12 = gru

## Lists
companies-title = Firmy
companies-new = Nowa firma
companies-empty = Nie ma jeszcze żadnych firm.
companies-none-found = Żadna firma nie pasuje do tych filtrów.
people-title = Osoby
people-new = Nowa osoba
people-empty = Nie ma jeszcze żadnych osób.
people-none-found = Żadna osoba nie pasuje do tych filtrów.
filters-label = Filtry
filters-apply = Zastosuj filtry
filters-clear = Wyczyść filtry
filter-search = Szukaj
filter-any = Dowolny
filter-owner-me = Ja
filter-category = Kategoria
filter-archived = Zarchiwizowane
filter-archived-no = Niezarchiwizowane
filter-archived-only = Tylko zarchiwizowane
filter-archived-any = Zarchiwizowane lub nie
column-code = Kod
column-name = Nazwa
column-type = Typ
column-status = Status
column-level = Poziom
column-stage = Etap
column-area = Obszar
column-owner = Opiekun
column-contact = Kontakt
column-updated = Ostatnia zmiana
badge-archived = Zarchiwizowana
pager-label = Strony
pager-first = Pierwsza strona
pager-previous = Poprzednia
pager-next = Następna

## Fixed values
type-customer = Klient
type-prospect = Potencjalny klient
type-partner = Partner
type-supplier = Dostawca
type-distributor = Dystrybutor
type-bank = Bank
type-authority = Urząd
type-competitor = Konkurent
type-other = Inny
status-active = Aktywna
status-inactive = Nieaktywna
status-suspended = Zawieszona
contact-email = E-mail
contact-phone = Telefon
contact-mobile = Komórka
contact-fax = Faks
contact-web = WWW
contact-messenger = Komunikator
contact-primary = główny
purpose-billing = Do faktur
purpose-delivery = Do dostaw
purpose-office = Biuro
purpose-postal = Korespondencyjny
value-yes = Tak
value-no = Nie

## The card
card-edit = Edytuj
card-add-person = Dodaj osobę
card-main-email = E-mail
card-main-phone = Telefon
panel-people = Osoby
panel-employments = Pracuje w
panel-contacts = Sposoby kontaktu
panel-addresses = Adresy
panel-attributes = Atrybuty
panel-categories = Kategorie
panel-custom = Pola dodatkowe
panel-history = Historia
panel-empty = Jeszcze nic.
history-system = system
history-removed = (usunięto)
history-action-create = utworzono
history-action-update = zmieniono
history-action-archive = zarchiwizowano
history-action-unarchive = przywrócono
history-action-delete = usunięto

## Forms
form-save = Zapisz
form-cancel = Anuluj
form-conflict = Ktoś inny zapisał ten rekord, gdy go edytowałeś. Twoje zmiany nie są jeszcze zapisane; są w formularzu poniżej.
form-conflict-reload = Otwórz aktualną wersję (Twoje zmiany tutaj przepadną)
form-saved = Zapisano.
form-new-company = Nowa firma
form-edit-company = Edycja: { $name }
form-new-person = Nowa osoba
form-edit-person = Edycja: { $name }
form-contacts = Sposoby kontaktu
form-addresses = Adresy
form-employments = Pracuje w
form-rows-hint = Pusty wiersz jest pomijany; wyczyść wiersz, aby go usunąć.
field-name = Nazwa
field-legal_name = Pełna nazwa prawna
field-tax_id = NIP
field-type = Typ
field-status = Status
field-level = Poziom
field-stage = Etap
field-area = Obszar
field-website = Strona WWW
field-industry = Branża
field-size = Wielkość
field-source = Źródło
field-description = Opis
field-background = Historia relacji
field-given_name = Imię
field-family_name = Nazwisko
field-title = Tytuł
field-birth_date = Data urodzenia
field-language = Język
field-owner_id = Opiekun
field-security_level = Poziom poufności
field-parent_id = Firma nadrzędna
field-contact_methods = Sposoby kontaktu
field-addresses = Adresy
field-employments = Pracuje w
field-attributes = Atrybuty
field-custom = Pola dodatkowe
field-categories = Kategorie
field-contact-kind = Rodzaj
field-contact-value = Wartość
field-contact-label = Etykieta
field-purpose = Przeznaczenie
field-line1 = Ulica
field-line2 = Ulica, drugi wiersz
field-city = Miasto
field-region = Województwo
field-postcode = Kod pocztowy
field-country = Kraj (PL, BG, …)
field-company = Firma
field-position = Stanowisko
field-department = Dział
field-none = (brak)

## Notifications and administration
notifications-title = Powiadomienia
notifications-empty = Brak powiadomień.
notifications-mark-read = Oznacz jako przeczytane
notifications-open = Otwórz
admin-users-title = Użytkownicy
column-login = Login
column-email = E-mail
column-role = Rola
column-disabled = Wyłączony

## Arranging the card
card-arrange = Ułóż panele
arrange-title-company = Panele karty firmy
arrange-title-person = Panele karty osoby
arrange-intro = Wybierz, które panele pokazują Twoje karty i w jakiej kolejności. Wybór jest tylko Twój i jest zapisany na Twoim koncie.
arrange-up = Przesuń { $panel } w górę
arrange-down = Przesuń { $panel } w dół
arrange-save = Zapisz i wróć
list-arrange-columns = Kolumny
arrange-title-companies = Kolumny listy firm
arrange-title-people = Kolumny listy osób
arrange-intro-columns = Wybierz, które kolumny pokazuje lista i w jakiej kolejności. Nazwa jest widoczna zawsze. Wybór dotyczy tylko Ciebie i jest zapisany na Twoim koncie.
column-city = Miasto
column-created = Utworzono
filter-attribute-key = Atrybut
filter-attribute-value = Wartość atrybutu
list-count = { $count ->
    [one] Jeden rekord
    [few] { $count } rekordy
   *[other] { $count } rekordów
}
list-count-at-least = Ponad { $count } rekordów

## Acting on selected rows
bulk-label = Z zaznaczonymi wierszami
bulk-action = Działanie
bulk-archive = Zarchiwizuj
bulk-unarchive = Przywróć z archiwum
bulk-owner = Przekaż nowemu opiekunowi
bulk-new-owner = Nowy opiekun
bulk-apply = Zastosuj do zaznaczonych
bulk-select-column = Wybór
bulk-select = Zaznacz { $name }
bulk-done = { $count ->
    [one] Zmieniono jeden rekord.
    [few] Zmieniono { $count } rekordy.
   *[other] Zmieniono { $count } rekordów.
}
bulk-refused = { $count ->
    [one] Jednego nie zmieniono: nie możesz go zmieniać.
   *[other] { $count } nie zmieniono: nie możesz ich zmieniać.
}

## Administration
admin-user-new = Nowy użytkownik
admin-user-create = Utwórz użytkownika
admin-user-created = Użytkownik { $login } został utworzony.
admin-user-password = Jego hasło, pokazane tylko teraz — przekaż je bezpiecznie:
admin-team = Zespół
admin-password-hint = Zostaw hasło puste, aby utworzyć silne hasło pokazane jeden raz.
admin-record = Rekord
admin-record-company = Firma
admin-record-person = Osoba
admin-field-label = Etykieta
admin-field-key = Klucz
admin-field-required = Wymagane
admin-field-choices = Wartości do wyboru
admin-values = Wartości

## Forms, continued
form-attributes = Atrybuty (jeden klucz=wartość w wierszu)
bulk-category = Dodaj do kategorii poniżej
bulk-new-category = Kategoria

# admin screens
admin-fields-title = Pola dodatkowe
admin-categories-title = Kategorie, poziomy i etapy
admin-done-user-saved = Użytkownik został zapisany.
admin-done-field-created = Pole dodatkowe zostało utworzone.
admin-done-field-saved = Pole dodatkowe zostało zapisane.
admin-done-kind-created = Rodzaj kategorii został utworzony. Dodaj jego wartości poniżej.
admin-done-kind-saved = Rodzaj kategorii został zapisany.
admin-done-kind-deleted = Rodzaj kategorii został usunięty.
admin-done-value-added = Wartość została dodana.
admin-done-value-saved = Nazwa wartości została zmieniona.
admin-done-value-deleted = Wartość została usunięta.
admin-user-edit = Użytkownik { $login }
admin-user-own-hint = Twoją rolę, zespół i dostęp zmienia inny administrator.
admin-user-disabled = Zablokowany: nie może się zalogować
admin-user-disabled-hint = Zablokowany użytkownik zachowuje swoje rekordy i historię, ale nie może się już zalogować.
admin-password-own = Zmień własne hasło na stronie swojego konta
admin-password-reset = Utwórz nowe hasło
admin-password-reset-hint = Zostanie utworzone nowe silne hasło, pokazane jednorazowo. Stare przestanie działać, a otwarte sesje użytkownika zostaną zakończone.
admin-password-reset-done = { $login } ma nowe hasło.
admin-fields-intro = Pola z typem, które firmy i osoby mają oprócz pól wbudowanych.
admin-fields-of-company = Pola firm
admin-fields-of-person = Pola osób
admin-field-new-company = Nowe pole firm
admin-field-new-person = Nowe pole osób
admin-fields-none = Nie ma jeszcze pól dodatkowych.
admin-type-text = Tekst
admin-type-number = Liczba
admin-type-money = Kwota
admin-type-date = Data
admin-type-choice = Wybór
admin-type-multi_choice = Wielokrotny wybór
admin-type-boolean = Tak lub nie
admin-type-link = Odnośnik do rekordu
admin-field-new = Nowe pole dodatkowe
admin-field-edit = Edycja pola { $label }
admin-field-key-hint = Małe litery łacińskie, cyfry i _, na początku litera. Nie można go później zmienić.
admin-field-fixed-hint = Rekordu, klucza i typu nie można zmienić, gdy mogą już istnieć wartości; dodaj nowe pole.
admin-field-required-label = Wymagane: każdy rekord musi mieć wartość
admin-field-choices-hint = Jedna opcja w wierszu. Używane tylko przez pola wyboru i wielokrotnego wyboru.
admin-field-currency = Waluta
admin-field-currency-hint = Dla pól z kwotą: domyślna waluta, na przykład EUR lub PLN.
admin-field-target = Wskazuje na
admin-field-target-hint = Dla pól-odnośników: rodzaj rekordu, na który wskazuje pole.
admin-position = Pozycja
admin-position-hint = Pola są pokazywane według pozycji, od najniższej.
admin-field-create = Utwórz pole
admin-categories-intro = Rodzaje kategorii i ich wartości. Poziomy klientów i etapy relacji są wbudowane: ich wartości można zmieniać, same listy pozostają.
admin-built-in = Wbudowany
admin-kind-new = Nowy rodzaj kategorii
admin-kind-key-hint = Litery łacińskie, cyfry, _ lub -. Nie można go później zmienić.
admin-kind-multiple = Rekord może mieć kilka wartości tego rodzaju
admin-kind-create = Utwórz rodzaj
admin-categories-back = ← Wszystkie kategorie
admin-refused = Tego nie zrobiono:
admin-kind-rename = Nazwa i użycie
admin-kind-system-hint = Lista wbudowana: można zmienić jej nazwę i wartości, ale nie można jej usunąć.
admin-kind-delete-hint = Usunięcie jest odmawiane, dopóki rekordy używają którejkolwiek z jego wartości.
admin-kind-delete = Usuń ten rodzaj
admin-value-new = Nowa wartość
admin-value-key-hint = Litery łacińskie, cyfry, _ lub -. Rekordy przechowują klucz, więc nie można go później zmienić.
admin-value-add = Dodaj wartość
admin-values-none = Nie ma jeszcze wartości.
admin-value-name-of = Nazwa dla { $key }
admin-value-rename = Zmień nazwę
admin-value-delete = Usuń
admin-value-delete-named = Usuń { $name }
invalid-not_a_number = To nie jest liczba całkowita.
invalid-unknown_team = Nie ma takiego zespołu.
invalid-invalid_currency = To nie jest kod waluty, taki jak EUR.
invalid-invalid_key = Nieprawidłowy klucz.
invalid-field-invalid_key = Małe litery łacińskie, cyfry i _, na początku litera.
invalid-field-taken = Inne pole tego rekordu ma ten klucz.
invalid-field-duplicate = Ta opcja jest podana dwa razy.
invalid-category-invalid_key = Od 1 do 64 liter łacińskich, cyfr, _ lub -.
invalid-category-taken = Ten klucz jest już używany.

## Zapisane filtry i listy dystrybucyjne
nav-lists = Listy
lists-title = Listy dystrybucyjne
lists-empty = Nie ma jeszcze list. Utwórz pierwszą poniżej.
lists-new = Nowa lista
lists-create = Utwórz listę
list-kind = Rodzaj
list-kind-static = Statyczna
list-kind-dynamic = Dynamiczna
list-kind-hint = Lista statyczna zachowuje dodane do niej rekordy. Lista dynamiczna pokazuje to, co jej zapisany filtr znajduje w tej chwili; wybierz dla niej filtr.
list-collection = Czego
list-collection-companies = Firmy
list-collection-people = Osoby
list-filter = Zapisany filtr
list-filter-none = Brak
list-description = Opis
list-shared = Udostępniona
list-private = Tylko ja
list-members = Członkowie
list-members-empty = Ta lista nie ma jeszcze członków.
list-contact = Kontakt
list-export = Eksport do CSV
list-edit = Zmień listę
list-save = Zapisz listę
list-delete = Usuń listę
list-remove = Usuń
list-remove-named = Usuń { $name } z listy
list-remove-from = Usuń z listy { $name }
list-added = { $count ->
    [one] Dodano jeden rekord do listy.
    [few] Dodano { $count } rekordy do listy.
   *[other] Dodano { $count } rekordów do listy.
}
list-add-all = Dodaj wszystkie rekordy tego filtra do listy
list-add-all-button = Dodaj wszystkie
panel-lists = Listy
panel-lists-choose = Lista
panel-lists-add = Dodaj do listy
filters-saved = Zapisane filtry
filters-saved-none = Nie ma jeszcze zapisanych filtrów.
filter-save = Zapisz ten filtr
filter-save-name = Nazwa filtra
filter-save-share = Udostępnij mojemu zespołowi
filter-save-button = Zapisz filtr
filter-delete = Usuń
filter-delete-named = Usuń zapisany filtr { $name }
filter-form-title = Zapisz filtr
filter-query = Filtr
filter-shared-badge = zespół
bulk-list = Dodaj do listy poniżej
bulk-new-list = Lista
invalid-not_your_team = Możesz udostępniać tylko swojemu zespołowi.
invalid-unknown_filter = Nie ma takiego zapisanego filtra.
invalid-wrong_collection = Ten filtr dotyczy innego rodzaju rekordów.
invalid-static_has_no_filter = Lista statyczna nie ma filtra.
invalid-not_a_filter = Filtr nie może zawierać stronicowania.

## Global search: the header's box, its suggestions and the results page
search-title = Wyszukiwanie
search-results-for = Wyniki dla „{ $q }”
search-group-company = Firmy
search-group-person = Osoby
search-all-company = Wszystkie pasujące firmy
search-all-person = Wszystkie pasujące osoby
search-matched = Dopasowano w
search-field-code = kod
search-field-email = e-mail
search-field-phone = telefon
search-field-tax_id = NIP
search-field-name = nazwa
search-field-city = miasto
search-field-area = obszar
search-field-attribute = atrybut
search-field-website = strona WWW
search-field-text = inne dane
search-nothing = Nic nie pasuje do „{ $q }”.
search-start = Wpisz w pole wyszukiwania nazwę, kod, e-mail, telefon lub miasto.
search-hint-intro = Spróbuj mniej lub krótszych słów albo zawęź wyszukiwanie:
search-hint-phrase = te słowa razem, w tej kolejności
search-hint-pair = rekordy, których atrybut lub pole ma tę wartość, np. stage=mature
search-hint-field = słowo tylko w jednym polu
search-hint-owner = tylko twoje rekordy
search-hint-exclude = pomiń rekordy z tym słowem
search-invalid = Tego wyszukiwania nie da się wykonać. Skróć je lub sprawdź jego zapis.
suggest-label = Podpowiedzi
suggest-all = Wszystkie wyniki dla „{ $q }”
nav-imports = Import
imports-title = Import
import-upload = Import pliku
import-upload-hint = CSV w dowolnym kodowaniu i z dowolnym separatorem, Excel (XLSX, XLS), OpenDocument (ODS) lub vCard. Następnie wybierasz, do którego pola trafia każda kolumna, i możesz sprawdzić plik, zanim cokolwiek zostanie zapisane.
import-kind = Rekordy
import-kind-people = Osoby
import-kind-companies = Firmy
import-file = Plik
import-encoding = Kodowanie
import-delimiter = Separator
import-detect = Wykryj
import-delimiter-tab = Tabulator
import-upload-button = Wyślij
import-choose-file = Wybierz plik do importu.
import-history = Twoje importy
import-history-empty = Nie masz jeszcze żadnych importów.
import-state = Stan
import-counts = Wiersze
import-date = Data
import-state-uploading = Wysyłanie
import-state-uploaded = Czeka na przypisanie kolumn
import-state-queued = W kolejce
import-state-running = W toku
import-state-checked = Sprawdzony (próbny)
import-state-done = Zaimportowany
import-state-failed = Nieudany
import-state-undoing = Cofanie
import-state-undone = Cofnięty
import-count-rows = { $count ->
    [one] 1 wiersz
    [few] { $count } wiersze
   *[other] { $count } wierszy
}
import-count-created = nowe: { $count }
import-count-updated = zaktualizowane: { $count }
import-count-rejected = odrzucone: { $count }
import-back = Wszystkie importy
import-progress = Postęp
import-refreshes = Strona odświeża się sama.
import-mapping = Kolumny i pola
import-saved-mappings = Zapisane przypisanie
import-apply-mapping = Użyj tego przypisania
import-column = Kolumna
import-field = Pole
import-sample = Pierwsza wartość
import-mode = Tryb
import-mode-all = Wszystko albo nic
import-mode-valid = Tylko poprawne wiersze
import-mode-hint = „Wszystko albo nic” zapisuje wszystkie wiersze albo żaden; „tylko poprawne” zapisuje wiersze bez błędów i raportuje pozostałe. Wiersz, którego identyfikator zewnętrzny lub kod klienta istnieje, aktualizuje ten rekord.
import-upsert = Aktualizuj istniejące rekordy według
import-upsert-auto = Identyfikator zewnętrzny, w przeciwnym razie kod klienta
import-upsert-external = Identyfikator zewnętrzny
import-upsert-code = Kod klienta
import-upsert-none = Nigdy (zawsze nowy rekord)
import-save-mapping = Zapisz to przypisanie jako
import-dry-run = Sprawdź (import próbny)
import-run = Importuj
import-preview = Podgląd: pierwsze wiersze tak, jak zostałyby zapisane
import-line = Wiersz
import-action = Działanie
import-action-create = Nowy
import-action-update = Aktualizacja
import-contact = Kontakt
import-problems = Odrzucone wiersze
import-reason = Powód
import-report = Pobierz raport (CSV)
import-undo = Cofnij ten import
import-skip = — nie importuj —
import-custom = Pole dodatkowe
import-attribute = Atrybut
import-address-address = Adres
import-address-billing = Adres rozliczeniowy
import-address-delivery = Adres dostawy
import-address-postal = Adres korespondencyjny
import-field-external_id = Identyfikator zewnętrzny
import-field-code = Kod klienta
import-field-full_name = Imię i nazwisko
import-field-email = E-mail
import-field-phone = Telefon
import-field-mobile = Telefon komórkowy
import-field-fax = Faks
import-field-web = Strona WWW
import-field-messenger = Komunikator
import-field-employer = Firma (kod, identyfikator zewnętrzny lub nazwa)
import-field-owner = Opiekun (login lub e-mail)
field-external_id = Identyfikator zewnętrzny
export-menu = Eksport
export-csv = CSV
export-xlsx = Excel (XLSX)
export-vcf = vCard
import-preview-done = Pierwsze wiersze tak, jak zostały zapisane

## Tasks, calendar and working time
nav-my-day = Mój dzień
nav-tasks = Zadania
nav-calendar = Kalendarz
menu-working-time = Czas pracy i subskrypcja kalendarza
weekday-1 = pon.
weekday-2 = wt.
weekday-3 = śr.
weekday-4 = czw.
weekday-5 = pt.
weekday-6 = sob.
weekday-7 = niedz.
month-long-1 = styczeń
month-long-2 = luty
month-long-3 = marzec
month-long-4 = kwiecień
month-long-5 = maj
month-long-6 = czerwiec
month-long-7 = lipiec
month-long-8 = sierpień
month-long-9 = wrzesień
month-long-10 = październik
month-long-11 = listopad
month-long-12 = grudzień
my-day-title = Mój dzień
my-day-overdue = Zaległe
my-day-today = Na dziś
my-day-ahead = Najbliższe siedem dni
my-day-nothing-today = Na dziś nie ma zadań.
my-day-nothing-ahead = W najbliższych siedmiu dniach nie ma zadań.
tasks-title = Zadania
tasks-filters = Filtr zadań
tasks-empty = Brak pasujących zadań.
tasks-scope = Czyje
tasks-scope-mine = Moje
tasks-scope-team = Mojego zespołu
tasks-scope-watching = Obserwowane
tasks-scope-created = Utworzone przeze mnie
tasks-scope-all = Wszystkie, które widzę
tasks-state = Stan
tasks-state-open = Otwarte
tasks-state-done = Wykonane
tasks-state-cancelled = Anulowane
tasks-state-any = Dowolny
tasks-due = Termin
tasks-due-any = Dowolny
tasks-due-overdue = Zaległe
tasks-due-today = Dziś
tasks-due-week = Najbliższe siedem dni
task-new = Nowe zadanie
task-new-title = Nowe zadanie
task-edit-title = Edycja zadania
task-save = Zapisz zadanie
task-delete = Usuń zadanie
task-mark-done = Zrobione
task-mark-done-named = Oznacz „{ $title }” jako wykonane
task-start = Rozpocznij
task-reopen = Otwórz ponownie
task-overdue = Zaległe
task-recurring = Powtarza się
task-no-due = Bez terminu
task-next-made = Zadanie wykonane; to jest jego następne wystąpienie.
task-about = Dotyczy: { $name }
task-when = Kiedy
task-schedule = Znajdź najbliższy wolny czas w godzinach pracy osoby odpowiedzialnej
task-schedule-hint = Zadanie dostanie pierwszy wolny odcinek czasu o swojej długości (poniżej) w dniu roboczym, po innych zadaniach tej osoby.
task-due-hint = Data bez godziny oznacza zadanie na cały dzień. Godzina jest zachowywana według zegara wybranej strefy czasowej, także przy zmianie czasu.
task-field-title = Tytuł
task-field-assignee = Osoba odpowiedzialna
task-field-priority = Priorytet
task-field-status = Stan
task-field-due = Termin
task-field-due-date = Data terminu
task-field-due-time = Godzina
task-field-time-zone = Strefa czasowa
task-field-duration = Czas trwania (minuty)
task-field-remind = Przypomnienie
task-field-repeat = Powtarzanie
task-field-watchers = Obserwujący
task-field-company = Firma
task-field-person = Osoba
task-field-created-by = Utworzone przez
task-remind-none = Bez przypomnienia
task-remind-minutes = { $count ->
    [0] W chwili terminu
    [60] Godzinę wcześniej
    [120] Dwie godziny wcześniej
    [1440] Dzień wcześniej
    [one] { $count } minutę wcześniej
    [few] { $count } minuty wcześniej
   *[other] { $count } minut wcześniej
}
task-minutes = { $count ->
    [one] { $count } minuta
    [few] { $count } minuty
   *[other] { $count } minut
}
task-priority-low = Niski
task-priority-normal = Normalny
task-priority-high = Wysoki
task-priority-urgent = Pilny
task-status-open = Otwarte
task-status-in_progress = W toku
task-status-done = Wykonane
task-status-cancelled = Anulowane
repeat-how-often = Jak często
repeat-choice-none = Nie powtarza się
repeat-choice-daily = Codziennie
repeat-choice-weekly = Co tydzień
repeat-choice-monthly = Co miesiąc
repeat-choice-yearly = Co roku
repeat-choice-custom = Własna reguła
repeat-interval = Co ile (1 = za każdym razem, 2 = co drugi)
repeat-weekdays = W te dni tygodnia (co tydzień)
repeat-monthly = Co miesiąc w
repeat-monthly-day = ten sam dzień miesiąca
repeat-monthly-weekday = ten sam dzień tygodnia w miesiącu (np. czwarty poniedziałek)
repeat-ends = Koniec
repeat-end-never = Nigdy
repeat-end-count = Po określonej liczbie razy
repeat-end-until = W dniu
repeat-count = Liczba razy
repeat-until-date = Ostatnia data
repeat-hint = Gdy powtarzające się zadanie zostanie wykonane, powstaje jego następne wystąpienie.
repeat-custom-kept = To zadanie powtarza się według reguły, której powyższe pola nie potrafią pokazać ({ $rule }); zostaje, chyba że wybierzesz inną.
repeat-every = Co
repeat-every-daily = Codziennie
repeat-every-weekly = Co tydzień
repeat-every-monthly = Co miesiąc
repeat-every-yearly = Co roku
repeat-unit-daily = dni
repeat-unit-weekly = tygodnie
repeat-unit-monthly = miesiące
repeat-unit-yearly = lata
repeat-times = { $count ->
    [one] raz
   *[other] { $count } razy
}
repeat-until = do
panel-tasks = Zadania
panel-tasks-empty = Brak otwartych zadań.
calendar-title = Kalendarz
calendar-views = Widoki kalendarza
calendar-view-day = Dzień
calendar-view-week = Tydzień
calendar-view-month = Miesiąc
calendar-previous = Wcześniej
calendar-next = Później
calendar-today = Dziś
calendar-person = Czyj kalendarz
calendar-show = Pokaż
calendar-zone = Godziny w strefie { $zone }
calendar-edit-hours = Zmień godziny pracy
calendar-hours = Godziny pracy { $hours }
calendar-day-off = Dzień wolny
calendar-absent = Nieobecność
calendar-holiday = Święto: { $name }
calendar-all-day = Cały dzień
calendar-add = Zadanie
calendar-add-on = Dodaj zadanie na { $day }
working-time-title = Czas pracy
working-time-hours = Strefa czasowa i godziny pracy
working-time-hint = Wpisz odcinki pracy każdego dnia, np. 09:00-12:00, 13:00-17:00; zostaw pusty dzień, w którym nie pracujesz. Zadania tworzone automatycznie trafiają tylko w te odcinki.
working-time-save = Zapisz godziny pracy
working-time-absences = Nieobecności
working-time-no-absences = Brak zapisanych nieobecności.
working-time-from = Od
working-time-to = Do (włącznie)
working-time-note = Uwagi
working-time-add-absence = Dodaj nieobecność
working-time-remove = Usuń
working-time-remove-named = Usuń { $what }
working-time-done-saved = Godziny pracy są zapisane.
working-time-done-absence-added = Nieobecność została dodana.
working-time-done-absence-removed = Nieobecność została usunięta.
working-time-done-feed-made = Adres Twojego kalendarza jest gotowy.
working-time-done-feed-revoked = Adres Twojego kalendarza jest wyłączony.
feed-title = Subskrypcja kalendarza
feed-hint = Zasubskrybuj ten adres w programie kalendarza (Outlook, Thunderbird, telefon), aby widzieć tam swoje zadania. Nie udostępniaj go: każdy, kto go ma, może czytać Twoje zadania. Nowy adres od razu unieważnia stary.
feed-address = Adres Twojego kalendarza
feed-make = Utwórz adres mojego kalendarza
feed-rotate = Utwórz nowy adres
feed-revoke = Wyłącz subskrypcję
holidays-title = Święta
holidays-hint = Dni wolne firmy: zadania tworzone automatycznie nigdy na nie nie trafiają.
holidays-empty = Nie ma jeszcze świąt.
holidays-day = Dzień
holidays-name = Nazwa
holidays-new = Dodaj święto
holidays-add = Dodaj
admin-done-holiday-added = Święto zostało dodane.
admin-done-holiday-removed = Święto zostało usunięte.
field-due_at = Termin
field-due_date = Data terminu
field-assignee_id = Osoba odpowiedzialna
field-priority = Priorytet
field-time_zone = Strefa czasowa
field-recurrence = Powtarzanie
field-remind_before_minutes = Przypomnienie (minut wcześniej)
field-duration_minutes = Czas trwania (minuty)
field-watchers = Obserwujący
field-company_id = Firma
field-person_id = Osoba
invalid-number = To nie jest liczba całkowita z dozwolonego zakresu.
invalid-invalid_time_zone = To nie jest strefa czasowa.
invalid-invalid_datetime = Nieprawidłowa data i godzina.
invalid-invalid_recurrence = Takie powtarzanie nie jest obsługiwane.
invalid-needs_due = Najpierw podaj termin.
invalid-never_repeats = To powtarzanie nie daje żadnej późniejszej daty.
invalid-out_of_range = Poza dozwolonym zakresem.
invalid-unknown_user = Nie ma takiego aktywnego użytkownika.
invalid-inactive_user = Ten użytkownik jest wyłączony.
invalid-unknown_company = Nie ma takiej firmy.
invalid-unknown_person = Nie ma takiej osoby.
invalid-no_free_slot = Ta osoba nie ma tak długiego wolnego czasu w ciągu roku.
invalid-needs_time = Czas zajmuje tylko zadanie z godziną.
invalid-scheduled = Zadanie planowane dostaje godzinę z harmonogramu.
invalid-conflict = Podaj godzinę albo cały dzień, nie oba naraz.
invalid-invalid_period = Wpisuj odcinki jak 09:00-17:00.
invalid-overlap = Odcinki jednego dnia nie mogą na siebie zachodzić.
invalid-too_many = Za dużo.
invalid-before_start = Kończy się przed początkiem.
invalid-holiday-taken = Ten dzień jest już świętem.

## Notifications
notification-reminder = Przypomnienie: termin { $title } to { $due }
notification-reminder-undated = Przypomnienie: { $title }
notification-assignment = { $actor } przydzielił(a) Ci zadanie { $title }
notification-mention = { $actor } wspomniał(a) o Tobie w { $title }
notifications-mark-all-read = Oznacz wszystkie jako przeczytane
notifications-unread = Nieprzeczytane
notifications-earlier = Wcześniejsze
notifications-email-sent = wysłano e-mailem
notifications-email-queued = e-mail w drodze
notifications-email-failed = nie udało się wysłać e-maila: { $error }
notifications-settings = Ustawienia powiadomień
notifications-bell-unread = { $count ->
    [one] Powiadomienia: { $count } nieprzeczytane
    [few] Powiadomienia: { $count } nieprzeczytane
   *[other] Powiadomienia: { $count } nieprzeczytanych
}
menu-notifications = Ustawienia powiadomień
prefs-title = Ustawienia powiadomień
prefs-intro = Wybierz, jak chcesz dowiadywać się o każdym rodzaju zdarzenia: w Rapport, e-mailem, oba sposoby lub wcale.
prefs-no-email = Twój użytkownik nie ma adresu e-mail, więc e-maile do Ciebie nie dotrą; poproś administratora o jego dodanie.
prefs-kind = Zdarzenie
prefs-in-app = W Rapport
prefs-email = E-mailem
prefs-save = Zapisz
prefs-saved = Twoje wybory zostały zapisane.
prefs-event-reminder = Przypomnienia o zadaniach
prefs-event-assignment = Zadania przydzielone mi
prefs-event-mention = Wzmianki o mnie
prefs-event-approval = Zatwierdzenia
email-greeting = Dzień dobry, { $name },
email-open = Otwórz w Rapport
email-footer = Otrzymujesz ten e-mail z powodu swoich ustawień powiadomień w Rapport.
email-subject = Rapport: { $summary }
my-day-notifications = Nieprzeczytane powiadomienia
my-day-all-notifications = wszystkie powiadomienia
