//! Custom field definitions.

use rapport_core::custom_fields::{CustomFieldSpec, FieldType, RecordKind};
use rapport_core::money::Currency;
use sea_query::{Expr, ExprTrait, Order, Query};
use serde::{Deserialize, Serialize};
use sqlx::types::Json;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Exec, Result, StoreError};

#[derive(Debug, Clone, Serialize)]
pub struct CustomField {
    pub id: Uuid,
    #[serde(flatten)]
    pub spec: CustomFieldSpec,
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Options {
    #[serde(default)]
    choices: Vec<String>,
    currency: Option<String>,
    target: Option<String>,
}

#[derive(sqlx::FromRow)]
struct FieldRow {
    id: Uuid,
    record_kind: String,
    key: String,
    label: String,
    field_type: String,
    required: bool,
    options: Json<Options>,
    position: i32,
    version: i64,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

fn options(spec: &CustomFieldSpec) -> serde_json::Value {
    serde_json::to_value(Options {
        choices: spec.choices.clone(),
        currency: spec.currency.as_ref().map(|c| c.as_str().to_string()),
        target: spec.target.map(|t| t.as_str().to_string()),
    })
    .unwrap_or_default()
}

pub async fn insert(ex: &mut impl Exec, id: Uuid, spec: &CustomFieldSpec, at: OffsetDateTime) -> Result<()> {
    let at = ex.ts(at);
    ex.execute(
        Query::insert()
            .into_table("custom_fields")
            .columns([
                "id",
                "record_kind",
                "key",
                "label",
                "field_type",
                "required",
                "options",
                "position",
                "version",
                "created_at",
                "updated_at",
            ])
            .values_panic([
                id.into(),
                spec.record_kind.as_str().into(),
                spec.key.clone().into(),
                spec.label.clone().into(),
                spec.field_type.as_str().into(),
                spec.required.into(),
                options(spec).into(),
                spec.position.into(),
                1i64.into(),
                at.clone().into(),
                at.into(),
            ]),
    )
    .await?;
    Ok(())
}

/// Saves a changed definition if `version` is still current; false otherwise.
pub async fn update(
    ex: &mut impl Exec,
    id: Uuid,
    version: i64,
    spec: &CustomFieldSpec,
    at: OffsetDateTime,
) -> Result<bool> {
    let at = ex.ts(at);
    let changed = ex
        .execute(
            Query::update()
                .table("custom_fields")
                .values([
                    ("label", spec.label.clone().into()),
                    ("required", spec.required.into()),
                    ("options", options(spec).into()),
                    ("position", spec.position.into()),
                    ("version", (version + 1).into()),
                    ("updated_at", Expr::val(at)),
                ])
                .and_where(Expr::col("id").eq(id))
                .and_where(Expr::col("version").eq(version)),
        )
        .await?;
    Ok(changed == 1)
}

pub async fn list(ex: &mut impl Exec, kind: Option<RecordKind>) -> Result<Vec<CustomField>> {
    let mut select = Query::select();
    select
        .columns([
            "id",
            "record_kind",
            "key",
            "label",
            "field_type",
            "required",
            "options",
            "position",
            "version",
            "created_at",
            "updated_at",
        ])
        .from("custom_fields")
        .order_by("record_kind", Order::Asc)
        .order_by("position", Order::Asc)
        .order_by("key", Order::Asc);
    if let Some(kind) = kind {
        select.and_where(Expr::col("record_kind").eq(kind.as_str()));
    }
    let rows: Vec<FieldRow> = ex.fetch_all(&select).await?;
    rows.into_iter().map(into_field).collect()
}

pub async fn get(ex: &mut impl Exec, id: Uuid) -> Result<Option<CustomField>> {
    Ok(list(ex, None).await?.into_iter().find(|f| f.id == id))
}

fn into_field(row: FieldRow) -> Result<CustomField> {
    let corrupt = |what: &str| StoreError::Corrupt(format!("custom field {}: {what}", row.key));
    let record_kind = RecordKind::parse(&row.record_kind).ok_or_else(|| corrupt("record kind"))?;
    let field_type = FieldType::parse(&row.field_type).ok_or_else(|| corrupt("type"))?;
    let options = row.options.0;
    Ok(CustomField {
        id: row.id,
        spec: CustomFieldSpec {
            record_kind,
            key: row.key.clone(),
            label: row.label,
            field_type,
            required: row.required,
            choices: options.choices,
            currency: options.currency.as_deref().and_then(|c| Currency::parse(c).ok()),
            target: options.target.as_deref().and_then(RecordKind::parse),
            position: row.position,
        },
        version: row.version,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}
