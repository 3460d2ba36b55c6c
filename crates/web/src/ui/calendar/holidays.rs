//! `/admin/holidays`: the company's holidays, which no task made automatically lands on.
//! Nothing country-specific is seeded: each company keeps the days it observes.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use rapport_app::calendar;
use serde_json::json;
use time::{Duration, OffsetDateTime};

use crate::AppState;
use crate::ui::admin::{field_errors, notice};
use crate::ui::companies::parse_id;
use crate::ui::context::{FormData, Viewer};
use crate::ui::forms::FieldErrors;
use crate::ui::i18n::L;
use crate::ui::layout::{Shell, UiError, l};
use crate::ui::list::parse_query;

pub struct HolidayLine {
    pub id: String,
    pub day: String,
    pub name: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_holidays.html")]
struct HolidaysPage {
    shell: Shell,
    l: L,
    tab: &'static str,
    notice: String,
    holidays: Vec<HolidayLine>,
    day: String,
    holiday_name: String,
    errors: FieldErrors,
}

async fn render(
    state: &AppState,
    viewer: &Viewer,
    notice: String,
    form: Option<&FormData>,
    errors: FieldErrors,
) -> Result<HolidaysPage, UiError> {
    viewer.actor().require_admin()?;
    let l = l(&viewer.ctx);
    // Last year's stay in view for a while: they show what to enter for this one.
    let from = OffsetDateTime::now_utc().date() - Duration::days(366);
    let holidays = calendar::holidays(&state.app, viewer.actor(), Some(from), None)
        .await?
        .into_iter()
        .map(|h| HolidayLine {
            id: h.id.to_string(),
            day: format!("{} {}", l.weekday(h.day.weekday()), l.date(h.day)),
            name: h.name,
        })
        .collect();
    Ok(HolidaysPage {
        shell: Shell::new(&viewer.ctx, l.t("holidays-title"), "admin"),
        tab: "holidays",
        notice,
        holidays,
        day: form.map(|f| f.get("day").to_string()).unwrap_or_default(),
        holiday_name: form.map(|f| f.get("name").to_string()).unwrap_or_default(),
        errors,
        l,
    })
}

pub async fn list(State(state): State<AppState>, viewer: Viewer, RawQuery(raw): RawQuery) -> Result<Response, UiError> {
    let l = l(&viewer.ctx);
    let done = notice(&l, &parse_query(raw.as_deref()));
    Ok(render(&state, &viewer, done, None, FieldErrors::default()).await?.into_response())
}

pub async fn add(State(state): State<AppState>, viewer: Viewer, form: FormData) -> Result<Response, UiError> {
    let l = l(&viewer.ctx);
    let body = json!({"day": form.get("day"), "name": form.get("name")});
    match calendar::add_holiday(&state.app, viewer.actor(), body).await {
        Ok(_) => Ok(Redirect::to("/admin/holidays?done=holiday-added").into_response()),
        Err(error) => {
            let errors = field_errors(&l, error, "holiday", &[])?;
            let page = render(&state, &viewer, String::new(), Some(&form), errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

pub async fn delete(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    calendar::delete_holiday(&state.app, viewer.actor(), parse_id(&id)?).await?;
    Ok(Redirect::to("/admin/holidays?done=holiday-removed").into_response())
}
