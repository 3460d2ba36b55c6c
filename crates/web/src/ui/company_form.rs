//! `/companies/new` and `/companies/{id}/edit`: the forms that create and change a
//! company through the same use cases as the API.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use rapport_app::{AppError, companies};
use rapport_core::companies::{CompanyStatus, CompanyType};
use serde_json::Value;

use super::companies::parse_id;
use super::context::{FormData, Viewer};
use super::form_page::{self, DuplicateRow, Field, FormPage, Input, Spec};
use super::forms::{FieldErrors, field_errors};
use super::i18n::L;
use super::layout::{Shell, UiError, l};
use super::list::{Lists, text};
use super::record_form::{self, Kept, changed};
use crate::AppState;

fn specs(l: &L, lists: &Lists) -> Vec<Spec> {
    let none = || (String::new(), l.t("field-none"));
    let with_none = |choices: Vec<(String, String)>| std::iter::once(none()).chain(choices).collect();
    let types = CompanyType::ALL.iter().map(|t| (t.as_str().to_string(), l.maybe("type", t.as_str()))).collect();
    let statuses = CompanyStatus::ALL.iter().map(|s| (s.as_str().to_string(), l.maybe("status", s.as_str()))).collect();
    let text = |name| Spec { name, input: Input::Text, required: false };
    vec![
        Spec { name: "name", input: Input::Text, required: true },
        text("legal_name"),
        Spec { name: "type", input: Input::Choice(types), required: false },
        Spec { name: "status", input: Input::Choice(statuses), required: false },
        Spec { name: "level", input: Input::Choice(with_none(lists.choices("level"))), required: false },
        Spec { name: "stage", input: Input::Choice(with_none(lists.choices("stage"))), required: false },
        text("area"),
        text("tax_id"),
        text("external_id"),
        text("website"),
        text("industry"),
        text("size"),
        text("source"),
        Spec { name: "description", input: Input::LongText, required: false },
        Spec { name: "attributes", input: Input::LongText, required: false },
    ]
}

struct Draft<'a> {
    heading: String,
    action: String,
    cancel: String,
    version: String,
    values: &'a (dyn Fn(&str) -> String + Sync),
    record: Option<&'a Value>,
    form: Option<&'a FormData>,
    errors: FieldErrors,
    conflict: String,
    duplicates: Vec<DuplicateRow>,
}

async fn page(state: &AppState, viewer: &Viewer, draft: Draft<'_>) -> Result<FormPage, UiError> {
    let l = l(&viewer.ctx);
    let lists = Lists::load(&state.app).await?;
    let hidden = viewer.actor().hidden_fields("company");
    let mut fields = form_page::fields(&l, &specs(&l, &lists), &hidden, draft.values);
    fields.extend(form_page::custom_fields(&state.app, &l, "company", &hidden, draft.values).await?);
    let (contacts, addresses) = match draft.form {
        Some(form) => record_form::rows_from_form(&l, form),
        None => record_form::rows_from_record(&l, draft.record),
    };
    let others = form_page::others(&draft.errors, &fields, &contacts, &addresses);
    let chosen = match draft.form {
        Some(form) => form_page::categories_of_form(form),
        None => form_page::categories_of_record(draft.record),
    };
    let categories =
        if hidden.iter().any(|h| h == "categories") { Vec::new() } else { form_page::category_groups(&lists, &chosen) };
    Ok(FormPage {
        shell: Shell::new(&viewer.ctx, draft.heading.clone(), "companies"),
        l,
        heading: draft.heading,
        action: draft.action,
        cancel: draft.cancel,
        version: draft.version,
        fields,
        contacts,
        addresses,
        employments: Vec::new(),
        categories,
        errors: draft.errors,
        others,
        conflict: draft.conflict,
        duplicates: draft.duplicates,
        collection: "companies",
    })
}

pub async fn new_form(State(state): State<AppState>, viewer: Viewer) -> Result<Response, UiError> {
    let l = l(&viewer.ctx);
    let defaults = |name: &str| match name {
        "type" => "customer".to_string(),
        "status" => "active".to_string(),
        _ => String::new(),
    };
    let draft = Draft {
        heading: l.t("form-new-company"),
        action: "/companies/new".into(),
        cancel: "/companies".into(),
        version: String::new(),
        values: &defaults,
        record: None,
        form: None,
        errors: FieldErrors::default(),
        conflict: String::new(),
        duplicates: Vec::new(),
    };
    Ok(page(&state, &viewer, draft).await?.into_response())
}

/// The submitted form as inputs and rows, and the body for the use case.
async fn submitted(
    state: &AppState,
    viewer: &Viewer,
    form: &FormData,
    blank_as_null: bool,
) -> Result<(serde_json::Map<String, Value>, Kept), UiError> {
    let l = l(&viewer.ctx);
    let lists = Lists::load(&state.app).await?;
    let hidden = viewer.actor().hidden_fields("company");
    let values = form_page::from_form(form);
    let mut fields: Vec<Field> = form_page::fields(&l, &specs(&l, &lists), &hidden, &values);
    fields.extend(form_page::custom_fields(&state.app, &l, "company", &hidden, &values).await?);
    let (contacts, addresses) = record_form::rows_from_form(&l, form);
    let mut kept = Kept::default();
    let categories = (!hidden.iter().any(|h| h == "categories")).then(|| form_page::categories_of_form(form));
    let body = form_page::body(&fields, &contacts, &addresses, categories, blank_as_null, &mut kept);
    Ok((body, kept))
}

pub async fn create(State(state): State<AppState>, viewer: Viewer, form: FormData) -> Result<Response, UiError> {
    let l = l(&viewer.ctx);
    let (mut body, kept) = submitted(&state, &viewer, &form, false).await?;
    let merge_into = form_page::confirm_duplicate(&form, &mut body);
    let (status, mut errors, duplicates) =
        match companies::create(&state.app, viewer.actor(), Value::Object(body)).await {
            Ok(company) => return Ok(form_page::created("companies", company.id, merge_into)),
            Err(AppError::DuplicateSuspected(found)) => {
                (StatusCode::CONFLICT, FieldErrors::default(), DuplicateRow::of(&l, found))
            }
            Err(error) => (StatusCode::UNPROCESSABLE_ENTITY, field_errors(&l, error)?, Vec::new()),
        };
    kept.remap(&mut errors);
    let values = form_page::from_form(&form);
    let draft = Draft {
        heading: l.t("form-new-company"),
        action: "/companies/new".into(),
        cancel: "/companies".into(),
        version: String::new(),
        values: &values,
        record: None,
        form: Some(&form),
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
    let company = serde_json::to_value(companies::get(&state.app, viewer.actor(), id).await?).unwrap_or_default();
    let name = text(&company, "name");
    let values = form_page::from_record(&company);
    let draft = Draft {
        heading: l.t1("form-edit-company", "name", &name),
        action: format!("/companies/{id}/edit"),
        cancel: format!("/companies/{id}"),
        version: text(&company, "version"),
        values: &values,
        record: Some(&company),
        form: None,
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
    let stored = serde_json::to_value(companies::get(&state.app, actor, id).await?).unwrap_or_default();
    let (body, kept) = submitted(&state, &viewer, &form, true).await?;
    // Without the version the form was made from, a save could overwrite someone else's.
    let version = form
        .get("version")
        .parse::<i64>()
        .map_err(|_| AppError::BadRequest("the form lacks the version it was made from; reload it".into()))?;
    let patch = changed(&body, &stored);

    if patch.is_empty() {
        return Ok(Redirect::to(&format!("/companies/{id}")).into_response());
    }
    let (status, mut errors, conflict) =
        match companies::update(&state.app, actor, id, Value::Object(patch), Some(version)).await {
            Ok(_) => return Ok(Redirect::to(&format!("/companies/{id}")).into_response()),
            Err(AppError::Stale { .. }) => {
                (StatusCode::CONFLICT, FieldErrors::default(), format!("/companies/{id}/edit"))
            }
            Err(error) => (StatusCode::UNPROCESSABLE_ENTITY, field_errors(&l, error)?, String::new()),
        };
    kept.remap(&mut errors);
    let values = form_page::from_form(&form);
    let draft = Draft {
        heading: l.t1("form-edit-company", "name", &text(&stored, "name")),
        action: format!("/companies/{id}/edit"),
        cancel: format!("/companies/{id}"),
        version: form.get("version").to_string(),
        values: &values,
        record: None,
        form: Some(&form),
        errors,
        conflict,
        duplicates: Vec::new(),
    };
    Ok(page(&state, &viewer, draft).await?.into_response_with(status))
}
