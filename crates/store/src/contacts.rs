//! Child rows shared by companies and people: contact methods, addresses, attribute
//! pairs and category memberships. Each is replaced as a whole when its owner is saved,
//! and loaded for a whole page of owners in one query per table.

use std::collections::HashMap;

use rapport_core::attributes::Attributes;
use rapport_core::contacts::{Address, AddressPurpose, ContactKind, ContactMethod};
use rapport_core::country::Country;
use rapport_core::custom_fields::RecordKind;
use sea_query::{Expr, ExprTrait, Order, Query};
use uuid::Uuid;

use crate::{Exec, Result, StoreError};

fn owner_column(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Company => "company_id",
        RecordKind::Person => "person_id",
    }
}

/// Everything hanging off one owner record.
#[derive(Debug, Clone, Default)]
pub struct Children {
    pub contact_methods: Vec<ContactMethod>,
    pub addresses: Vec<Address>,
    pub attributes: Attributes,
    pub categories: Vec<Uuid>,
}

/// The children of one owner, borrowed from its fields, for writing.
#[derive(Debug, Clone, Copy)]
pub struct ChildRows<'a> {
    pub id: Uuid,
    pub methods: &'a [ContactMethod],
    pub addresses: &'a [Address],
    pub attributes: &'a Attributes,
    pub categories: &'a [Uuid],
}

/// Rows per multi-row INSERT: well under both engines' limits on bound parameters.
pub(crate) const CHUNK: usize = 400;

pub async fn delete_children(ex: &mut impl Exec, id: Uuid) -> Result<()> {
    for table in ["contact_methods", "addresses", "record_attributes", "record_categories"] {
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
    Ok(())
}

#[derive(sqlx::FromRow)]
struct MethodRow {
    record_id: Uuid,
    kind: String,
    value: String,
    normalized: String,
    e164: Option<String>,
    label: Option<String>,
    is_primary: bool,
}

#[derive(sqlx::FromRow)]
struct AddressRow {
    record_id: Uuid,
    purpose: String,
    line1: Option<String>,
    line2: Option<String>,
    city: Option<String>,
    region: Option<String>,
    postcode: Option<String>,
    country: Option<String>,
    is_default: bool,
}

#[derive(sqlx::FromRow)]
struct PairRow {
    record_id: Uuid,
    key: String,
    value: String,
}

#[derive(sqlx::FromRow)]
struct CategoryRow {
    record_id: Uuid,
    value_id: Uuid,
}

/// Loads the children of many owners at once: four queries whatever the page size.
pub async fn load(ex: &mut impl Exec, ids: &[Uuid]) -> Result<HashMap<Uuid, Children>> {
    let mut out: HashMap<Uuid, Children> = ids.iter().map(|id| (*id, Children::default())).collect();
    if ids.is_empty() {
        return Ok(out);
    }
    let in_ids = || Expr::col("record_id").is_in(ids.iter().copied());
    let methods: Vec<MethodRow> = ex
        .fetch_all(
            Query::select()
                .columns(["record_id", "kind", "value", "normalized", "e164", "label", "is_primary"])
                .from("contact_methods")
                .and_where(in_ids())
                .order_by("record_id", Order::Asc)
                .order_by("sort_order", Order::Asc),
        )
        .await?;
    for row in methods {
        let kind =
            ContactKind::parse(&row.kind).ok_or_else(|| StoreError::Corrupt(format!("contact kind {}", row.kind)))?;
        if let Some(children) = out.get_mut(&row.record_id) {
            children.contact_methods.push(ContactMethod {
                kind,
                value: row.value,
                normalized: row.normalized,
                e164: row.e164,
                label: row.label,
                primary: row.is_primary,
            });
        }
    }
    let addresses: Vec<AddressRow> = ex
        .fetch_all(
            Query::select()
                .columns([
                    "record_id",
                    "purpose",
                    "line1",
                    "line2",
                    "city",
                    "region",
                    "postcode",
                    "country",
                    "is_default",
                ])
                .from("addresses")
                .and_where(in_ids())
                .order_by("record_id", Order::Asc)
                .order_by("sort_order", Order::Asc),
        )
        .await?;
    for row in addresses {
        let purpose = AddressPurpose::parse(&row.purpose)
            .ok_or_else(|| StoreError::Corrupt(format!("address purpose {}", row.purpose)))?;
        if let Some(children) = out.get_mut(&row.record_id) {
            children.addresses.push(Address {
                purpose,
                line1: row.line1,
                line2: row.line2,
                city: row.city,
                region: row.region,
                postcode: row.postcode,
                country: row.country.as_deref().and_then(|c| Country::parse(c).ok()),
                default: row.is_default,
            });
        }
    }
    let pairs: Vec<PairRow> = ex
        .fetch_all(Query::select().columns(["record_id", "key", "value"]).from("record_attributes").and_where(in_ids()))
        .await?;
    for row in pairs {
        if let Some(children) = out.get_mut(&row.record_id) {
            children.attributes.insert(row.key, row.value);
        }
    }
    let categories: Vec<CategoryRow> = ex
        .fetch_all(
            Query::select()
                .columns(["record_id", "value_id"])
                .from("record_categories")
                .and_where(in_ids())
                .order_by("value_id", Order::Asc),
        )
        .await?;
    for row in categories {
        if let Some(children) = out.get_mut(&row.record_id) {
            children.categories.push(row.value_id);
        }
    }
    Ok(out)
}
