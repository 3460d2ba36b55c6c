//! Child rows shared by companies and people: contact methods, addresses, attribute
//! pairs, category memberships and the index of custom values. Each is replaced as a whole when its owner is saved;
//! `children` reads them back.

use rapport_core::attributes::Attributes;
use rapport_core::contacts::{Address, ContactMethod};
use rapport_core::custom_fields::RecordKind;
use sea_query::{Expr, ExprTrait, Query};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::{Exec, Result};

fn owner_column(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Company => "company_id",
        RecordKind::Person => "person_id",
    }
}

/// The children of one owner, borrowed from its fields, for writing.
#[derive(Debug, Clone, Copy)]
pub struct ChildRows<'a> {
    pub id: Uuid,
    pub methods: &'a [ContactMethod],
    pub addresses: &'a [Address],
    pub attributes: &'a Attributes,
    pub categories: &'a [Uuid],
    /// The record's custom values, indexed as `record_custom_values` rows.
    pub custom: &'a Map<String, Value>,
}

/// Rows per multi-row INSERT: well under both engines' limits on bound parameters.
pub(crate) const CHUNK: usize = 400;

/// Whether two versions of an owner's children differ.
pub fn changed(before: &ChildRows<'_>, after: &ChildRows<'_>) -> bool {
    before.methods != after.methods
        || before.addresses != after.addresses
        || before.attributes != after.attributes
        || before.categories != after.categories
        || before.custom != after.custom
}

/// Longest indexed value: longer texts are indexed (and filtered) by their start, well
/// under PostgreSQL's limit on a B-tree entry.
const INDEXED_CHARS: usize = 200;

/// A value as a list filter compares it with the index.
pub fn indexed_term(text: &str) -> String {
    text.chars().take(INDEXED_CHARS).collect()
}

/// The indexed terms of a custom value: its text, a money amount without the currency,
/// one term per choice of a multi-choice value.
pub fn custom_terms(value: &Value) -> Vec<String> {
    match value {
        Value::Null => Vec::new(),
        Value::String(s) => vec![indexed_term(s)],
        Value::Number(n) => vec![n.to_string()],
        Value::Bool(b) => vec![b.to_string()],
        Value::Array(items) => {
            items.iter().filter(|i| !i.is_array() && !i.is_object()).flat_map(custom_terms).collect()
        }
        Value::Object(o) => o.get("amount").map(custom_terms).unwrap_or_default(),
    }
}

pub async fn delete_children(ex: &mut impl Exec, id: Uuid) -> Result<()> {
    for table in ["contact_methods", "addresses", "record_attributes", "record_categories", "record_custom_values"] {
        ex.execute(Query::delete().from_table(table).and_where(Expr::col("record_id").eq(id))).await?;
    }
    Ok(())
}

/// Replaces the children of one owner.
pub async fn replace(ex: &mut impl Exec, kind: RecordKind, rows: ChildRows<'_>) -> Result<()> {
    delete_children(ex, rows.id).await?;
    insert_children(ex, kind, &[rows]).await
}

/// Inserts the children of many new owners with a few multi-row statements.
pub async fn insert_children(ex: &mut impl Exec, kind: RecordKind, owners: &[ChildRows<'_>]) -> Result<()> {
    let methods: Vec<(Uuid, usize, &ContactMethod)> =
        owners.iter().flat_map(|o| o.methods.iter().enumerate().map(move |(i, m)| (o.id, i, m))).collect();
    for chunk in methods.chunks(CHUNK) {
        let mut insert = Query::insert();
        insert.into_table("contact_methods").columns([
            "id",
            "record_id",
            owner_column(kind),
            "kind",
            "value",
            "normalized",
            "e164",
            "label",
            "is_primary",
            "sort_order",
        ]);
        for (id, i, m) in chunk {
            insert.values_panic([
                Uuid::now_v7().into(),
                (*id).into(),
                (*id).into(),
                m.kind.as_str().into(),
                m.value.clone().into(),
                m.normalized.clone().into(),
                m.e164.clone().into(),
                m.label.clone().into(),
                m.primary.into(),
                (*i as i32).into(),
            ]);
        }
        ex.execute(&insert).await?;
    }
    let addresses: Vec<(Uuid, usize, &Address)> =
        owners.iter().flat_map(|o| o.addresses.iter().enumerate().map(move |(i, a)| (o.id, i, a))).collect();
    for chunk in addresses.chunks(CHUNK) {
        let mut insert = Query::insert();
        insert.into_table("addresses").columns([
            "id",
            "record_id",
            owner_column(kind),
            "purpose",
            "line1",
            "line2",
            "city",
            "region",
            "postcode",
            "country",
            "is_default",
            "sort_order",
        ]);
        for (id, i, a) in chunk {
            insert.values_panic([
                Uuid::now_v7().into(),
                (*id).into(),
                (*id).into(),
                a.purpose.as_str().into(),
                a.line1.clone().into(),
                a.line2.clone().into(),
                a.city.clone().into(),
                a.region.clone().into(),
                a.postcode.clone().into(),
                a.country.map(|c| c.to_string()).into(),
                a.default.into(),
                (*i as i32).into(),
            ]);
        }
        ex.execute(&insert).await?;
    }
    let pairs: Vec<(Uuid, &String, &String)> =
        owners.iter().flat_map(|o| o.attributes.iter().map(move |(k, v)| (o.id, k, v))).collect();
    for chunk in pairs.chunks(CHUNK) {
        let mut insert = Query::insert();
        insert.into_table("record_attributes").columns(["record_id", "record_kind", "key", "value"]);
        for (id, key, value) in chunk {
            insert.values_panic([(*id).into(), kind.as_str().into(), (*key).clone().into(), (*value).clone().into()]);
        }
        ex.execute(&insert).await?;
    }
    let categories: Vec<(Uuid, Uuid)> =
        owners.iter().flat_map(|o| o.categories.iter().map(move |c| (o.id, *c))).collect();
    for chunk in categories.chunks(CHUNK) {
        let mut insert = Query::insert();
        insert.into_table("record_categories").columns(["record_id", "record_kind", "value_id"]);
        for (id, value_id) in chunk {
            insert.values_panic([(*id).into(), kind.as_str().into(), (*value_id).into()]);
        }
        ex.execute(&insert).await?;
    }
    let mut custom: Vec<(Uuid, &String, String)> = owners
        .iter()
        .flat_map(|o| o.custom.iter().flat_map(move |(k, v)| custom_terms(v).into_iter().map(move |t| (o.id, k, t))))
        .collect();
    // The key is (record, field, value): a multi-choice value listing a choice twice is one row.
    custom.sort();
    custom.dedup();
    for chunk in custom.chunks(CHUNK) {
        let mut insert = Query::insert();
        insert.into_table("record_custom_values").columns(["record_id", "record_kind", "key", "value"]);
        for (id, key, value) in chunk {
            insert.values_panic([(*id).into(), kind.as_str().into(), (*key).clone().into(), value.clone().into()]);
        }
        ex.execute(&insert).await?;
    }
    Ok(())
}
