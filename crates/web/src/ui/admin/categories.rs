//! `/admin/categories`: the category kinds and their values, the built-in customer
//! levels and relationship stages among them. The use cases decide what is refused (a
//! built-in kind stays; a value in use stays) and the pages show their reason.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use rapport_app::AppError;
use rapport_app::categories::{self, Kind};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{checked, field_errors, kept, notice};
use crate::AppState;
use crate::ui::companies::parse_id;
use crate::ui::context::{FormData, Viewer};
use crate::ui::forms::FieldErrors;
use crate::ui::i18n::L;
use crate::ui::layout::{Shell, UiError, l};
use crate::ui::list::parse_query;

pub struct KindRow {
    pub href: String,
    pub name: String,
    pub key: String,
    pub system: bool,
    pub values: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_categories.html")]
struct ListPage {
    shell: Shell,
    l: L,
    tab: &'static str,
    notice: String,
    kinds: Vec<KindRow>,
    key: String,
    kind_name: String,
    multiple: bool,
    errors: FieldErrors,
}

async fn list_page(
    state: &AppState,
    viewer: &Viewer,
    done: String,
    form: Option<&FormData>,
    errors: FieldErrors,
) -> Result<ListPage, UiError> {
    viewer.actor().require_admin()?;
    let l = l(&viewer.ctx);
    let kinds = categories::list(&state.app)
        .await?
        .into_iter()
        .map(|k| KindRow {
            href: format!("/admin/categories/{}", k.id),
            values: k.values.iter().map(|v| v.name.as_str()).collect::<Vec<_>>().join(", "),
            name: k.name,
            key: k.key,
            system: k.system,
        })
        .collect();
    Ok(ListPage {
        shell: Shell::new(&viewer.ctx, l.t("admin-categories-title"), "admin"),
        tab: "categories",
        notice: done,
        kinds,
        key: kept(form, "key", ""),
        kind_name: kept(form, "name", ""),
        multiple: checked(form, "multiple", true),
        errors,
        l,
    })
}

pub async fn list(State(state): State<AppState>, viewer: Viewer, RawQuery(raw): RawQuery) -> Result<Response, UiError> {
    let done = notice(&l(&viewer.ctx), &parse_query(raw.as_deref()));
    Ok(list_page(&state, &viewer, done, None, FieldErrors::default()).await?.into_response())
}

pub async fn create_kind(State(state): State<AppState>, viewer: Viewer, form: FormData) -> Result<Response, UiError> {
    let l = l(&viewer.ctx);
    let body = json!({"key": form.get("key"), "name": form.get("name"), "multiple": form.get("multiple") == "true"});
    match categories::create_kind(&state.app, viewer.actor(), body).await {
        Ok(kind) => Ok(Redirect::to(&format!("/admin/categories/{}?done=kind-created", kind.id)).into_response()),
        Err(error) => {
            let errors = field_errors(&l, error, "category", &[])?;
            let page = list_page(&state, &viewer, String::new(), Some(&form), errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

pub struct ValueRow {
    pub key: String,
    /// The input's name: one rename form per value, all on one page.
    pub input: String,
    pub name: String,
    pub rename: String,
    pub delete: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_category.html")]
struct KindPage {
    shell: Shell,
    l: L,
    tab: &'static str,
    notice: String,
    action: String,
    key: String,
    system: bool,
    /// The name as stored, for the heading; `kind_name` is the input's.
    name: String,
    kind_name: String,
    multiple: bool,
    values: Vec<ValueRow>,
    value_key: String,
    value_name: String,
    errors: FieldErrors,
    /// Why the use case refused a deletion, in its words.
    refused: String,
}

/// Which of the page's forms came back, so only its inputs keep what was typed.
#[derive(Clone, Copy, PartialEq)]
enum Sent {
    Nothing,
    Kind,
    NewValue,
    Value(Uuid),
}

struct Shown<'a> {
    sent: Sent,
    form: Option<&'a FormData>,
    errors: FieldErrors,
    notice: String,
    refused: String,
}

impl Shown<'_> {
    fn plain(notice: String) -> Shown<'static> {
        Shown { sent: Sent::Nothing, form: None, errors: FieldErrors::default(), notice, refused: String::new() }
    }
}

fn value_input(id: Uuid) -> String {
    format!("value-{id}")
}

fn kind_page(viewer: &Viewer, kind: Kind, shown: Shown<'_>) -> KindPage {
    let l = l(&viewer.ctx);
    let Shown { sent, form, errors, notice, refused } = shown;
    let form_of = |of: Sent| if sent == of { form } else { None };
    let action = format!("/admin/categories/{}", kind.id);
    let values = kind
        .values
        .iter()
        .map(|v| {
            let input = value_input(v.id);
            ValueRow {
                key: v.key.clone(),
                name: kept(form_of(Sent::Value(v.id)), &input, &v.name),
                input,
                rename: format!("{action}/values/{}", v.id),
                delete: format!("{action}/values/{}/delete", v.id),
            }
        })
        .collect();
    let own = form_of(Sent::Kind);
    let new_value = form_of(Sent::NewValue);
    KindPage {
        shell: Shell::new(&viewer.ctx, kind.name.clone(), "admin"),
        tab: "categories",
        notice,
        action,
        kind_name: kept(own, "name", &kind.name),
        name: kind.name.clone(),
        multiple: checked(own, "multiple", kind.multiple),
        key: kind.key,
        system: kind.system,
        values,
        value_key: kept(new_value, "value_key", ""),
        value_name: kept(new_value, "value_name", ""),
        errors,
        refused,
        l,
    }
}

async fn load(state: &AppState, viewer: &Viewer, id: &str) -> Result<Kind, UiError> {
    viewer.actor().require_admin()?;
    Ok(categories::get(&state.app, parse_id(id)?).await?)
}

pub async fn kind(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, UiError> {
    let kind = load(&state, &viewer, &id).await?;
    let done = notice(&l(&viewer.ctx), &parse_query(raw.as_deref()));
    Ok(kind_page(&viewer, kind, Shown::plain(done)).into_response())
}

/// Where a form's answer goes: which form it was, what it sent, how the use case's
/// field names map onto its inputs, and the notice after success.
struct Back<'a> {
    sent: Sent,
    form: &'a FormData,
    rename: &'a [(&'a str, &'a str)],
    done: &'a str,
}

/// After a change: back to the kind's page with the notice; a refusal shows the page
/// again with what was typed and the messages, and nothing saved.
async fn answer(
    state: &AppState,
    viewer: &Viewer,
    kind: Kind,
    outcome: Result<(), AppError>,
    back: Back<'_>,
) -> Result<Response, UiError> {
    let Back { sent, form, rename, done } = back;
    let l = l(&viewer.ctx);
    let error = match outcome {
        Ok(()) => return Ok(Redirect::to(&format!("/admin/categories/{}?done={done}", kind.id)).into_response()),
        Err(error) => error,
    };
    let (status, errors, refused) = match error {
        AppError::Conflict { message, .. } => (StatusCode::CONFLICT, FieldErrors::default(), message),
        AppError::Forbidden(message) => (StatusCode::FORBIDDEN, FieldErrors::default(), message),
        error => (StatusCode::UNPROCESSABLE_ENTITY, field_errors(&l, error, "category", rename)?, String::new()),
    };
    // The kind as it is now: a refused change left it as it was.
    let kind = categories::get(&state.app, kind.id).await?;
    let shown = Shown { sent, form: Some(form), errors, notice: String::new(), refused };
    Ok((status, kind_page(viewer, kind, shown)).into_response())
}

pub async fn update_kind(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, UiError> {
    let kind = load(&state, &viewer, &id).await?;
    let mut body = json!({"name": form.get("name")});
    // A built-in list holds one value per record (a company has one level); only the
    // administrators' own kinds offer the choice.
    if !kind.system {
        body["multiple"] = Value::Bool(form.get("multiple") == "true");
    }
    let outcome = categories::update_kind(&state.app, viewer.actor(), kind.id, body).await.map(drop);
    answer(&state, &viewer, kind, outcome, Back { sent: Sent::Kind, form: &form, rename: &[], done: "kind-saved" })
        .await
}

pub async fn delete_kind(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, UiError> {
    let kind = load(&state, &viewer, &id).await?;
    match categories::delete_kind(&state.app, viewer.actor(), kind.id).await {
        Ok(()) => Ok(Redirect::to("/admin/categories?done=kind-deleted").into_response()),
        Err(error) => {
            answer(&state, &viewer, kind, Err(error), Back { sent: Sent::Nothing, form: &form, rename: &[], done: "" })
                .await
        }
    }
}

pub async fn add_value(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, UiError> {
    let kind = load(&state, &viewer, &id).await?;
    let body = json!({"key": form.get("value_key"), "name": form.get("value_name")});
    let outcome = categories::add_value(&state.app, viewer.actor(), kind.id, body).await.map(drop);
    let rename = [("key", "value_key"), ("name", "value_name")];
    answer(
        &state,
        &viewer,
        kind,
        outcome,
        Back { sent: Sent::NewValue, form: &form, rename: &rename, done: "value-added" },
    )
    .await
}

/// The kind and one of its values, by the ids in the address.
async fn load_value(state: &AppState, viewer: &Viewer, id: &str, value: &str) -> Result<(Kind, Uuid), UiError> {
    let kind = load(state, viewer, id).await?;
    let value = parse_id(value)?;
    if !kind.values.iter().any(|v| v.id == value) {
        return Err(UiError::not_found());
    }
    Ok((kind, value))
}

pub async fn rename_value(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, value)): Path<(String, String)>,
    form: FormData,
) -> Result<Response, UiError> {
    let (kind, value) = load_value(&state, &viewer, &id, &value).await?;
    let input = value_input(value);
    let body = json!({"name": form.get(&input)});
    let outcome = categories::update_value(&state.app, viewer.actor(), kind.id, value, body).await.map(drop);
    let rename = [("name", input.as_str())];
    answer(
        &state,
        &viewer,
        kind,
        outcome,
        Back { sent: Sent::Value(value), form: &form, rename: &rename, done: "value-saved" },
    )
    .await
}

pub async fn delete_value(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, value)): Path<(String, String)>,
    form: FormData,
) -> Result<Response, UiError> {
    let (kind, value) = load_value(&state, &viewer, &id, &value).await?;
    let outcome = categories::delete_value(&state.app, viewer.actor(), kind.id, value).await;
    answer(
        &state,
        &viewer,
        kind,
        outcome,
        Back { sent: Sent::Nothing, form: &form, rename: &[], done: "value-deleted" },
    )
    .await
}
