//! People in storage: the `people` table, their employments and children.

use rapport_core::custom_fields::RecordKind;
use rapport_core::duplicates::Profile;
use rapport_core::people::{Employment, Person, PersonFields};
use rapport_core::text::fold;
use sea_query::{Expr, ExprTrait, Query, SelectStatement};
use serde_json::{Map, Value};
use sqlx::types::Json;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::contacts::CHUNK;
use crate::listing::{self, Page};
use crate::records::{self, CommonFilter};
use crate::{Exec, Result, children, contacts, duplicates, search};

const COLUMNS: [&str; 19] = [
    "id",
    "given_name",
    "family_name",
    "full_name",
    "title",
    "birth_date",
    "language",
    "background",
    "description",
    "owner_id",
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
struct PersonRow {
    id: Uuid,
    given_name: Option<String>,
    family_name: Option<String>,
    full_name: String,
    title: Option<String>,
    birth_date: Option<Date>,
    language: Option<String>,
    background: Option<String>,
    description: Option<String>,
    owner_id: Option<Uuid>,
    custom: Json<Map<String, Value>>,
    version: i64,
    created_at: OffsetDateTime,
    created_by: Option<Uuid>,
    updated_at: OffsetDateTime,
    updated_by: Option<Uuid>,
    archived_at: Option<OffsetDateTime>,
    external_id: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub common: CommonFilter,
    pub company_id: Option<Uuid>,
}

fn field_values(fields: &PersonFields) -> Vec<(&'static str, sea_query::Value)> {
    let full_name = fields.full_name();
    vec![
        ("given_name", fields.given_name.clone().into()),
        ("family_name", fields.family_name.clone().into()),
        ("name_folded", fold(&full_name).into()),
        ("full_name", full_name.into()),
        ("title", fields.title.clone().into()),
        ("birth_date", fields.birth_date.into()),
        ("language", fields.language.clone().into()),
        ("background", fields.background.clone().into()),
        ("description", fields.description.clone().into()),
        ("owner_id", fields.owner_id.into()),
        ("custom", Value::Object(fields.custom.clone()).into()),
        ("external_id", fields.external_id.clone().into()),
    ]
}

pub async fn insert(
    ex: &mut impl Exec,
    id: Uuid,
    fields: &PersonFields,
    actor: Option<Uuid>,
    at: OffsetDateTime,
) -> Result<()> {
    insert_many(ex, &[(id, fields)], actor, at).await
}

/// Inserts many new people with their children and employments in a few multi-row
/// statements: the bulk path for imports and loads.
pub async fn insert_many(
    ex: &mut impl Exec,
    people: &[(Uuid, &PersonFields)],
    actor: Option<Uuid>,
    at: OffsetDateTime,
) -> Result<()> {
    for chunk in people.chunks(CHUNK) {
        let mut insert = Query::insert();
        insert.into_table("people");
        for (i, (id, fields)) in chunk.iter().enumerate() {
            let mut values = field_values(fields);
            values.extend([
                ("id", (*id).into()),
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
    let children: Vec<_> = people.iter().map(|(id, fields)| child_rows(*id, fields)).collect();
    contacts::insert_children(ex, RecordKind::Person, &children).await?;
    insert_employments(ex, people).await?;
    let docs: Vec<_> = people.iter().map(|(id, fields)| (*id, fields.search_document())).collect();
    search::index_new(ex, RecordKind::Person, &docs).await?;
    let profiles: Vec<_> = people.iter().map(|(id, fields)| (*id, Profile::person(fields))).collect();
    duplicates::index_new(ex, RecordKind::Person, &profiles).await
}

async fn replace_employments(ex: &mut impl Exec, id: Uuid, fields: &PersonFields) -> Result<()> {
    ex.execute(Query::delete().from_table("employments").and_where(Expr::col("person_id").eq(id))).await?;
    insert_employments(ex, &[(id, fields)]).await
}

fn child_rows(id: Uuid, fields: &PersonFields) -> contacts::ChildRows<'_> {
    contacts::ChildRows {
        id,
        methods: &fields.contact_methods,
        addresses: &fields.addresses,
        attributes: &fields.attributes,
        categories: &fields.categories,
        custom: &fields.custom,
    }
}

async fn insert_employments(ex: &mut impl Exec, people: &[(Uuid, &PersonFields)]) -> Result<()> {
    let rows: Vec<(Uuid, usize, &Employment)> =
        people.iter().flat_map(|(id, f)| f.employments.iter().enumerate().map(move |(i, e)| (*id, i, e))).collect();
    for chunk in rows.chunks(CHUNK) {
        let mut insert = Query::insert();
        insert.into_table("employments").columns([
            "id",
            "person_id",
            "company_id",
            "position",
            "department",
            "responsibilities",
            "availability",
            "is_current",
            "started_on",
            "ended_on",
            "sort_order",
        ]);
        for (id, i, e) in chunk {
            insert.values_panic([
                Uuid::now_v7().into(),
                (*id).into(),
                e.company_id.into(),
                e.position.clone().into(),
                e.department.clone().into(),
                e.responsibilities.clone().into(),
                e.availability.clone().into(),
                e.current.into(),
                e.started_on.into(),
                e.ended_on.into(),
                (*i as i32).into(),
            ]);
        }
        ex.execute(&insert).await?;
    }
    Ok(())
}

pub async fn update(
    ex: &mut impl Exec,
    id: Uuid,
    version: i64,
    before: &PersonFields,
    fields: &PersonFields,
    actor: Option<Uuid>,
    at: OffsetDateTime,
) -> Result<bool> {
    if !records::save_version(ex, "people", id, version, field_values(fields), actor, at).await? {
        return Ok(false);
    }
    // Child rows are rewritten only when they changed: most edits touch a field or two.
    if contacts::changed(&child_rows(id, before), &child_rows(id, fields)) {
        contacts::replace(ex, RecordKind::Person, child_rows(id, fields)).await?;
    }
    if before.employments != fields.employments {
        replace_employments(ex, id, fields).await?;
    }
    search::update(ex, RecordKind::Person, id, &before.search_document(), &fields.search_document()).await?;
    duplicates::update(ex, RecordKind::Person, id, &Profile::person(before), &Profile::person(fields)).await?;
    Ok(true)
}

pub async fn set_archived(
    ex: &mut impl Exec,
    id: Uuid,
    archived: bool,
    actor: Option<Uuid>,
    at: OffsetDateTime,
) -> Result<()> {
    records::set_archived(ex, "people", id, archived, actor, at).await
}

pub async fn delete(ex: &mut impl Exec, id: Uuid) -> Result<()> {
    contacts::delete_children(ex, id).await?;
    search::remove(ex, id).await?;
    duplicates::remove(ex, id).await?;
    crate::lists::forget_record(ex, id).await?;
    ex.execute(Query::delete().from_table("employments").and_where(Expr::col("person_id").eq(id))).await?;
    ex.execute(Query::delete().from_table("people").and_where(Expr::col("id").eq(id))).await?;
    Ok(())
}

/// The records that refer to the person and so keep them from being deleted: their tasks
/// (at most 50).
pub async fn referrers(ex: &mut impl Exec, id: Uuid) -> Result<Vec<crate::companies::Referrer>> {
    let tasks = crate::tasks::about(ex, "person_id", id).await?;
    let activities = crate::activities::about(ex, id).await?;
    let tasks = tasks.into_iter().map(|(id, name)| crate::companies::Referrer { kind: "task", id, name });
    let activities = activities.into_iter().map(|(id, name)| crate::companies::Referrer { kind: "activity", id, name });
    Ok(tasks.chain(activities).collect())
}

pub async fn exists(ex: &mut impl Exec, id: Uuid) -> Result<bool> {
    let row: Option<(Uuid,)> =
        ex.fetch_optional(Query::select().column("id").from("people").and_where(Expr::col("id").eq(id))).await?;
    Ok(row.is_some())
}

fn select() -> SelectStatement {
    let mut select = Query::select();
    select.columns(COLUMNS[..18].iter().map(|c| ("people", *c))).from("people");
    select
}

pub async fn get(ex: &mut impl Exec, id: Uuid) -> Result<Option<Person>> {
    let row: Option<PersonRow> = ex.fetch_optional(select().and_where(Expr::col(("people", "id")).eq(id))).await?;
    match row {
        Some(row) => Ok(assemble(ex, vec![row]).await?.pop()),
        None => Ok(None),
    }
}

/// The list's select with every filter applied, before paging.
fn filtered(filter: &Filter) -> SelectStatement {
    let mut select = select();
    records::apply_common(&mut select, RecordKind::Person, "people", &filter.common);
    if let Some(company) = filter.company_id {
        // The company's few employments drive the query: a correlated EXISTS would walk
        // every person in name order to find them.
        select.and_where(
            Expr::col(("people", "id")).in_subquery(
                Query::select()
                    .column("person_id")
                    .from("employments")
                    .and_where(Expr::col("company_id").eq(company))
                    .take(),
            ),
        );
    }
    select
}

/// People matching `filter` and the search clauses, best first (global search).
pub async fn search(ex: &mut impl Exec, filter: &Filter, limit: u64) -> Result<Vec<search::Hit>> {
    let mut base = filter.clone();
    let text = std::mem::take(&mut base.common.text);
    let select = filtered(&base);
    search::ranked(ex, RecordKind::Person, "people", &select, &text.clauses, &text.phrases, limit).await
}

/// The people after `after` in id order, for work over every person in batches.
pub async fn batch(ex: &mut impl Exec, after: Option<Uuid>, limit: u64) -> Result<Vec<Person>> {
    let mut select = select();
    if let Some(after) = after {
        select.and_where(Expr::col(("people", "id")).gt(after));
    }
    select.order_by(("people", "id"), sea_query::Order::Asc).limit(limit);
    let rows: Vec<PersonRow> = ex.fetch_all(&select).await?;
    assemble(ex, rows).await
}

/// People by id, in no particular order; ids that do not exist are left out.
pub async fn get_many(ex: &mut impl Exec, ids: &[Uuid]) -> Result<Vec<Person>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<PersonRow> =
        ex.fetch_all(select().and_where(Expr::col(("people", "id")).is_in(ids.iter().copied()))).await?;
    assemble(ex, rows).await
}

pub async fn list(ex: &mut impl Exec, filter: &Filter, page: &Page) -> Result<(Vec<Person>, bool)> {
    let mut filter = filter.clone();
    filter.common.text.plan = search::plan(ex, RecordKind::Person, &filter.common.text.clauses).await?;
    let plan = filter.common.text.plan;
    let select = records::page_query(ex, "people", select(), filtered(&filter), page, plan);
    let rows: Vec<PersonRow> = ex.fetch_all(&select).await?;
    let (rows, more) = listing::split(rows, page.limit);
    Ok((assemble(ex, rows).await?, more))
}

/// The ids the filter matches, without loading the records (a filter limited to a few
/// records `within`, to ask which of them it holds).
pub async fn matching_ids(ex: &mut impl Exec, filter: &Filter) -> Result<Vec<Uuid>> {
    let mut select = filtered(filter);
    select.clear_selects().column(("people", "id"));
    let rows: Vec<(Uuid,)> = ex.fetch_all(&select).await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// How many rows the filter matches, counting no further than `cap`.
pub async fn count(ex: &mut impl Exec, filter: &Filter, cap: u64) -> Result<u64> {
    let select = filtered(filter);
    records::count_up_to(ex, select, cap).await
}

async fn assemble(ex: &mut impl Exec, rows: Vec<PersonRow>) -> Result<Vec<Person>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut children = children::load(ex, "people", &ids).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let kids = children.remove(&row.id).unwrap_or_default();
            Person {
                id: row.id,
                full_name: row.full_name,
                fields: PersonFields {
                    given_name: row.given_name,
                    family_name: row.family_name,
                    title: row.title,
                    birth_date: row.birth_date,
                    language: row.language,
                    background: row.background,
                    description: row.description,
                    owner_id: row.owner_id,
                    contact_methods: kids.contact_methods,
                    addresses: kids.addresses,
                    employments: kids.employments,
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
            }
        })
        .collect())
}
