//! What a column of an imported file can become, and the suggestion of a field for a
//! column from its header, in English, Bulgarian, Polish and Chinese.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::contacts::{AddressPurpose, ContactKind};
use crate::text::fold;

/// What is imported: companies or people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    Companies,
    People,
}

impl ImportKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Companies => "companies",
            ImportKind::People => "people",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim() {
            "companies" | "company" => Some(ImportKind::Companies),
            "people" | "person" => Some(ImportKind::People),
            _ => None,
        }
    }

    /// The record kind as access control and the history name it.
    pub fn record_kind(self) -> &'static str {
        match self {
            ImportKind::Companies => "company",
            ImportKind::People => "person",
        }
    }
}

/// A part of an address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AddressPart {
    Line1,
    Line2,
    City,
    Region,
    Postcode,
    Country,
}

impl AddressPart {
    pub const ALL: [AddressPart; 6] = [Self::Line1, Self::Line2, Self::City, Self::Region, Self::Postcode, Self::Country];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Line1 => "line1",
            Self::Line2 => "line2",
            Self::City => "city",
            Self::Region => "region",
            Self::Postcode => "postcode",
            Self::Country => "country",
        }
    }
}

/// The field a column is imported into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// One of the record's own text fields, by its API name (`name`, `tax_id`, ...).
    Field(&'static str),
    /// A contact method; a cell may hold several, separated by `;`.
    Contact(ContactKind),
    Address(AddressPurpose, AddressPart),
    /// A person's company, found by its customer code, its external id or its exact name.
    Employer,
    Position,
    Department,
    /// The owner, by login or email.
    Owner,
    /// Category values by name, separated by `;` or `,`.
    Categories,
    /// `key=value` pairs separated by `;` (what the export writes).
    Attributes,
    /// One attribute pair, the column's value under this key.
    Attribute(String),
    Custom(String),
}

/// The record fields a column can fill, for each kind, by their API names.
const COMPANY_FIELDS: [&str; 17] = [
    "external_id",
    "code",
    "name",
    "legal_name",
    "tax_id",
    "website",
    "industry",
    "size",
    "area",
    "type",
    "status",
    "level",
    "stage",
    "source",
    "description",
    "background",
    "security_level",
];
const PERSON_FIELDS: [&str; 10] = [
    "external_id",
    "given_name",
    "family_name",
    "full_name",
    "title",
    "birth_date",
    "language",
    "description",
    "background",
    "code",
];

impl Target {
    /// The target's key, as mappings store it and forms send it.
    pub fn key(&self) -> String {
        match self {
            Target::Field(name) => (*name).to_string(),
            Target::Contact(kind) => kind.as_str().to_string(),
            Target::Address(AddressPurpose::Office, part) => format!("address.{}", part.as_str()),
            Target::Address(purpose, part) => format!("{}.{}", purpose.as_str(), part.as_str()),
            Target::Employer => "employer".into(),
            Target::Position => "position".into(),
            Target::Department => "department".into(),
            Target::Owner => "owner".into(),
            Target::Categories => "categories".into(),
            Target::Attributes => "attributes".into(),
            Target::Attribute(key) => format!("attr.{key}"),
            Target::Custom(key) => format!("custom.{key}"),
        }
    }

    /// Parses a key for `kind`; `None` for a key that kind has no use for.
    pub fn parse(raw: &str, kind: ImportKind) -> Option<Target> {
        let raw = raw.trim();
        let fields: &[&'static str] = match kind {
            ImportKind::Companies => &COMPANY_FIELDS,
            ImportKind::People => &PERSON_FIELDS,
        };
        if let Some(name) = fields.iter().find(|f| **f == raw) {
            // A person's `code` is the customer code of their company.
            return Some(if kind == ImportKind::People && *name == "code" {
                Target::Employer
            } else {
                Target::Field(name)
            });
        }
        if let Some(kind) = ContactKind::parse(raw) {
            return Some(Target::Contact(kind));
        }
        if let Some((prefix, part)) = raw.split_once('.') {
            let part = AddressPart::ALL.into_iter().find(|p| p.as_str() == part);
            let purpose = match prefix {
                "address" => Some(AddressPurpose::Office),
                other => AddressPurpose::parse(other),
            };
            if let (Some(purpose), Some(part)) = (purpose, part) {
                return Some(Target::Address(purpose, part));
            }
            let key = raw[prefix.len() + 1..].trim();
            if key.is_empty() {
                return None;
            }
            return match prefix {
                "attr" if crate::attributes::valid_key(&key.to_lowercase()) => {
                    Some(Target::Attribute(key.to_lowercase()))
                }
                "custom" => Some(Target::Custom(key.to_string())),
                _ => None,
            };
        }
        let people_only = matches!(raw, "employer" | "position" | "department");
        if people_only && kind == ImportKind::Companies {
            return None;
        }
        match raw {
            "employer" => Some(Target::Employer),
            "position" => Some(Target::Position),
            "department" => Some(Target::Department),
            "owner" => Some(Target::Owner),
            "categories" => Some(Target::Categories),
            "attributes" => Some(Target::Attributes),
            _ => None,
        }
    }

    /// Every target a column of `kind` can be mapped to (attributes and custom fields
    /// aside), in the order a form offers them.
    pub fn all(kind: ImportKind) -> Vec<Target> {
        let mut all: Vec<Target> = match kind {
            ImportKind::Companies => COMPANY_FIELDS.iter().map(|f| Target::Field(f)).collect(),
            ImportKind::People => PERSON_FIELDS[..9].iter().map(|f| Target::Field(f)).collect(),
        };
        all.extend(ContactKind::ALL.into_iter().map(Target::Contact));
        let purposes: &[AddressPurpose] = match kind {
            ImportKind::Companies => &AddressPurpose::ALL,
            ImportKind::People => &[AddressPurpose::Office],
        };
        for purpose in purposes {
            all.extend(AddressPart::ALL.into_iter().map(|part| Target::Address(*purpose, part)));
        }
        if kind == ImportKind::People {
            all.extend([Target::Employer, Target::Position, Target::Department]);
        }
        all.extend([Target::Owner, Target::Categories, Target::Attributes]);
        all
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key())
    }
}

impl Serialize for Target {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.key())
    }
}

impl<'de> Deserialize<'de> for Target {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Without the kind, a key parses as it would for people or companies.
        let raw = String::deserialize(deserializer)?;
        Target::parse(&raw, ImportKind::Companies)
            .or_else(|| Target::parse(&raw, ImportKind::People))
            .ok_or_else(|| serde::de::Error::custom(format!("{raw:?} is not a field to import into")))
    }
}

/// Header words that name a target, already folded (lower case, no accents). A header
/// matches when its folded form equals one of them.
fn synonyms(kind: ImportKind) -> Vec<(&'static str, &'static [&'static str])> {
    let mut table: Vec<(&'static str, &'static [&'static str])> = vec![
        ("external_id", &["external id", "externalid", "external_id", "id", "legacy id", "record id", "външен номер", "външно id", "външен id", "identyfikator zewnetrzny", "id zewnetrzne", "外部编号", "外部id"]),
        ("email", &["email", "e-mail", "e mail", "mail", "email address", "e-mail address", "имейл", "имейл адрес", "е-мейл", "електронна поща", "e-поща", "adres e-mail", "adres email", "poczta e-mail", "电子邮件", "电子邮箱", "邮箱", "邮件", "電子郵件"]),
        ("phone", &["phone", "telephone", "tel", "tel.", "phone number", "work phone", "business phone", "телефон", "тел", "тел.", "telefon", "nr telefonu", "numer telefonu", "电话", "电话号码", "座机", "办公电话"]),
        ("mobile", &["mobile", "mobile phone", "cell", "cell phone", "mobile number", "мобилен", "мобилен телефон", "gsm", "telefon komorkowy", "komorka", "tel. kom.", "tel. komorkowy", "手机", "手机号", "手机号码", "移动电话"]),
        ("fax", &["fax", "fax number", "факс", "faks", "传真"]),
        ("web", &["website", "web site", "web", "www", "url", "homepage", "web page", "уебсайт", "уеб сайт", "сайт", "интернет страница", "strona www", "strona internetowa", "witryna", "网站", "网址", "主页"]),
        ("address.line1", &["address", "street", "street address", "address line 1", "адрес", "улица", "adres", "ulica", "地址", "街道", "详细地址"]),
        ("address.line2", &["address line 2", "адрес 2", "adres 2", "地址2"]),
        ("address.city", &["city", "town", "град", "населено място", "miasto", "miejscowosc", "城市"]),
        ("address.region", &["region", "state", "province", "county", "област", "регион", "wojewodztwo", "省", "省份", "地区"]),
        ("address.postcode", &["postcode", "post code", "postal code", "zip", "zip code", "пощенски код", "п.к.", "пк", "kod pocztowy", "邮编", "邮政编码"]),
        ("address.country", &["country", "държава", "страна", "kraj", "panstwo", "国家", "国家/地区"]),
        ("owner", &["owner", "account owner", "отговорник", "собственик", "wlasciciel", "opiekun", "负责人", "所有者"]),
        ("categories", &["categories", "category", "tags", "категории", "категория", "етикети", "kategorie", "kategoria", "tagi", "分类", "类别", "标签"]),
        ("attributes", &["attributes", "атрибути", "atrybuty", "属性"]),
        ("description", &["description", "notes", "note", "comments", "описание", "бележки", "бележка", "коментар", "opis", "uwagi", "notatki", "描述", "备注", "说明"]),
        ("background", &["background", "history", "предистория", "historia", "背景"]),
    ];
    match kind {
        ImportKind::Companies => table.extend([
            ("name", &["name", "company", "company name", "organization", "organisation", "account name", "account", "име", "фирма", "име на фирма", "наименование", "компания", "организация", "nazwa", "nazwa firmy", "firma", "公司", "公司名称", "名称", "企业名称", "单位", "客户名称"] as &[&str]),
            ("code", &["code", "customer code", "customer number", "client code", "код", "код на клиент", "клиентски номер", "kod", "kod klienta", "numer klienta", "客户编号", "客户代码", "编号"]),
            ("legal_name", &["legal name", "registered name", "full legal name", "юридическо име", "пълно наименование", "nazwa pelna", "pelna nazwa", "法定名称", "全称"]),
            ("tax_id", &["tax id", "tax number", "vat", "vat number", "vat id", "vat no", "nip", "eik", "еик", "булстат", "ин по ддс", "ддс номер", "ддс", "nip/vat", "税号", "纳税人识别号", "统一社会信用代码"]),
            ("industry", &["industry", "sector", "отрасъл", "индустрия", "сектор", "branza", "sektor", "行业"]),
            ("size", &["size", "employees", "company size", "размер", "служители", "wielkosc", "liczba pracownikow", "规模", "人数"]),
            ("area", &["area", "territory", "район", "територия", "obszar", "rejon", "区域", "片区"]),
            ("type", &["type", "company type", "тип", "вид", "typ", "rodzaj", "类型"]),
            ("status", &["status", "статус", "状态"]),
            ("level", &["level", "ниво", "poziom", "等级", "级别"]),
            ("stage", &["stage", "етап", "етап на отношения", "etap", "阶段"]),
            ("source", &["source", "lead source", "източник", "zrodlo", "来源"]),
            ("security_level", &["security level", "ниво на достъп", "poziom poufnosci", "安全级别"]),
            ("billing.line1", &["billing address", "billing street", "адрес за фактуриране", "adres rozliczeniowy", "账单地址", "开票地址"]),
            ("billing.city", &["billing city"]),
            ("billing.region", &["billing region", "billing state"]),
            ("billing.postcode", &["billing postcode", "billing postal code", "billing zip"]),
            ("billing.country", &["billing country"]),
            ("billing.line2", &["billing address line 2"]),
            ("delivery.line1", &["delivery address", "shipping address", "shipping street", "адрес за доставка", "adres dostawy", "收货地址", "送货地址"]),
            ("delivery.city", &["delivery city", "shipping city"]),
            ("delivery.region", &["delivery region", "shipping state"]),
            ("delivery.postcode", &["delivery postcode", "shipping postal code", "shipping zip"]),
            ("delivery.country", &["delivery country", "shipping country"]),
            ("delivery.line2", &["delivery address line 2"]),
            ("postal.line1", &["postal address", "mailing address", "пощенски адрес", "adres korespondencyjny", "邮寄地址"]),
            ("postal.city", &["postal city", "mailing city"]),
            ("postal.region", &["postal region"]),
            ("postal.postcode", &["postal postcode"]),
            ("postal.country", &["postal country"]),
            ("postal.line2", &["postal address line 2"]),
        ]),
        ImportKind::People => table.extend([
            ("given_name", &["first name", "firstname", "given name", "first", "forename", "име", "собствено име", "imie", "名", "名字"] as &[&str]),
            ("family_name", &["last name", "lastname", "surname", "family name", "фамилия", "фамилно име", "nazwisko", "姓", "姓氏"]),
            ("full_name", &["name", "full name", "contact name", "contact", "display name", "име и фамилия", "пълно име", "лице за контакт", "imie i nazwisko", "osoba kontaktowa", "姓名", "联系人", "全名"]),
            ("title", &["title", "salutation", "обръщение", "титла", "tytul", "zwrot grzecznosciowy", "称谓", "称呼"]),
            ("birth_date", &["birth date", "birthdate", "date of birth", "birthday", "dob", "рождена дата", "дата на раждане", "рожден ден", "data urodzenia", "urodziny", "出生日期", "生日"]),
            ("language", &["language", "език", "jezyk", "语言"]),
            ("employer", &["company", "employer", "organization", "organisation", "company name", "company code", "customer code", "фирма", "компания", "работодател", "организация", "firma", "pracodawca", "nazwa firmy", "kod klienta", "公司", "单位", "工作单位", "公司名称"]),
            ("position", &["position", "job title", "role", "job", "длъжност", "позиция", "stanowisko", "funkcja", "职位", "职务"]),
            ("department", &["department", "отдел", "dzial", "部门"]),
        ]),
    }
    table
}

/// A header in the form synonyms are written in: folded, with runs of spaces, `_` and
/// `-` between words as one space, and no trailing `:` or `*`.
pub fn header_key(header: &str) -> String {
    let folded = fold(header.trim().trim_end_matches([':', '*']).trim());
    let spaced: String = folded.chars().map(|c| if c == '_' { ' ' } else { c }).collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The field a column with this header most likely holds, for `kind`. `custom` lists the
/// custom fields of the kind as (key, label): a header equal to either suggests it.
pub fn suggest(header: &str, kind: ImportKind, custom: &[(String, String)]) -> Option<Target> {
    let key = header_key(header);
    if key.is_empty() {
        return None;
    }
    if let Some(target) = Target::parse(header.trim(), kind).or_else(|| Target::parse(&key, kind)) {
        return Some(target);
    }
    for (field, label) in custom {
        if header_key(field) == key || header_key(label) == key {
            return Some(Target::Custom(field.clone()));
        }
    }
    let table = synonyms(kind);
    let matched = |key: &str| table.iter().find(|(_, words)| words.contains(&key)).map(|(target, _)| *target);
    // "Email 2", "Телефон 2": a numbered repeat of a column is the same kind of field.
    let unnumbered = key.trim_end_matches(|c: char| c.is_ascii_digit() || c == ' ' || c == '#');
    matched(&key)
        .or_else(|| matched(unnumbered).filter(|t| ContactKind::parse(t).is_some()))
        .and_then(|target| Target::parse(target, kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_in_four_languages_are_recognised() {
        let people = ImportKind::People;
        let companies = ImportKind::Companies;
        let cases = [
            ("Имейл", people, "email"),
            ("E-mail", people, "email"),
            ("电子邮件", people, "email"),
            ("Nazwa firmy", companies, "name"),
            ("Nazwa firmy", people, "employer"),
            ("Име", companies, "name"),
            ("Фамилия", people, "family_name"),
            ("Imię", people, "given_name"),
            ("Data urodzenia", people, "birth_date"),
            ("手机", people, "mobile"),
            ("Email 2", people, "email"),
            ("External ID", companies, "external_id"),
            ("ЕИК", companies, "tax_id"),
            ("Kod pocztowy", companies, "address.postcode"),
            ("Billing city", companies, "billing.city"),
            ("custom.credit_limit", companies, "custom.credit_limit"),
            ("attr.loyalty", people, "attr.loyalty"),
            ("Company code", people, "employer"),
        ];
        for (header, kind, expected) in cases {
            assert_eq!(suggest(header, kind, &[]).map(|t| t.key()).as_deref(), Some(expected), "{header}");
        }
        assert_eq!(suggest("Shoe size", people, &[]), None);
        let custom = [("credit_limit".to_string(), "Credit limit".to_string())];
        assert_eq!(suggest("Credit Limit", companies, &custom), Some(Target::Custom("credit_limit".into())));
    }

    #[test]
    fn keys_round_trip_for_every_target() {
        for kind in [ImportKind::Companies, ImportKind::People] {
            for target in Target::all(kind) {
                assert_eq!(Target::parse(&target.key(), kind), Some(target.clone()), "{target}");
            }
        }
        assert_eq!(Target::parse("employer", ImportKind::Companies), None);
    }
}
