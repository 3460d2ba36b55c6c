#!/usr/bin/env python3
"""Makes the import tests' files with tools other than Rapport itself.

    pip install openpyxl odfpy && python3 crates/app/tests/data/make.py

The XLSX is written by openpyxl and the ODS by odfpy (the library LibreOffice's own
Python tooling builds on), so the tests read files made by other programs than ours.
The CSVs are the same people in each encoding users send: UTF-8 with and without a byte
order mark, Windows-1250 (Polish), Windows-1251 (Bulgarian) and GB18030 (Chinese). The
vCards follow what each program's export looks like (Google Contacts 3.0, Apple
Contacts/iPhone 3.0 with grouped labels, Outlook 2.1 with QUOTED-PRINTABLE and a
windows-1251 charset, Android 2.1 with folded QUOTED-PRINTABLE UTF-8), written from the
formats' documentation. The outputs are committed; rerun this after changing it.
"""

import datetime
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def csvs():
    header = "First name;Last name;E-mail;Mobile;City;Birth date"
    polish = [header, "Łucja;Wąsowska;lucja@example.pl;+48 600 100 200;Łódź;1984-03-09",
              "Michał;Żółkiewski;michal@example.pl;+48 601 200 300;Kraków;09.03.1985"]
    bulgarian = ["Име;Фамилия;Имейл;Мобилен;Град;Рождена дата",
                 "Мария;Петрова;maria@example.bg;+359 88 123 4567;София;09.03.1984",
                 "Георги;Иванов;georgi@example.bg;+359 87 765 4321;Пловдив;1979-12-01"]
    chinese = ["名,姓,电子邮件,手机,城市,出生日期",
               "小明,王,wang@example.cn,+86 138 0013 8000,上海,1990-05-17",
               "丽,李,li@example.cn,+86 139 0013 9000,北京,1988-01-02"]
    english = ["First name,Last name,E-mail,Mobile,City,Birth date",
               "Mary,O'Neil,mary@example.com,+1 212 555 0100,New York,1981-07-04",
               "\"Smith, Jr.\",John,john@example.com,+44 20 7946 0958,London,25/12/1990"]
    write("people_utf8.csv", ("\n".join(english) + "\n").encode("utf-8"))
    bulgarian_bom = [bulgarian[0], "Елена;Димитрова;elena@example.bg;+359 88 222 3333;Варна;15.08.1990",
                     "Николай;Стоянов;nikolay@example.bg;+359 87 444 5555;Бургас;1970-01-31"]
    write("people_utf8_bom.csv", b"\xef\xbb\xbf" + ("\r\n".join(bulgarian_bom) + "\r\n").encode("utf-8"))
    write("people_cp1250.csv", ("\r\n".join(polish) + "\r\n").encode("cp1250"))
    write("people_cp1251.csv", ("\r\n".join(bulgarian) + "\r\n").encode("cp1251"))
    write("people_gb18030.csv", ("\r\n".join(chinese) + "\r\n").encode("gb18030"))
    write("empty.csv", b"")
    write("header_only.csv", b"Name,E-mail\r\n")
    write("duplicate_headers.csv", b"Name,E-mail,Phone,E-mail\r\nAcme,a@acme.example,1234567,b@acme.example\r\n")
    formulas = ["Company,Description,Phone",
                "\"=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\",=1+2,+48 42 123 45 67",
                "@SUM(A1),-5 discount,0888 123 456"]
    write("formulas.csv", ("\n".join(formulas) + "\n").encode("utf-8"))
    dates = ["Name,Birth date", "Iso Date,1984-03-09", "Dotted Date,09.03.1984", "Slashed Date,25/12/1990",
             "Serial Date,30750", "Compact Date,19840309", "Ambiguous Date,03/04/1984", "No Date,next tuesday"]
    write("dates.csv", ("\n".join(dates) + "\n").encode("utf-8"))


def xlsx():
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Companies"
    sheet.append(["Company name", "Tax ID", "E-mail", "Phone", "City", "Country", "Customer since", "Employees"])
    sheet.append(["Łódź Textiles Sp. z o.o.", "PL7250012345", "office@lodz-textiles.example", "+48 42 123 45 67",
                  "Łódź", "PL", datetime.date(2015, 6, 1), 120])
    sheet.append(["Софийска мебел ООД", "BG123456789", "office@mebel.example", 35929876543,
                  "София", "BG", datetime.date(2018, 1, 15), 45])
    sheet.append(["上海泛普软件有限公司", "91310000MA1FL0000X", "info@fanpu.example", "+86 21 5555 0000",
                  "上海", "CN", datetime.date(2020, 11, 30), "=H2+H3"])
    book.save(os.path.join(HERE, "companies_openpyxl.xlsx"))
    with open(os.path.join(HERE, "companies_openpyxl.xlsx"), "rb") as f:
        whole = f.read()
    # The same workbook cut off half-way, as an interrupted download leaves it.
    write("truncated.xlsx", whole[: len(whole) // 2])


def ods():
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="Companies")
    rows = [["Nazwa firmy", "NIP", "E-mail", "Miasto"],
            ["Zakłady Mięsne Kraków", "PL6762345678", "biuro@zmk.example", "Kraków"],
            ["Piekarnia Świętokrzyska", "PL6570011223", "kontakt@piekarnia.example", "Kielce"]]
    for values in rows:
        row = TableRow()
        for value in values:
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=value))
            row.addElement(cell)
        table.addElement(row)
    doc.spreadsheet.addElement(table)
    doc.save(os.path.join(HERE, "companies.ods"))


def vcards():
    google = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Anna Nowak\r\nN:Nowak;Anna;;;\r\n"
        "EMAIL;TYPE=INTERNET;TYPE=WORK:anna.nowak@example.pl\r\n"
        "EMAIL;TYPE=INTERNET;TYPE=HOME:anna@home.example\r\n"
        "TEL;TYPE=CELL:+48 600 111 222\r\nTEL;TYPE=WORK:+48 22 123 45 67\r\n"
        "ADR;TYPE=WORK:;;ul. Marszałkowska 10;Warszawa;;00-001;PL\r\n"
        "ORG:Nowak i Synowie\r\nTITLE:Dyrektor handlowy\r\nBDAY:1980-02-29\r\n"
        "CATEGORIES:myContacts\r\nEND:VCARD\r\n"
    )
    apple = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//iPhone OS 17.0//EN\r\n"
        "N:Petrov;Ivan;;;\r\nFN:Ivan Petrov\r\nORG:Sofia Trade Ltd;Sales;\r\nTITLE:Sales manager\r\n"
        "item1.EMAIL;type=INTERNET;type=pref:ivan.petrov@example.bg\r\nitem1.X-ABLabel:_$!<Other>!$_\r\n"
        "TEL;type=CELL;type=VOICE;type=pref:+359 88 800 9000\r\nTEL;type=IPHONE;type=CELL;type=VOICE:+359 89 900 1000\r\n"
        "item2.ADR;type=WORK;type=pref:;;bul. Vitosha 1;Sofia;;1000;Bulgaria\r\nitem2.X-ABADR:bg\r\n"
        "BDAY;VALUE=date:1975-06-15\r\nNOTE:Met at the fair\\, 2023.\\nPrefers calls.\r\n"
        "UID:8A6F2D2E-1111-4B6B-9A3F-APPLE0000001\r\nEND:VCARD\r\n"
    )
    name = "Петрова".encode("cp1251")
    given = "Мария".encode("cp1251")
    qp = lambda raw: "".join("=%02X" % b for b in raw)
    outlook = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\n"
        f"N;CHARSET=windows-1251;ENCODING=QUOTED-PRINTABLE:{qp(name)};{qp(given)}\r\n"
        f"FN;CHARSET=windows-1251;ENCODING=QUOTED-PRINTABLE:{qp(given)} {qp(name)}\r\n"
        "ORG:Balkan Foods AD\r\nTEL;WORK;VOICE:+359 2 987 6543\r\nTEL;CELL;VOICE:+359 88 765 4321\r\n"
        "ADR;WORK;ENCODING=QUOTED-PRINTABLE:;;=\r\nul. Rakovski 5;Sofia;;1000;BG\r\n"
        "EMAIL;PREF;INTERNET:maria.petrova@balkanfoods.example\r\nEND:VCARD\r\n"
    )
    note = "Клиент от 2019 г., предпочита имейл.".encode("utf-8")
    android = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:"
        f"{qp('Димитров'.encode())};{qp('Стоян'.encode())};;;\r\n"
        "TEL;CELL:0888 555 666\r\nTEL;HOME:02 444 5555\r\nEMAIL;HOME:stoyan@example.bg\r\n"
        f"NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{qp(note[:30])}=\r\n{qp(note[30:])}\r\n"
        "BDAY:19880712\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN:;Eve;;;\r\nFN:Eve\r\nTEL;CELL:+44 7700 900123\r\nEND:VCARD\r\n"
    )
    write("google.vcf", google.encode("utf-8"))
    write("apple.vcf", apple.encode("utf-8"))
    write("outlook.vcf", outlook.encode("ascii"))
    write("android.vcf", android.encode("ascii"))


if __name__ == "__main__":
    csvs()
    xlsx()
    ods()
    vcards()
