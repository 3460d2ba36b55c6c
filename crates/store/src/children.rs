//! Reads the child rows of companies and people (contact methods, addresses, attribute
//! pairs, categories and, for people, employments) for many owners in one statement:
//! each list is aggregated into JSON next to its owner's id. One round trip instead of
//! one per table matters most for SQLite, where every statement crosses to the
//! connection's thread and back.

use std::collections::HashMap;

use rapport_core::attributes::Attributes;
use rapport_core::contacts::{Address, AddressPurpose, ContactKind, ContactMethod};
use rapport_core::country::Country;
use rapport_core::people::Employment;
use sea_query::{Expr, ExprTrait, Query};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use time::Date;
use uuid::Uuid;

use crate::{Backend, Exec, Result, StoreError};

/// Everything hanging off one owner record.
#[derive(Debug, Clone, Default)]
pub struct Children {
    pub contact_methods: Vec<ContactMethod>,
    pub addresses: Vec<Address>,
    pub attributes: Attributes,
    pub categories: Vec<Uuid>,
    /// Only people have employments.
    pub employments: Vec<Employment>,
}

/// A column as a JSON value: SQLite keeps UUIDs as blobs, which JSON cannot hold.
enum Col {
    Plain(&'static str),
    Uuid(&'static str),
}

impl Col {
    fn sql(&self, backend: Backend) -> String {
        match (self, backend) {
            (Col::Plain(name), _) | (Col::Uuid(name), Backend::Postgres) => (*name).to_string(),
            (Col::Uuid(name), Backend::Sqlite) => format!("lower(hex({name}))"),
        }
    }
}

/// `(SELECT <JSON array of objects, in order> FROM table WHERE owner = <owner>.id)`.
fn object_list(
    backend: Backend,
    owner: &str,
    table: &str,
    owner_column: &str,
    fields: &[(&str, Col)],
    order: &str,
) -> String {
    let pairs: Vec<String> = fields.iter().map(|(key, col)| format!("'{key}', {}", col.sql(backend))).collect();
    let pairs = pairs.join(", ");
    let filter = format!("FROM {table} WHERE {owner_column} = {owner}.id");
    match backend {
        Backend::Sqlite => format!("(SELECT json_group_array(json_object({pairs}) ORDER BY {order}) {filter})"),
        Backend::Postgres => {
            format!("(SELECT coalesce(json_agg(json_build_object({pairs}) ORDER BY {order}), '[]')::text {filter})")
        }
    }
}

fn category_list(backend: Backend, owner: &str) -> String {
    let filter = format!("FROM record_categories WHERE record_id = {owner}.id");
    match backend {
        Backend::Sqlite => format!("(SELECT json_group_array(lower(hex(value_id)) ORDER BY value_id) {filter})"),
        Backend::Postgres => format!("(SELECT coalesce(json_agg(value_id ORDER BY value_id), '[]')::text {filter})"),
    }
}

fn attribute_map(backend: Backend, owner: &str) -> String {
    let filter = format!("FROM record_attributes WHERE record_id = {owner}.id");
    match backend {
        Backend::Sqlite => format!("(SELECT json_group_object(key, value) {filter})"),
        Backend::Postgres => format!("(SELECT coalesce(json_object_agg(key, value), '{{}}')::text {filter})"),
    }
}

#[derive(sqlx::FromRow)]
struct ChildrenRow {
    record_id: Uuid,
    methods: String,
    addresses: String,
    attributes: String,
    categories: String,
    #[sqlx(default)]
    employments: Option<String>,
}

/// Loads the children of many owners of table `owner` (`companies` or `people`) at once.
pub async fn load(ex: &mut impl Exec, owner: &'static str, ids: &[Uuid]) -> Result<HashMap<Uuid, Children>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let backend = ex.backend();
    let methods = [
        ("kind", Col::Plain("kind")),
        ("value", Col::Plain("value")),
        ("normalized", Col::Plain("normalized")),
        ("e164", Col::Plain("e164")),
        ("label", Col::Plain("label")),
        ("primary", Col::Plain("is_primary")),
    ];
    let addresses = [
        ("purpose", Col::Plain("purpose")),
        ("line1", Col::Plain("line1")),
        ("line2", Col::Plain("line2")),
        ("city", Col::Plain("city")),
        ("region", Col::Plain("region")),
        ("postcode", Col::Plain("postcode")),
        ("country", Col::Plain("country")),
        ("default", Col::Plain("is_default")),
    ];
    let mut select = Query::select();
    select
        .expr_as(Expr::col((owner, "id")), "record_id")
        .expr_as(
            Expr::cust(object_list(backend, owner, "contact_methods", "record_id", &methods, "sort_order")),
            "methods",
        )
        .expr_as(
            Expr::cust(object_list(backend, owner, "addresses", "record_id", &addresses, "sort_order")),
            "addresses",
        )
        .expr_as(Expr::cust(attribute_map(backend, owner)), "attributes")
        .expr_as(Expr::cust(category_list(backend, owner)), "categories")
        .from(owner)
        .and_where(Expr::col((owner, "id")).is_in(ids.iter().copied()));
    if owner == "people" {
        let employments = [
            ("company_id", Col::Uuid("company_id")),
            ("position", Col::Plain("position")),
            ("department", Col::Plain("department")),
            ("responsibilities", Col::Plain("responsibilities")),
            ("availability", Col::Plain("availability")),
            ("current", Col::Plain("is_current")),
            ("started_on", Col::Plain("started_on")),
            ("ended_on", Col::Plain("ended_on")),
        ];
        select.expr_as(
            Expr::cust(object_list(backend, owner, "employments", "person_id", &employments, "sort_order")),
            "employments",
        );
    }
    let rows: Vec<ChildrenRow> = ex.fetch_all(&select).await?;
    rows.into_iter().map(|row| Ok((row.record_id, row.parse()?))).collect()
}

impl ChildrenRow {
    fn parse(self) -> Result<Children> {
        let methods: Vec<MethodJson> = json(&self.methods)?;
        let addresses: Vec<AddressJson> = json(&self.addresses)?;
        let employments: Vec<EmploymentJson> = self.employments.as_deref().map(json).transpose()?.unwrap_or_default();
        Ok(Children {
            contact_methods: methods.into_iter().map(MethodJson::parse).collect::<Result<_>>()?,
            addresses: addresses.into_iter().map(AddressJson::parse).collect::<Result<_>>()?,
            attributes: json(&self.attributes)?,
            categories: json(&self.categories)?,
            employments: employments.into_iter().map(EmploymentJson::parse).collect::<Result<_>>()?,
        })
    }
}

fn json<T: DeserializeOwned>(text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("child rows: {e}")))
}

/// SQLite has no booleans: its JSON says 0 or 1 where PostgreSQL's says false or true.
fn flag<'de, D: Deserializer<'de>>(deserializer: D) -> std::result::Result<bool, D::Error> {
    match serde_json::Value::deserialize(deserializer)? {
        serde_json::Value::Bool(b) => Ok(b),
        serde_json::Value::Number(n) => Ok(n.as_i64() != Some(0)),
        other => Err(serde::de::Error::custom(format!("not a flag: {other}"))),
    }
}

#[derive(Deserialize)]
struct MethodJson {
    kind: String,
    value: String,
    normalized: String,
    e164: Option<String>,
    label: Option<String>,
    #[serde(deserialize_with = "flag")]
    primary: bool,
}

impl MethodJson {
    fn parse(self) -> Result<ContactMethod> {
        let kind =
            ContactKind::parse(&self.kind).ok_or_else(|| StoreError::Corrupt(format!("contact kind {}", self.kind)))?;
        Ok(ContactMethod {
            kind,
            value: self.value,
            normalized: self.normalized,
            e164: self.e164,
            label: self.label,
            primary: self.primary,
        })
    }
}

#[derive(Deserialize)]
struct AddressJson {
    purpose: String,
    line1: Option<String>,
    line2: Option<String>,
    city: Option<String>,
    region: Option<String>,
    postcode: Option<String>,
    country: Option<String>,
    #[serde(deserialize_with = "flag")]
    default: bool,
}

impl AddressJson {
    fn parse(self) -> Result<Address> {
        let purpose = AddressPurpose::parse(&self.purpose)
            .ok_or_else(|| StoreError::Corrupt(format!("address purpose {}", self.purpose)))?;
        Ok(Address {
            purpose,
            line1: self.line1,
            line2: self.line2,
            city: self.city,
            region: self.region,
            postcode: self.postcode,
            country: self.country.as_deref().and_then(|c| Country::parse(c).ok()),
            default: self.default,
        })
    }
}

#[derive(Deserialize)]
struct EmploymentJson {
    company_id: Uuid,
    position: Option<String>,
    department: Option<String>,
    responsibilities: Option<String>,
    availability: Option<String>,
    #[serde(deserialize_with = "flag")]
    current: bool,
    started_on: Option<String>,
    ended_on: Option<String>,
}

impl EmploymentJson {
    fn parse(self) -> Result<Employment> {
        Ok(Employment {
            company_id: self.company_id,
            position: self.position,
            department: self.department,
            responsibilities: self.responsibilities,
            availability: self.availability,
            current: self.current,
            started_on: self.started_on.as_deref().map(date).transpose()?,
            ended_on: self.ended_on.as_deref().map(date).transpose()?,
        })
    }
}

fn date(text: &str) -> Result<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text, &format).map_err(|e| StoreError::Corrupt(format!("date {text}: {e}")))
}
