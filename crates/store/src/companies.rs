//! Companies in storage: the `companies` table and its children.

use rapport_core::companies::{Company, CompanyFields, CompanyStatus, CompanyType};
use rapport_core::custom_fields::RecordKind;
use rapport_core::duplicates::Profile;
use rapport_core::text::fold;
use sea_query::{Expr, ExprTrait, Query, SelectStatement};
use serde_json::{Map, Value};
use sqlx::types::Json;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::contacts::CHUNK;
use crate::listing::{self, Page};
use crate::records::{self, CommonFilter};
use crate::{Exec, Result, StoreError, children, contacts, duplicates, search};

const COLUMNS: [&str; 28] = [
    "id",
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
    "background",
    "description",
    "security_level",
    "owner_id",
    "parent_id",
    "custom",
    "version",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
    "archived_at",
    "external_id",
    "name_folded",
];

#[derive(sqlx::FromRow)]
struct CompanyRow {
    id: Uuid,
    code: String,
    name: String,
    legal_name: Option<String>,
    tax_id: Option<String>,
    website: Option<String>,
    industry: Option<String>,
    size: Option<String>,
    area: Option<String>,
    #[sqlx(rename = "type")]
    kind: String,
    status: String,
    level: Option<String>,
    stage: Option<String>,
    source: Option<String>,
    background: Option<String>,
    description: Option<String>,
    security_level: i32,
    owner_id: Option<Uuid>,
    parent_id: Option<Uuid>,
    custom: Json<Map<String, Value>>,
    version: i64,
    created_at: OffsetDateTime,
    created_by: Option<Uuid>,
    updated_at: OffsetDateTime,
    updated_by: Option<Uuid>,
    archived_at: Option<OffsetDateTime>,
    external_id: Option<String>,
}

/// Which companies a list shows. Empty filters match everything.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub common: CommonFilter,
    pub status: Option<String>,
    pub kind: Option<String>,
    pub level: Option<String>,
    pub stage: Option<String>,
    pub area: Option<String>,
    pub parent_id: Option<Uuid>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Archived {
    #[default]
    Exclude,
    Only,
    Include,
}

fn field_values(fields: &CompanyFields) -> Vec<(&'static str, sea_query::Value)> {
    vec![
        ("name", fields.name.clone().into()),
        ("name_folded", fold(&fields.name).into()),
        ("legal_name", fields.legal_name.clone().into()),
        ("tax_id", fields.tax_id.clone().into()),
        ("website", fields.website.clone().into()),
        ("industry", fields.industry.clone().into()),
        ("size", fields.size.clone().into()),
        ("area", fields.area.clone().into()),
        ("type", fields.kind.as_str().into()),
        ("status", fields.status.as_str().into()),
        ("level", fields.level.clone().into()),
        ("stage", fields.stage.clone().into()),
        ("source", fields.source.clone().into()),
        ("background", fields.background.clone().into()),
        ("description", fields.description.clone().into()),
        ("security_level", i32::from(fields.security_level).into()),
        ("owner_id", fields.owner_id.into()),
        ("parent_id", fields.parent_id.into()),
        ("custom", Value::Object(fields.custom.clone()).into()),
        ("external_id", fields.external_id.clone().into()),
    ]
}

/// A company to insert: its id, code and fields.
#[derive(Debug, Clone, Copy)]
pub struct NewCompany<'a> {
    pub id: Uuid,
    pub code: &'a str,
    pub fields: &'a CompanyFields,
}

pub async fn insert(
    ex: &mut impl Exec,
    id: Uuid,
    code: &str,
    fields: &CompanyFields,
    actor: Option<Uuid>,
    at: OffsetDateTime,
) -> Result<()> {
    insert_many(ex, &[NewCompany { id, code, fields }], actor, at).await
}

/// Inserts many new companies with their children in a few multi-row statements: the
/// bulk path for imports and loads.
pub async fn insert_many(
    ex: &mut impl Exec,
    companies: &[NewCompany<'_>],
    actor: Option<Uuid>,
    at: OffsetDateTime,
) -> Result<()> {
    for chunk in companies.chunks(CHUNK) {
        let mut insert = Query::insert();
        insert.into_table("companies");
        for (i, company) in chunk.iter().enumerate() {
            let mut values = field_values(company.fields);
            values.extend([
                ("id", company.id.into()),
                ("code", company.code.into()),
                ("version", 1i64.into()),
                ("created_at", ex.ts(at)),
                ("created_by", actor.into()),
                ("updated_at", ex.ts(at)),
                ("updated_by", actor.into()),
            ]);
            let (columns, values): (Vec<_>, Vec<_>) = values.into_iter().unzip();
            if i == 0 {
                insert.columns(columns);
            }
            insert.values_panic(values.into_iter().map(Expr::val));
        }
        ex.execute(&insert).await?;
    }
    let children: Vec<_> = companies.iter().map(|c| child_rows(c.id, c.fields)).collect();
    contacts::insert_children(ex, RecordKind::Company, &children).await?;
    let docs: Vec<_> = companies.iter().map(|c| (c.id, c.fields.search_document(c.code))).collect();
    search::index_new(ex, RecordKind::Company, &docs).await?;
    let profiles: Vec<_> = companies.iter().map(|c| (c.id, Profile::company(c.fields, Some(c.code)))).collect();
    duplicates::index_new(ex, RecordKind::Company, &profiles).await
}

fn child_rows(id: Uuid, fields: &CompanyFields) -> contacts::ChildRows<'_> {
    contacts::ChildRows {
        id,
        methods: &fields.contact_methods,
        addresses: &fields.addresses,
        attributes: &fields.attributes,
        categories: &fields.categories,
        custom: &fields.custom,
    }
}

async fn replace_children(ex: &mut impl Exec, id: Uuid, fields: &CompanyFields) -> Result<()> {
    contacts::replace(ex, RecordKind::Company, child_rows(id, fields)).await
}

/// Saves new field values (`before` is what is stored) if the stored version is still
/// `version`; false when someone else saved first. Child rows are rewritten only when
/// they changed: most edits touch a field or two of the record itself.
pub async fn update(
    ex: &mut impl Exec,
    id: Uuid,
    version: i64,
    before: &CompanyFields,
    fields: &CompanyFields,
    actor: Option<Uuid>,
    at: OffsetDateTime,
) -> Result<bool> {
    if !records::save_version(ex, "companies", id, version, field_values(fields), actor, at).await? {
        return Ok(false);
    }
    if contacts::changed(&child_rows(id, before), &child_rows(id, fields)) {
        replace_children(ex, id, fields).await?;
    }
    // The code never changes, so both sides leave it out and its term stays as it is.
    search::update(ex, RecordKind::Company, id, &before.search_document(""), &fields.search_document("")).await?;
    duplicates::update(ex, RecordKind::Company, id, &Profile::company(before, None), &Profile::company(fields, None))
        .await?;
    Ok(true)
}

pub async fn set_archived(
    ex: &mut impl Exec,
    id: Uuid,
    archived: bool,
    actor: Option<Uuid>,
    at: OffsetDateTime,
) -> Result<()> {
    records::set_archived(ex, "companies", id, archived, actor, at).await
}

pub async fn delete(ex: &mut impl Exec, id: Uuid) -> Result<()> {
    contacts::delete_children(ex, id).await?;
    search::remove(ex, id).await?;
    duplicates::remove(ex, id).await?;
    crate::lists::forget_record(ex, id).await?;
    crate::activities::forget_employer(ex, id).await?;
    ex.execute(Query::delete().from_table("companies").and_where(Expr::col("id").eq(id))).await?;
    Ok(())
}

fn select() -> SelectStatement {
    let mut select = Query::select();
    select.columns(COLUMNS[..27].iter().map(|c| ("companies", *c))).from("companies");
    select
}

pub async fn get(ex: &mut impl Exec, id: Uuid) -> Result<Option<Company>> {
    let row: Option<CompanyRow> = ex.fetch_optional(select().and_where(Expr::col(("companies", "id")).eq(id))).await?;
    match row {
        Some(row) => Ok(assemble(ex, vec![row]).await?.pop()),
        None => Ok(None),
    }
}

/// The companies after `after` in id order, for work over every company in batches.
pub async fn batch(ex: &mut impl Exec, after: Option<Uuid>, limit: u64) -> Result<Vec<Company>> {
    let mut select = select();
    if let Some(after) = after {
        select.and_where(Expr::col(("companies", "id")).gt(after));
    }
    select.order_by(("companies", "id"), sea_query::Order::Asc).limit(limit);
    let rows: Vec<CompanyRow> = ex.fetch_all(&select).await?;
    assemble(ex, rows).await
}

/// Companies by id, in no particular order; ids that do not exist are left out.
pub async fn get_many(ex: &mut impl Exec, ids: &[Uuid]) -> Result<Vec<Company>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<CompanyRow> =
        ex.fetch_all(select().and_where(Expr::col(("companies", "id")).is_in(ids.iter().copied()))).await?;
    assemble(ex, rows).await
}

pub async fn exists(ex: &mut impl Exec, id: Uuid) -> Result<bool> {
    let row: Option<(Uuid,)> =
        ex.fetch_optional(Query::select().column("id").from("companies").and_where(Expr::col("id").eq(id))).await?;
    Ok(row.is_some())
}

/// The parent chain above `id`, nearest first, to refuse cycles.
pub async fn ancestors(ex: &mut impl Exec, id: Uuid) -> Result<Vec<Uuid>> {
    let mut chain = Vec::new();
    let mut current = id;
    // A chain deeper than this is already a cycle or a data error.
    for _ in 0..64 {
        let row: Option<(Option<Uuid>,)> = ex
            .fetch_optional(
                Query::select().column("parent_id").from("companies").and_where(Expr::col("id").eq(current)),
            )
            .await?;
        match row {
            Some((Some(parent),)) if !chain.contains(&parent) => {
                chain.push(parent);
                current = parent;
            }
            _ => break,
        }
    }
    Ok(chain)
}

/// The list's select with every filter applied, before paging.
fn filtered(filter: &Filter) -> SelectStatement {
    let mut select = select();
    let col = |c: &'static str| Expr::col(("companies", c));
    records::apply_common(&mut select, RecordKind::Company, "companies", &filter.common);
    if let Some(max) = filter.common.visibility.max_security {
        select.and_where(col("security_level").lte(i32::from(max)));
    }
    for (column, value) in [
        ("status", &filter.status),
        ("type", &filter.kind),
        ("level", &filter.level),
        ("stage", &filter.stage),
        ("area", &filter.area),
    ] {
        if let Some(value) = value {
            select.and_where(col(column).eq(value.clone()));
        }
    }
    if let Some(parent) = filter.parent_id {
        select.and_where(col("parent_id").eq(parent));
    }
    select
}

/// Companies matching `filter` and the search clauses, best first (global search).
pub async fn search(ex: &mut impl Exec, filter: &Filter, limit: u64) -> Result<Vec<search::Hit>> {
    let mut base = filter.clone();
    let text = std::mem::take(&mut base.common.text);
    let select = filtered(&base);
    search::ranked(ex, RecordKind::Company, "companies", &select, &text.clauses, &text.phrases, limit).await
}

pub async fn list(ex: &mut impl Exec, filter: &Filter, page: &Page) -> Result<(Vec<Company>, bool)> {
    let mut filter = filter.clone();
    filter.common.text.plan = search::plan(ex, RecordKind::Company, &filter.common.text.clauses).await?;
    let plan = filter.common.text.plan;
    let select = records::page_query(ex, "companies", select(), filtered(&filter), page, plan);
    let rows: Vec<CompanyRow> = ex.fetch_all(&select).await?;
    let (rows, more) = listing::split(rows, page.limit);
    Ok((assemble(ex, rows).await?, more))
}

/// The ids the filter matches, without loading the records (a filter limited to a few
/// records `within`, to ask which of them it holds).
pub async fn matching_ids(ex: &mut impl Exec, filter: &Filter) -> Result<Vec<Uuid>> {
    let mut select = filtered(filter);
    select.clear_selects().column(("companies", "id"));
    let rows: Vec<(Uuid,)> = ex.fetch_all(&select).await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// How many rows the filter matches, counting no further than `cap`.
pub async fn count(ex: &mut impl Exec, filter: &Filter, cap: u64) -> Result<u64> {
    let select = filtered(filter);
    records::count_up_to(ex, select, cap).await
}

async fn assemble(ex: &mut impl Exec, rows: Vec<CompanyRow>) -> Result<Vec<Company>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut children = children::load(ex, "companies", &ids).await?;
    rows.into_iter()
        .map(|row| {
            let kids = children.remove(&row.id).unwrap_or_default();
            let kind = CompanyType::parse(&row.kind)
                .ok_or_else(|| StoreError::Corrupt(format!("company type {}", row.kind)))?;
            let status = CompanyStatus::parse(&row.status)
                .ok_or_else(|| StoreError::Corrupt(format!("company status {}", row.status)))?;
            Ok(Company {
                id: row.id,
                code: row.code,
                fields: CompanyFields {
                    name: row.name,
                    legal_name: row.legal_name,
                    tax_id: row.tax_id,
                    website: row.website,
                    industry: row.industry,
                    size: row.size,
                    area: row.area,
                    kind,
                    status,
                    level: row.level,
                    stage: row.stage,
                    source: row.source,
                    background: row.background,
                    description: row.description,
                    security_level: row.security_level as i16,
                    owner_id: row.owner_id,
                    parent_id: row.parent_id,
                    contact_methods: kids.contact_methods,
                    addresses: kids.addresses,
                    attributes: kids.attributes,
                    custom: row.custom.0,
                    categories: kids.categories,
                    external_id: row.external_id,
                },
                version: row.version,
                created_at: row.created_at,
                created_by: row.created_by,
                updated_at: row.updated_at,
                updated_by: row.updated_by,
                archived_at: row.archived_at,
            })
        })
        .collect()
}

/// A record that refers to a company and so keeps it from being deleted.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Referrer {
    pub kind: &'static str,
    pub id: Uuid,
    pub name: String,
}

/// Everything that refers to the company: its people, its subsidiaries and its tasks (at
/// most 50 of each).
pub async fn referrers(ex: &mut impl Exec, id: Uuid) -> Result<Vec<Referrer>> {
    let people: Vec<(Uuid, String)> = ex
        .fetch_all(
            Query::select()
                .columns([("people", "id"), ("people", "full_name")])
                .from("employments")
                .inner_join("people", Expr::col(("people", "id")).equals(("employments", "person_id")))
                .and_where(Expr::col(("employments", "company_id")).eq(id))
                .limit(50),
        )
        .await?;
    let children: Vec<(Uuid, String)> = ex
        .fetch_all(
            Query::select()
                .columns(["id", "name"])
                .from("companies")
                .and_where(Expr::col("parent_id").eq(id))
                .limit(50),
        )
        .await?;
    let tasks = crate::tasks::about(ex, "company_id", id).await?;
    let activities = crate::activities::about(ex, id).await?;
    let people = people.into_iter().map(|(id, name)| Referrer { kind: "person", id, name });
    let companies = children.into_iter().map(|(id, name)| Referrer { kind: "company", id, name });
    let tasks = tasks.into_iter().map(|(id, name)| Referrer { kind: "task", id, name });
    let activities = activities.into_iter().map(|(id, name)| Referrer { kind: "activity", id, name });
    Ok(people.chain(companies).chain(tasks).chain(activities).collect())
}
