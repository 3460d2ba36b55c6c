//! `/people/new` and `/people/{id}/edit`. A person added from a company's card arrives
//! with `?company_id=`, and the form lists that company under "works at".

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use rapport_app::{AppError, people};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::companies::parse_id;
use super::context::{FormData, Viewer};
use super::form_page::{self, DuplicateRow, EmploymentRow, Field, FormPage, Input, Spec};
use super::forms::{FieldErrors, field_errors};
use super::layout::{Shell, UiError, l};
use super::list::{Lists, text};
use super::people::company_name;
use super::record_form::{self, Kept, changed};
use crate::AppState;

/// More employments than anyone has; a larger index is ignored.
const MAX_JOBS: usize = 50;

fn specs() -> Vec<Spec> {
    let text = |name| Spec { name, input: Input::Text, required: false };
    vec![
        text("given_name"),
        text("family_name"),
        text("title"),
        Spec { name: "birth_date", input: Input::Date, required: false },
        text("language"),
        text("external_id"),
        Spec { name: "description", input: Input::LongText, required: false },
        Spec { name: "attributes", input: Input::LongText, required: false },
    ]
}

/// Employment rows: (company id, position, department), named for the page.
async fn job_rows(
    state: &AppState,
    viewer: &Viewer,
    jobs: Vec<(String, String, String)>,
) -> Result<Vec<EmploymentRow>, UiError> {
    let mut rows = Vec::new();
    for (index, (company_id, position, department)) in jobs.into_iter().enumerate() {
        let company_name = company_name(state, viewer, &company_id).await?.unwrap_or_default();
        rows.push(EmploymentRow { index, company_id, company_name, position, department });
    }
    Ok(rows)
}

fn jobs_of_record(record: &Value) -> Vec<(String, String, String)> {
    let jobs = record.get("employments").and_then(Value::as_array).cloned().unwrap_or_default();
    jobs.iter().map(|j| (text(j, "company_id"), text(j, "position"), text(j, "department"))).collect()
}

fn jobs_of_form(form: &FormData) -> Vec<(String, String, String)> {
    (0..MAX_JOBS)
        .map_while(|i| {
            let get = |f: &str| form.get(&format!("employments[{i}].{f}")).to_string();
            let id = get("company_id");
            (!id.is_empty()).then(|| (id, get("position"), get("department")))
        })
        .collect()
}

struct Draft<'a> {
    heading: String,
    action: String,
    cancel: String,
    version: String,
    values: &'a (dyn Fn(&str) -> String + Sync),
    record: Option<&'a Value>,
    form: Option<&'a FormData>,
    jobs: Vec<(String, String, String)>,
    errors: FieldErrors,
    conflict: String,
    duplicates: Vec<DuplicateRow>,
}

async fn page(state: &AppState, viewer: &Viewer, draft: Draft<'_>) -> Result<FormPage, UiError> {
    let l = l(&viewer.ctx);
    let hidden = viewer.actor().hidden_fields("person");
    let mut fields = form_page::fields(&l, &specs(), &hidden, draft.values);
    fields.extend(form_page::custom_fields(&state.app, &l, "person", &hidden, draft.values).await?);
    let (contacts, addresses) = match draft.form {
        Some(form) => record_form::rows_from_form(&l, form),
        None => record_form::rows_from_record(&l, draft.record),
    };
    let employments = job_rows(state, viewer, draft.jobs).await?;
    let chosen = match draft.form {
        Some(form) => form_page::categories_of_form(form),
        None => form_page::categories_of_record(draft.record),
    };
    let categories = if hidden.iter().any(|h| h == "categories") {
        Vec::new()
    } else {
        form_page::category_groups(&Lists::load(&state.app).await?, &chosen)
    };
    let mut shown = form_page::others(&draft.errors, &fields, &contacts, &addresses);
    let job_fields: Vec<String> = employments.iter().flat_map(|r| [r.name("position"), r.name("department")]).collect();
    shown.retain(|message| !job_fields.iter().any(|f| message.starts_with(&format!("{f}:"))));
    Ok(FormPage {
        shell: Shell::new(&viewer.ctx, draft.heading.clone(), "people"),
        l,
        heading: draft.heading,
        action: draft.action,
        cancel: draft.cancel,
        version: draft.version,
        fields,
        contacts,
        addresses,
        employments,
        categories,
        errors: draft.errors,
        others: shown,
        conflict: draft.conflict,
        duplicates: draft.duplicates,
        collection: "people",
    })
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    #[serde(default)]
    company_id: String,
}

pub async fn new_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<NewQuery>,
) -> Result<Response, UiError> {
    let l = l(&viewer.ctx);
    let jobs = if query.company_id.is_empty() {
        vec![]
    } else {
        vec![(query.company_id.clone(), String::new(), String::new())]
    };
    let cancel =
        if query.company_id.is_empty() { "/people".to_string() } else { format!("/companies/{}", query.company_id) };
    let blank = |_: &str| String::new();
    let draft = Draft {
        heading: l.t("form-new-person"),
        action: "/people/new".into(),
        cancel,
        version: String::new(),
        values: &blank,
        record: None,
        form: None,
        jobs,
        errors: FieldErrors::default(),
        conflict: String::new(),
        duplicates: Vec::new(),
    };
    Ok(page(&state, &viewer, draft).await?.into_response())
}

/// The body for the use case; employments keep what the form does not show (dates,
/// responsibilities) from the stored record.
async fn body(
    state: &AppState,
    viewer: &Viewer,
    form: &FormData,
    stored: Option<&Value>,
    blank_as_null: bool,
) -> Result<(Map<String, Value>, Kept), UiError> {
    let l = l(&viewer.ctx);
    let hidden = viewer.actor().hidden_fields("person");
    let values = form_page::from_form(form);
    let mut fields: Vec<Field> = form_page::fields(&l, &specs(), &hidden, &values);
    fields.extend(form_page::custom_fields(&state.app, &l, "person", &hidden, &values).await?);
    let (contacts, addresses) = record_form::rows_from_form(&l, form);
    let mut kept = Kept::default();
    let categories = (!hidden.iter().any(|h| h == "categories")).then(|| form_page::categories_of_form(form));
    let mut body = form_page::body(&fields, &contacts, &addresses, categories, blank_as_null, &mut kept);
    let before = stored.and_then(|s| s.get("employments")).and_then(Value::as_array).cloned().unwrap_or_default();
    let jobs: Vec<Value> = jobs_of_form(form)
        .into_iter()
        .enumerate()
        .map(|(i, (company_id, position, department))| {
            let mut job =
                before.get(i).filter(|b| text(b, "company_id") == company_id).cloned().unwrap_or_else(|| json!({}));
            job["company_id"] = json!(company_id);
            for (field, value) in [("position", position), ("department", department)] {
                job[field] = if value.trim().is_empty() { Value::Null } else { json!(value) };
            }
            job
        })
        .collect();
    if !jobs.is_empty() || stored.is_some() {
        body.insert("employments".into(), Value::Array(jobs));
    }
    Ok((body, kept))
}

pub async fn create(State(state): State<AppState>, viewer: Viewer, form: FormData) -> Result<Response, UiError> {
    let l = l(&viewer.ctx);
    let (mut body, kept) = body(&state, &viewer, &form, None, false).await?;
    let merge_into = form_page::confirm_duplicate(&form, &mut body);
    let (status, mut errors, duplicates) = match people::create(&state.app, viewer.actor(), Value::Object(body)).await {
        Ok(person) => return Ok(form_page::created("people", person.id, merge_into)),
        Err(AppError::DuplicateSuspected(found)) => {
            (StatusCode::CONFLICT, FieldErrors::default(), DuplicateRow::of(&l, found))
        }
        Err(error) => (StatusCode::UNPROCESSABLE_ENTITY, field_errors(&l, error)?, Vec::new()),
    };
    kept.remap(&mut errors);
    let values = form_page::from_form(&form);
    let draft = Draft {
        heading: l.t("form-new-person"),
        action: "/people/new".into(),
        cancel: "/people".into(),
        version: String::new(),
        values: &values,
        record: None,
        form: Some(&form),
        jobs: jobs_of_form(&form),
        errors,
        conflict: String::new(),
        duplicates,
    };
    Ok(page(&state, &viewer, draft).await?.into_response_with(status))
}

pub async fn edit_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    let id = parse_id(&id)?;
    let l = l(&viewer.ctx);
    let person = serde_json::to_value(people::get(&state.app, viewer.actor(), id).await?).unwrap_or_default();
    let values = form_page::from_record(&person);
    let draft = Draft {
        heading: l.t1("form-edit-person", "name", &text(&person, "full_name")),
        action: format!("/people/{id}/edit"),
        cancel: format!("/people/{id}"),
        version: text(&person, "version"),
        values: &values,
        record: Some(&person),
        form: None,
        jobs: jobs_of_record(&person),
        errors: FieldErrors::default(),
        conflict: String::new(),
        duplicates: Vec::new(),
    };
    Ok(page(&state, &viewer, draft).await?.into_response())
}

pub async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, UiError> {
    let id = parse_id(&id)?;
    let l = l(&viewer.ctx);
    let actor = viewer.actor();
    let stored = serde_json::to_value(people::get(&state.app, actor, id).await?).unwrap_or_default();
    let (body, kept) = body(&state, &viewer, &form, Some(&stored), true).await?;
    // Without the version the form was made from, a save could overwrite someone else's.
    let version = form
        .get("version")
        .parse::<i64>()
        .map_err(|_| AppError::BadRequest("the form lacks the version it was made from; reload it".into()))?;
    let patch = changed(&body, &stored);
    if patch.is_empty() {
        return Ok(Redirect::to(&format!("/people/{id}")).into_response());
    }

    let (status, mut errors, conflict) =
        match people::update(&state.app, actor, id, Value::Object(patch), Some(version)).await {
            Ok(_) => return Ok(Redirect::to(&format!("/people/{id}")).into_response()),
            Err(AppError::Stale { .. }) => (StatusCode::CONFLICT, FieldErrors::default(), format!("/people/{id}/edit")),
            Err(error) => (StatusCode::UNPROCESSABLE_ENTITY, field_errors(&l, error)?, String::new()),
        };
    kept.remap(&mut errors);
    let values = form_page::from_form(&form);
    let draft = Draft {
        heading: l.t1("form-edit-person", "name", &text(&stored, "full_name")),
        action: format!("/people/{id}/edit"),
        cancel: format!("/people/{id}"),
        version: form.get("version").to_string(),
        values: &values,
        record: None,
        form: Some(&form),
        jobs: jobs_of_form(&form),
        errors,
        conflict,
        duplicates: Vec::new(),
    };
    Ok(page(&state, &viewer, draft).await?.into_response_with(status))
}
