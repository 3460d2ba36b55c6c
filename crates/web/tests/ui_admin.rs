//! The administration screens: users, custom fields, categories with the built-in
//! levels and stages, and who may open them, on SQLite and PostgreSQL.

mod ui_support;

use rapport_app::categories::{self, Kind};
use rapport_app::{Actor, companies, custom_fields, users};
use reqwest::StatusCode;
use serde_json::json;
use ui_support::{PASSWORD, UiServer};

async fn kind_with_key(s: &UiServer, key: &str) -> Kind {
    categories::list(&s.app).await.unwrap().into_iter().find(|k| k.key == key).expect("the kind exists")
}

fn as_refs<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(n, v)| (*n, v.as_str())).collect()
}

/// The options of a select on a page, as (value, text).
fn options(body: &str, select: &str) -> Vec<(String, String)> {
    let Some(start) = body.find(&format!(r#"<select id="f-{select}""#)) else { return Vec::new() };
    let end = body[start..].find("</select>").map(|e| start + e).unwrap_or(body.len());
    body[start..end]
        .split("<option value=\"")
        .skip(1)
        .filter_map(|o| {
            let (value, rest) = o.split_once('"')?;
            let text = rest.split_once('>')?.1.split("</option>").next()?;
            Some((value.to_string(), text.to_string()))
        })
        .collect()
}

ui_both_engines!(
    a_custom_field_made_through_the_form_appears_on_the_company_form_and_card,
    with_admin,
    |s: UiServer| async move {
        let mut admin = s.signed_in("admin").await;
        let list = admin.get("/admin/custom-fields").await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains(r#"href="/admin/custom-fields/new?record_kind=company""#));

        let form = admin.get("/admin/custom-fields/new?record_kind=company").await;
        assert_eq!(options(&form.body, "type").len(), 8, "every type is offered");
        let invalid = admin
            .post(
                "/admin/custom-fields/new",
                &[("record_kind", "company"), ("label", "  "), ("key", "Contract Tier"), ("type", "choice")],
            )
            .await;
        assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(invalid.body.contains(r#"<p class="field-error" id="e-label">Required.</p>"#), "{}", invalid.body);
        assert!(invalid.body.contains(r#"id="e-key""#), "the key's message sits next to it");
        assert!(invalid.body.contains(r#"id="e-choices""#), "a choice field without choices is refused");
        assert_eq!(invalid.input_value("key").as_deref(), Some("Contract Tier"), "what was typed stays");
        assert!(custom_fields::list(&s.app, None).await.unwrap().is_empty(), "nothing was saved");

        let created = admin
            .post(
                "/admin/custom-fields/new",
                &[
                    ("record_kind", "company"),
                    ("label", "Contract tier"),
                    ("key", "contract_tier"),
                    ("type", "choice"),
                    ("choices", "Gold\r\nSilver\r\n"),
                    ("position", "1"),
                ],
            )
            .await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        let listed = admin.get(&created.location()).await;
        assert!(listed.body.contains("The custom field is created.") && listed.body.contains("Contract tier"));

        let company_form = admin.get("/companies/new").await;
        assert_eq!(
            options(&company_form.body, "custom.contract_tier").into_iter().map(|(v, _)| v).collect::<Vec<_>>(),
            ["", "Gold", "Silver"],
            "the company form offers the new field with its choices"
        );
        let saved = admin
            .post(
                "/companies/new",
                &[("name", "Tiered Ltd"), ("type", "customer"), ("status", "active"), ("custom.contract_tier", "Gold")],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let card = admin.get(&saved.location()).await;
        assert!(card.body.contains("<dt>Contract tier</dt><dd>Gold</dd>"), "the card shows the value: {}", card.body);

        let field = custom_fields::list(&s.app, Some("company")).await.unwrap().remove(0);
        let path = format!("/admin/custom-fields/{}", field.id);
        let edit = admin.get(&path).await;
        assert_eq!(edit.input_value("label").as_deref(), Some("Contract tier"));
        assert!(!edit.body.contains(r#"name="key""#) && edit.body.contains("contract_tier"), "the key is read-only");
        let emptied = admin.post(&path, &[("label", ""), ("choices", "Gold\nSilver"), ("version", "1")]).await;
        assert_eq!(emptied.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(emptied.body.contains(r#"id="e-label""#));
        let renamed = admin
            .post(
                &path,
                &[("label", "Tier"), ("required", "true"), ("choices", "Gold\nSilver\nBronze"), ("version", "1")],
            )
            .await;
        assert_eq!(
            (renamed.status, renamed.location()),
            (StatusCode::SEE_OTHER, "/admin/custom-fields?done=field-saved".to_string()),
            "{}",
            renamed.body
        );
        let company_form = admin.get("/companies/new").await;
        assert!(
            company_form.body.contains(r#"<label for="f-custom.contract_tier">Tier</label>"#),
            "the new label shows"
        );
        assert!(options(&company_form.body, "custom.contract_tier").iter().any(|(v, _)| v == "Bronze"));
        let stale = admin.post(&path, &[("label", "Late"), ("choices", "Gold"), ("version", "1")]).await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "a save from an old form is not applied");
        assert_eq!(stale.input_value("label").as_deref(), Some("Late"), "the input is kept");
        assert_eq!(custom_fields::get(&s.app, field.id).await.unwrap().spec.label, "Tier");
    }
);

ui_both_engines!(
    category_and_stage_values_edited_here_show_in_the_company_filters,
    with_admin,
    |s: UiServer| async move {
        let mut admin = s.signed_in("admin").await;
        let list = admin.get("/admin/categories").await;
        assert!(list.body.contains("Relationship stage") && list.body.contains("Customer level"), "{}", list.body);

        let invalid = admin.post("/admin/categories", &[("name", ""), ("key", "no spaces")]).await;
        assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(invalid.body.contains(r#"id="e-name""#) && invalid.body.contains(r#"id="e-key""#));
        assert_eq!(invalid.input_value("key").as_deref(), Some("no spaces"));
        assert_eq!(categories::list(&s.app).await.unwrap().len(), 2, "nothing was saved");

        let created =
            admin.post("/admin/categories", &[("name", "Region"), ("key", "region"), ("multiple", "true")]).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        let region = kind_with_key(&s, "region").await;
        let kind_path = format!("/admin/categories/{}", region.id);
        assert_eq!(created.location(), format!("{kind_path}?done=kind-created"));
        assert!(admin.get(&created.location()).await.body.contains("The category kind is created."));

        let added =
            admin.post(&format!("{kind_path}/values"), &[("value_name", "North"), ("value_key", "north")]).await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        let twice =
            admin.post(&format!("{kind_path}/values"), &[("value_name", "Again"), ("value_key", "north")]).await;
        assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(twice.body.contains(r#"id="e-value_key""#) && twice.body.contains("This key is already in use."));
        assert_eq!(twice.input_value("value_name").as_deref(), Some("Again"));
        let filter = |body: &str| options(body, "category").into_iter().map(|(_, t)| t).collect::<Vec<_>>();
        assert!(filter(&admin.get("/companies").await.body).contains(&"Region: North".to_string()));

        let north = kind_with_key(&s, "region").await.values.remove(0);
        let input = format!("value-{}", north.id);
        let value_path = format!("{kind_path}/values/{}", north.id);
        let empty = admin.post(&value_path, &[(input.as_str(), " ")]).await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(empty.body.contains(&format!(r#"id="e-{input}""#)), "the message is next to that value");
        let renamed = admin.post(&value_path, &[(input.as_str(), "Northern")]).await;
        assert_eq!(renamed.status, StatusCode::SEE_OTHER, "{}", renamed.body);
        let shown = filter(&admin.get("/companies").await.body);
        assert!(shown.contains(&"Region: Northern".to_string()) && !shown.contains(&"Region: North".to_string()));
        let deleted = admin.post(&format!("{value_path}/delete"), &[]).await;
        assert_eq!(deleted.status, StatusCode::SEE_OTHER);
        assert!(!filter(&admin.get("/companies").await.body).iter().any(|t| t.starts_with("Region")));

        let stage = kind_with_key(&s, "stage").await;
        let stage_path = format!("/admin/categories/{}", stage.id);
        let page = admin.get(&stage_path).await;
        assert!(!page.body.contains(&format!(r#"action="{stage_path}/delete""#)), "a built-in list offers no delete");
        let stages = |body: &str| options(body, "stage");
        let added =
            admin.post(&format!("{stage_path}/values"), &[("value_name", "Prospect"), ("value_key", "prospect")]).await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        let mature = stage.values.iter().find(|v| v.key == "mature").unwrap();
        let mature_input = format!("value-{}", mature.id);
        let renamed =
            admin.post(&format!("{stage_path}/values/{}", mature.id), &[(mature_input.as_str(), "Established")]).await;
        assert_eq!(renamed.status, StatusCode::SEE_OTHER);
        let offered = stages(&admin.get("/companies").await.body);
        assert!(offered.contains(&("prospect".to_string(), "Prospect".to_string())), "{offered:?}");
        assert!(offered.contains(&("mature".to_string(), "Established".to_string())), "{offered:?}");

        companies::create(&s.app, &Actor::system(), json!({"name": "Growing Co", "stage": "growing"})).await.unwrap();
        let growing = stage.values.iter().find(|v| v.key == "growing").unwrap();
        let refused = admin.post(&format!("{stage_path}/values/{}/delete", growing.id), &[]).await;
        assert_eq!(refused.status, StatusCode::CONFLICT);
        assert!(refused.body.contains(r#"id="refused""#) && refused.body.contains("1 record(s) use Growing"));
        let prospect = kind_with_key(&s, "stage").await.values.into_iter().find(|v| v.key == "prospect").unwrap();
        let gone = admin.post(&format!("{stage_path}/values/{}/delete", prospect.id), &[]).await;
        assert_eq!(gone.status, StatusCode::SEE_OTHER);
        let offered = stages(&admin.get("/companies").await.body);
        assert!(offered.iter().any(|(v, _)| v == "growing") && !offered.iter().any(|(v, _)| v == "prospect"));

        let kept = admin.post(&format!("{stage_path}/delete"), &[]).await;
        assert_eq!(kept.status, StatusCode::FORBIDDEN, "a built-in list stays");
        assert!(kept.body.contains("stage is built in"), "the use case's reason shows: {}", kept.body);
        let removed = admin.post(&format!("{kind_path}/delete"), &[]).await;
        assert_eq!(removed.location(), "/admin/categories?done=kind-deleted");
        assert!(!admin.get("/admin/categories").await.body.contains("Region"));
        assert_eq!(admin.get("/admin/lists").await.location(), "/admin/categories", "the old address leads on");
    }
);

ui_both_engines!(
    an_administrator_changes_a_role_disables_a_user_and_resets_a_password,
    with_admin,
    |s: UiServer| async move {
        let sam = s.user("sam", "Sam Sales", "sales", None).await;
        let mut sams_laptop = s.signed_in("sam").await;
        let mut admin = s.signed_in("admin").await;
        let path = format!("/admin/users/{sam}");
        let list = admin.get("/admin/users").await;
        assert!(list.body.contains(&format!(r#"<a href="{path}">sam</a>"#)), "each user links to their page");
        let edit = admin.get(&path).await;
        assert_eq!(edit.input_value("name").as_deref(), Some("Sam Sales"));
        assert!(options(&edit.body, "role").contains(&("sales".to_string(), "Sales".to_string())));

        // The version the edit form was made from, as a browser would send it back.
        async fn version(admin: &mut ui_support::Browser, path: &str) -> String {
            admin.get(path).await.input_value("version").expect("the form carries its version")
        }
        let fields = |email: &'static str, role: &'static str, disabled: bool, version: String| {
            let mut f = vec![
                ("name", "Sam Sales".to_string()),
                ("email", email.to_string()),
                ("role", role.to_string()),
                ("team_id", String::new()),
                ("version", version),
            ];
            if disabled {
                f.push(("disabled", "true".to_string()));
            }
            f
        };
        let invalid_fields = fields("sam@", "manager", false, version(&mut admin, &path).await);
        let invalid = admin.post(&path, &as_refs(&invalid_fields)).await;
        assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(invalid.body.contains(r#"<p class="field-error" id="e-email">Not a valid email address.</p>"#));
        assert_eq!(invalid.input_value("email").as_deref(), Some("sam@"), "what was typed stays");
        assert_eq!(users::get(&s.app, &Actor::system(), sam).await.unwrap().user.role, "sales", "nothing was saved");

        let ok = fields("sam@example.com", "manager", false, version(&mut admin, &path).await);
        let saved = admin.post(&path, &as_refs(&ok)).await;
        assert_eq!(saved.location(), "/admin/users?done=user-saved", "{}", saved.body);
        let list = admin.get(&saved.location()).await;
        assert!(list.body.contains("The user is saved.") && list.body.contains("<td>manager</td>"), "{}", list.body);

        let off = fields("sam@example.com", "manager", true, version(&mut admin, &path).await);
        let disabled = admin.post(&path, &as_refs(&off)).await;
        assert_eq!(disabled.status, StatusCode::SEE_OTHER, "{}", disabled.body);
        assert!(admin.get(&path).await.body.contains(r#"name="disabled" value="true" checked"#), "the box shows it");
        assert_eq!(sams_laptop.get("/companies").await.status, StatusCode::SEE_OTHER, "the open session is over");
        let mut fresh = s.browser();
        fresh.get("/login").await;
        let refused = fresh.post("/login", &[("login", "sam"), ("password", PASSWORD)]).await;
        assert_ne!(refused.status, StatusCode::SEE_OTHER, "a disabled user cannot sign in");

        let reset = admin.post(&format!("{path}/password"), &[]).await;
        assert_eq!(reset.status, StatusCode::OK);
        assert!(reset.body.contains("sam has a new password."), "{}", reset.body);
        let password =
            reset.body.split("<code>").nth(1).and_then(|r| r.split("</code>").next()).expect("the new password");
        let on = fields("sam@example.com", "manager", false, version(&mut admin, &path).await);
        let enabled = admin.post(&path, &as_refs(&on)).await;
        assert_eq!(enabled.status, StatusCode::SEE_OTHER, "{}", enabled.body);
        let old = fresh.post("/login", &[("login", "sam"), ("password", PASSWORD)]).await;
        assert_ne!(old.status, StatusCode::SEE_OTHER, "the old password no longer works");
        let signed = fresh.post("/login", &[("login", "sam"), ("password", password)]).await;
        assert_eq!(signed.status, StatusCode::SEE_OTHER, "the new one does, once enabled again");

        let me =
            users::list(&s.app, &Actor::system()).await.unwrap().into_iter().find(|u| u.user.login == "admin").unwrap();
        let own = admin.get(&format!("/admin/users/{}", me.user.id)).await;
        assert!(!own.body.contains(r#"name="role""#), "one's own role is changed by another administrator");
        assert!(own.body.contains(r#"href="/account/password""#), "one's own password is changed there");
        assert!(!own.body.contains(&format!(r#"action="/admin/users/{}/password""#, me.user.id)), "not reset here");
    }
);

ui_both_engines!(only_administrators_open_the_administration, with_admin, |s: UiServer| async move {
    s.user("vera", "Vera Viewer", "sales", None).await;
    let stage = kind_with_key(&s, "stage").await;
    let everyone = users::list(&s.app, &Actor::system()).await.unwrap();
    let admin_id = everyone.iter().find(|u| u.user.login == "admin").unwrap().user.id;
    let mut vera = s.signed_in("vera").await;
    for path in [
        "/admin/users".to_string(),
        format!("/admin/users/{admin_id}"),
        "/admin/custom-fields".into(),
        "/admin/custom-fields/new".into(),
        "/admin/categories".into(),
        format!("/admin/categories/{}", stage.id),
        "/admin/lists".into(),
    ] {
        assert_eq!(vera.get(&path).await.status, StatusCode::FORBIDDEN, "{path} is for administrators");
    }
    vera.get("/companies").await;
    let posted = vera
        .post("/admin/custom-fields/new", &[("record_kind", "company"), ("label", "X"), ("key", "x"), ("type", "text")])
        .await;
    assert_eq!(posted.status, StatusCode::FORBIDDEN);
    let value =
        vera.post(&format!("/admin/categories/{}/values", stage.id), &[("value_name", "X"), ("value_key", "x")]).await;
    assert_eq!(value.status, StatusCode::FORBIDDEN);
    let reset = vera.post(&format!("/admin/users/{admin_id}/password"), &[]).await;
    assert_eq!(reset.status, StatusCode::FORBIDDEN);
    assert!(custom_fields::list(&s.app, None).await.unwrap().is_empty());
    assert_eq!(kind_with_key(&s, "stage").await.values.len(), 4, "nothing was changed");

    let mut admin = s.signed_in("admin").await;
    assert_eq!(admin.get("/admin/users/not-an-id").await.status, StatusCode::NOT_FOUND);
    assert_eq!(admin.get(&format!("/admin/categories/{admin_id}")).await.status, StatusCode::NOT_FOUND);
});
