//! Imports in storage: the batch, its uploaded file in pieces, the records it created or
//! changed, the rows it refused, and the column mappings users saved.

use sea_query::{Expr, ExprTrait, OnConflict, Order, Query};
use serde::Serialize;
use serde_json::Value;
pub use sqlx::types::Json;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Exec, Result};

#[derive(Debug, Clone, Serialize)]
pub struct Import {
    pub id: Uuid,
    pub kind: String,
    pub format: String,
    pub file_name: String,
    pub file_size: i64,
    pub options: Value,
    pub state: String,
    pub job_id: Option<Uuid>,
    pub summary: Option<Value>,
    pub error: Option<String>,
    pub created_by: Option<Uuid>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub finished_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub undone_at: Option<OffsetDateTime>,
    pub undone_by: Option<Uuid>,
}

#[derive(sqlx::FromRow)]
struct ImportRow {
    id: Uuid,
    kind: String,
    format: String,
    file_name: String,
    file_size: i64,
    options: Json<Value>,
    state: String,
    job_id: Option<Uuid>,
    summary: Option<Json<Value>>,
    error: Option<String>,
    created_by: Option<Uuid>,
    created_at: OffsetDateTime,
    finished_at: Option<OffsetDateTime>,
    undone_at: Option<OffsetDateTime>,
    undone_by: Option<Uuid>,
}

const COLUMNS: [&str; 15] = [
    "id",
    "kind",
    "format",
    "file_name",
    "file_size",
    "options",
    "state",
    "job_id",
    "summary",
    "error",
    "created_by",
    "created_at",
    "finished_at",
    "undone_at",
    "undone_by",
];

impl From<ImportRow> for Import {
    fn from(r: ImportRow) -> Import {
        Import {
            id: r.id,
            kind: r.kind,
            format: r.format,
            file_name: r.file_name,
            file_size: r.file_size,
            options: r.options.0,
            state: r.state,
            job_id: r.job_id,
            summary: r.summary.map(|s| s.0),
            error: r.error,
            created_by: r.created_by,
            created_at: r.created_at,
            finished_at: r.finished_at,
            undone_at: r.undone_at,
            undone_by: r.undone_by,
        }
    }
}

pub struct NewImport<'a> {
    pub id: Uuid,
    pub kind: &'a str,
    pub format: &'a str,
    pub file_name: &'a str,
    pub options: &'a Value,
    pub state: &'a str,
    pub created_by: Option<Uuid>,
}

pub async fn insert(ex: &mut impl Exec, import: &NewImport<'_>, at: OffsetDateTime) -> Result<()> {
    let created_at = ex.ts(at);
    ex.execute(
        Query::insert()
            .into_table("imports")
            .columns(["id", "kind", "format", "file_name", "file_size", "options", "state", "created_by", "created_at"])
            .values_panic([
                import.id.into(),
                import.kind.into(),
                import.format.into(),
                import.file_name.into(),
                0i64.into(),
                import.options.clone().into(),
                import.state.into(),
                import.created_by.into(),
                created_at.into(),
            ]),
    )
    .await?;
    Ok(())
}

pub async fn get(ex: &mut impl Exec, id: Uuid) -> Result<Option<Import>> {
    let row: Option<ImportRow> =
        ex.fetch_optional(Query::select().columns(COLUMNS).from("imports").and_where(Expr::col("id").eq(id))).await?;
    Ok(row.map(Import::from))
}

/// The imports `user` made, newest first (every import when `user` is `None`).
pub async fn list(ex: &mut impl Exec, user: Option<Uuid>, limit: u64) -> Result<Vec<Import>> {
    let mut select = Query::select();
    select.columns(COLUMNS).from("imports").order_by("id", Order::Desc).limit(limit);
    if let Some(user) = user {
        select.and_where(Expr::col("created_by").eq(user));
    }
    let rows: Vec<ImportRow> = ex.fetch_all(&select).await?;
    Ok(rows.into_iter().map(Import::from).collect())
}

/// Changes any of the import's bookkeeping columns.
pub async fn set(ex: &mut impl Exec, id: Uuid, values: Vec<(&'static str, sea_query::Value)>) -> Result<()> {
    if values.is_empty() {
        return Ok(());
    }
    ex.execute(
        Query::update()
            .table("imports")
            .values(values.into_iter().map(|(c, v)| (c, Expr::val(v))))
            .and_where(Expr::col("id").eq(id)),
    )
    .await?;
    Ok(())
}

/// Appends a piece of the uploaded file and grows its size.
pub async fn put_piece(ex: &mut impl Exec, id: Uuid, seq: i32, data: &[u8]) -> Result<()> {
    ex.execute(Query::insert().into_table("import_files").columns(["import_id", "seq", "data"]).values_panic([
        id.into(),
        seq.into(),
        data.to_vec().into(),
    ]))
    .await?;
    ex.execute(
        Query::update()
            .table("imports")
            .value("file_size", Expr::col("file_size").add(data.len() as i64))
            .and_where(Expr::col("id").eq(id)),
    )
    .await?;
    Ok(())
}

pub async fn piece(ex: &mut impl Exec, id: Uuid, seq: i32) -> Result<Option<Vec<u8>>> {
    let row: Option<(Vec<u8>,)> = ex
        .fetch_optional(
            Query::select()
                .column("data")
                .from("import_files")
                .and_where(Expr::col("import_id").eq(id))
                .and_where(Expr::col("seq").eq(seq)),
        )
        .await?;
    Ok(row.map(|(data,)| data))
}

pub async fn drop_file(ex: &mut impl Exec, id: Uuid) -> Result<()> {
    ex.execute(Query::delete().from_table("import_files").and_where(Expr::col("import_id").eq(id))).await?;
    Ok(())
}

/// Forgets the refused rows of an earlier run (a dry run before the real one).
pub async fn clear_rejects(ex: &mut impl Exec, id: Uuid) -> Result<()> {
    ex.execute(Query::delete().from_table("import_rejects").and_where(Expr::col("import_id").eq(id))).await?;
    Ok(())
}

pub async fn delete(ex: &mut impl Exec, id: Uuid) -> Result<()> {
    for table in ["import_files", "import_rejects", "import_records"] {
        ex.execute(Query::delete().from_table(table).and_where(Expr::col("import_id").eq(id))).await?;
    }
    ex.execute(Query::delete().from_table("imports").and_where(Expr::col("id").eq(id))).await?;
    Ok(())
}

/// A record an import created or changed.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Linked {
    pub record_id: Uuid,
    pub record_kind: String,
    pub line: i64,
    pub action: String,
    pub version: i64,
    pub before: Option<Json<Value>>,
}

pub async fn link(ex: &mut impl Exec, id: Uuid, records: &[Linked]) -> Result<()> {
    for chunk in records.chunks(crate::contacts::CHUNK) {
        let mut insert = Query::insert();
        insert.into_table("import_records").columns([
            "import_id",
            "record_id",
            "record_kind",
            "line",
            "action",
            "version",
            "before",
        ]);
        for r in chunk {
            insert.values_panic([
                id.into(),
                r.record_id.into(),
                r.record_kind.clone().into(),
                r.line.into(),
                r.action.clone().into(),
                r.version.into(),
                r.before.as_ref().map(|b| b.0.clone()).into(),
            ]);
        }
        // A record changed twice by one import keeps what it was before the first change.
        insert.on_conflict(
            OnConflict::columns(["import_id", "record_id"]).update_columns(["version", "line"]).to_owned(),
        );
        ex.execute(&insert).await?;
    }
    Ok(())
}

/// The records an import touched, after `after` in id order, `limit` at a time.
pub async fn linked(ex: &mut impl Exec, id: Uuid, after: Option<Uuid>, limit: u64) -> Result<Vec<Linked>> {
    let mut select = Query::select();
    select
        .columns(["record_id", "record_kind", "line", "action", "version", "before"])
        .from("import_records")
        .and_where(Expr::col("import_id").eq(id))
        .order_by("record_id", Order::Asc)
        .limit(limit);
    if let Some(after) = after {
        select.and_where(Expr::col("record_id").gt(after));
    }
    ex.fetch_all(&select).await
}

/// A refused row, or one problem of it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Reject {
    pub seq: i32,
    pub line: i64,
    pub column_name: String,
    pub code: String,
    pub reason: String,
    pub existing_id: Option<Uuid>,
}

pub async fn add_rejects(ex: &mut impl Exec, id: Uuid, rejects: &[Reject]) -> Result<()> {
    for chunk in rejects.chunks(crate::contacts::CHUNK) {
        let mut insert = Query::insert();
        insert.into_table("import_rejects").columns([
            "import_id",
            "seq",
            "line",
            "column_name",
            "code",
            "reason",
            "existing_id",
        ]);
        for r in chunk {
            insert.values_panic([
                id.into(),
                r.seq.into(),
                r.line.into(),
                r.column_name.clone().into(),
                r.code.clone().into(),
                r.reason.clone().into(),
                r.existing_id.into(),
            ]);
        }
        ex.execute(&insert).await?;
    }
    Ok(())
}

pub async fn rejects(ex: &mut impl Exec, id: Uuid, after: i32, limit: u64) -> Result<Vec<Reject>> {
    ex.fetch_all(
        Query::select()
            .columns(["seq", "line", "column_name", "code", "reason", "existing_id"])
            .from("import_rejects")
            .and_where(Expr::col("import_id").eq(id))
            .and_where(Expr::col("seq").gt(after))
            .order_by("seq", Order::Asc)
            .limit(limit),
    )
    .await
}

/// Values already held by records of `kind` (`company`, `person`): contact methods by
/// their normalized form, as (value, record id).
pub async fn existing_contacts(ex: &mut impl Exec, kind: &str, values: &[String]) -> Result<Vec<(String, Uuid)>> {
    if values.is_empty() {
        return Ok(Vec::new());
    }
    let owner = if kind == "company" { "company_id" } else { "person_id" };
    ex.fetch_all(
        Query::select()
            .columns(["normalized", "record_id"])
            .from("contact_methods")
            .and_where(Expr::col("normalized").is_in(values.iter().cloned()))
            .and_where(Expr::col(owner).is_not_null()),
    )
    .await
}

/// Rows of `table` whose `column` is one of `values`, as (value, id).
pub async fn existing_values(
    ex: &mut impl Exec,
    table: &'static str,
    column: &'static str,
    values: &[String],
) -> Result<Vec<(String, Uuid)>> {
    if values.is_empty() {
        return Ok(Vec::new());
    }
    ex.fetch_all(
        Query::select()
            .column(column)
            .column("id")
            .from(table)
            .and_where(Expr::col(column).is_in(values.iter().cloned())),
    )
    .await
}

/// A mapping a user saved under a name.
#[derive(Debug, Clone, Serialize)]
pub struct Mapping {
    pub id: Uuid,
    pub owner_id: Uuid,
    pub name: String,
    pub kind: String,
    pub columns: Value,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct MappingRow {
    id: Uuid,
    owner_id: Uuid,
    name: String,
    kind: String,
    columns: Json<Value>,
    updated_at: OffsetDateTime,
}

/// Saves a mapping under its name, replacing one of the same name, kind and owner.
pub async fn save_mapping(
    ex: &mut impl Exec,
    owner: Uuid,
    kind: &str,
    name: &str,
    columns: &Value,
    at: OffsetDateTime,
) -> Result<()> {
    let at = ex.ts(at);
    ex.execute(
        Query::insert()
            .into_table("import_mappings")
            .columns(["id", "owner_id", "name", "kind", "columns", "created_at", "updated_at"])
            .values_panic([
                Uuid::now_v7().into(),
                owner.into(),
                name.into(),
                kind.into(),
                columns.clone().into(),
                at.clone().into(),
                at.into(),
            ])
            .on_conflict(
                OnConflict::columns(["owner_id", "kind", "name"]).update_columns(["columns", "updated_at"]).to_owned(),
            ),
    )
    .await?;
    Ok(())
}

pub async fn mappings(ex: &mut impl Exec, owner: Uuid, kind: Option<&str>) -> Result<Vec<Mapping>> {
    let mut select = Query::select();
    select
        .columns(["id", "owner_id", "name", "kind", "columns", "updated_at"])
        .from("import_mappings")
        .and_where(Expr::col("owner_id").eq(owner))
        .order_by("name", Order::Asc);
    if let Some(kind) = kind {
        select.and_where(Expr::col("kind").eq(kind));
    }
    let rows: Vec<MappingRow> = ex.fetch_all(&select).await?;
    Ok(rows
        .into_iter()
        .map(|r| Mapping {
            id: r.id,
            owner_id: r.owner_id,
            name: r.name,
            kind: r.kind,
            columns: r.columns.0,
            updated_at: r.updated_at,
        })
        .collect())
}

pub async fn delete_mapping(ex: &mut impl Exec, owner: Uuid, id: Uuid) -> Result<bool> {
    let deleted = ex
        .execute(
            Query::delete()
                .from_table("import_mappings")
                .and_where(Expr::col("id").eq(id))
                .and_where(Expr::col("owner_id").eq(owner)),
        )
        .await?;
    Ok(deleted == 1)
}

/// Companies the visibility lets one see whose code, external id or exact name is one of
/// `values` (a person row's company): (id, code, external id, name).
pub async fn companies_named(
    ex: &mut impl Exec,
    values: &[String],
    visibility: &crate::access::Visibility,
) -> Result<Vec<(Uuid, String, Option<String>, String)>> {
    if values.is_empty() {
        return Ok(Vec::new());
    }
    let any = || values.iter().cloned();
    let mut select = Query::select();
    select
        .columns([("companies", "id"), ("companies", "code"), ("companies", "external_id"), ("companies", "name")])
        .from("companies")
        .and_where(
            Expr::col(("companies", "code"))
                .is_in(any())
                .or(Expr::col(("companies", "external_id")).is_in(any()))
                .or(Expr::col(("companies", "name")).is_in(any())),
        );
    if let Some(visible) = visibility.condition("companies") {
        select.and_where(visible);
    }
    if let Some(max) = visibility.max_security {
        select.and_where(Expr::col(("companies", "security_level")).lte(i32::from(max)));
    }
    ex.fetch_all(&select).await
}
