//! `/threads`: the threads one started (and a form to start one), and a thread's page
//! with its activities as a tree of replies.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use rapport_app::activities::{self, ThreadNode};
use rapport_app::sessions;
use rapport_core::activities::ActivityKind;
use serde_json::json;
use uuid::Uuid;

use super::super::companies::parse_id;
use super::super::context::{FormData, Viewer};
use super::super::forms::{FieldErrors, field_errors};
use super::super::i18n::L;
use super::super::layout::{Shell, UiError, l};
use super::{Item, item};
use crate::AppState;

pub struct ThreadLine {
    pub id: String,
    pub subject: String,
    pub started: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "threads.html")]
struct ThreadsPage {
    shell: Shell,
    l: L,
    threads: Vec<ThreadLine>,
    subject: String,
    errors: FieldErrors,
}

async fn render(
    state: &AppState,
    viewer: &Viewer,
    subject: String,
    errors: FieldErrors,
) -> Result<ThreadsPage, UiError> {
    let l = l(&viewer.ctx);
    let threads = activities::list_threads(&state.app, viewer.actor(), Vec::new())
        .await?
        .into_iter()
        .map(|t| ThreadLine { id: t.id.to_string(), subject: t.subject, started: l.datetime(t.created_at) })
        .collect();
    Ok(ThreadsPage { shell: Shell::new(&viewer.ctx, l.t("threads-title"), "threads"), threads, subject, errors, l })
}

pub async fn threads(State(state): State<AppState>, viewer: Viewer) -> Result<Response, UiError> {
    Ok(render(&state, &viewer, String::new(), FieldErrors::default()).await?.into_response())
}

pub async fn create_thread(State(state): State<AppState>, viewer: Viewer, form: FormData) -> Result<Response, UiError> {
    let l = l(&viewer.ctx);
    match activities::create_thread(&state.app, viewer.actor(), json!({"subject": form.get("subject")})).await {
        Ok(thread) => Ok(Redirect::to(&format!("/threads/{}", thread.id)).into_response()),
        Err(error) => {
            let errors = field_errors(&l, error)?;
            let page = render(&state, &viewer, form.get("subject").to_string(), errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "thread.html")]
struct ThreadPage {
    shell: Shell,
    l: L,
    id: String,
    subject: String,
    items: Vec<Item>,
}

/// The tree in reading order, each activity with its depth.
fn flatten(
    l: &L,
    kinds: &[ActivityKind],
    names: &HashMap<Uuid, String>,
    nodes: &[ThreadNode],
    depth: usize,
    out: &mut Vec<Item>,
) {
    for node in nodes {
        out.push(item(l, kinds, names, &node.activity, depth.min(6)));
        flatten(l, kinds, names, &node.replies, depth + 1, out);
    }
}

pub async fn thread(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    let app = &state.app;
    let id = parse_id(&id)?;
    let l = l(&viewer.ctx);
    let tree = activities::get_thread(app, viewer.actor(), id).await?;
    let kinds = activities::kinds(app).await?;
    let names: HashMap<Uuid, String> = sessions::user_names(app).await?.into_iter().collect();
    let mut items = Vec::new();
    flatten(&l, &kinds, &names, &tree.activities, 0, &mut items);
    let page = ThreadPage {
        shell: Shell::new(&viewer.ctx, tree.thread.subject.clone(), "threads"),
        id: id.to_string(),
        subject: tree.thread.subject,
        items,
        l,
    };
    Ok(page.into_response())
}
