//! One batch of rows: references resolved (a person's company, categories, owner, level
//! and stage by name), drafts parsed as the API parses them, the record to update found
//! by external id or customer code, duplicates found (earlier in the file, or already in
//! the base: by email, phone, tax number, code), the use case's checks, and the write.
//! Lookups are made for the whole batch at once, never per row.

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

use rapport_core::access::Action;
use rapport_core::companies::{Company, CompanyFields};
use rapport_core::imports::{ImportKind, ImportRow, RowDraft, merge, row};
use rapport_core::people::{Person, PersonFields};
use rapport_core::text::fold;
use rapport_store::imports::{self as store, Reject};
use rapport_store::{Backend, Exec, Tx};
use serde_json::{Value, json};
use uuid::Uuid;

use super::run::Ended;
use super::{Mode, Options, Summary, Upsert};
use crate::access::{self, Guarded};
use crate::records::{self, Lookups};
use crate::{Actor, App, AppError, companies, people};

/// A company a person row may name: (id, code, external id, name).
type Named = (Uuid, String, Option<String>, String);

/// Rows shown as they would be saved.
const PREVIEW: usize = 20;

pub(super) enum Fields {
    Company(Box<CompanyFields>),
    Person(Box<PersonFields>),
}

pub(super) enum Existing {
    Company(Box<Company>),
    Person(Box<Person>),
}

impl Existing {
    pub(super) fn id(&self) -> Uuid {
        match self {
            Existing::Company(c) => c.id,
            Existing::Person(p) => p.id,
        }
    }
}

/// A row that parsed, on its way to being written.
pub(super) struct Candidate {
    pub row: ImportRow,
    pub fields: Fields,
    pub target: Option<Existing>,
}

pub(crate) struct Writer<'a> {
    pub(super) app: &'a App,
    pub(super) actor: &'a Actor,
    pub(super) import: Uuid,
    pub(super) kind: ImportKind,
    pub(super) mode: Mode,
    pub(super) dry_run: bool,
    pub(super) upsert: Upsert,
    pub(super) summary: Summary,
    pub(super) lookups: Lookups,
    pub(super) users: Vec<rapport_store::users::User>,
    /// Keys (email, phone, tax number, code, external id) of rows accepted so far, with
    /// their lines: 8 bytes of hash each, so a million rows stay well under 50 MB.
    pub(super) seen: HashMap<u64, u64>,
    /// The one transaction of an all-or-nothing import.
    pub(super) tx: Option<Tx>,
    /// An all-or-nothing import refused a row: nothing more is written.
    pub(super) refused: bool,
    pub(super) seq: i32,
}

pub(super) fn key(kind: &str, value: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    (kind, value).hash(&mut hasher);
    hasher.finish()
}

impl<'a> Writer<'a> {
    pub async fn new(
        app: &'a App,
        actor: &'a Actor,
        import: Uuid,
        kind: ImportKind,
        options: &Options,
        summary: Summary,
    ) -> Result<Writer<'a>, AppError> {
        let mut reader = app.reader();
        Ok(Writer {
            app,
            actor,
            import,
            kind,
            mode: options.mode,
            dry_run: options.dry_run,
            upsert: options.upsert,
            summary,
            lookups: Lookups::load(&mut reader).await?,
            users: rapport_store::users::list(&mut reader).await?,
            seen: HashMap::new(),
            tx: None,
            refused: false,
            seq: 0,
        })
    }

    /// Whether progress may be written now: SQLite's single writer is busy with the open
    /// transaction of an all-or-nothing import.
    pub fn may_report(&self) -> bool {
        self.tx.is_none() || self.app.db.backend() == Backend::Postgres
    }

    pub fn rows(&self) -> u64 {
        self.summary.rows
    }

    fn writes(&self) -> bool {
        !self.dry_run && !self.refused
    }

    pub async fn batch(&mut self, rows: Vec<ImportRow>) -> Result<(), AppError> {
        let mut rejects = Vec::new();
        let mut tx = match (self.mode, self.tx.take()) {
            (_, _) if !self.writes() => None,
            (Mode::AllOrNothing, Some(tx)) => Some(tx),
            _ => Some(self.app.db.begin().await?),
        };
        let candidates = match &mut tx {
            Some(tx) => self.check(tx, rows, &mut rejects).await?,
            None => self.check(&mut self.app.reader(), rows, &mut rejects).await?,
        };
        if !rejects.is_empty() && self.mode == Mode::AllOrNothing && !self.dry_run {
            // Nothing of an all-or-nothing import is written once a row is refused: the
            // open transaction goes, and the rest of the file is only checked.
            self.refused = true;
            tx = None;
        }
        self.summary.rejected += rejects.iter().map(|r| r.line).collect::<HashSet<_>>().len() as u64;
        self.preview(&candidates);
        match tx {
            Some(mut tx) => {
                self.write(&mut tx, candidates).await?;
                store::add_rejects(&mut tx, self.import, &rejects).await?;
                match self.mode {
                    Mode::AllOrNothing => self.tx = Some(tx),
                    Mode::ValidRows => tx.commit().await?,
                }
            }
            None => {
                self.count(&candidates);
                if !rejects.is_empty() {
                    let mut tx = self.app.db.begin().await?;
                    store::add_rejects(&mut tx, self.import, &rejects).await?;
                    tx.commit().await?;
                }
            }
        }
        Ok(())
    }

    /// Counts what a check-only pass would have done.
    fn count(&mut self, candidates: &[Candidate]) {
        for c in candidates {
            if c.target.is_some() { self.summary.updated += 1 } else { self.summary.created += 1 }
        }
    }

    fn preview(&mut self, candidates: &[Candidate]) {
        for c in candidates {
            if self.summary.preview.len() >= PREVIEW {
                return;
            }
            let record = match &c.fields {
                Fields::Company(f) => serde_json::to_value(f),
                Fields::Person(f) => serde_json::to_value(f),
            };
            let action = if c.target.is_some() { "update" } else { "create" };
            let id = c.target.as_ref().map(Existing::id);
            self.summary
                .preview
                .push(json!({"line": c.row.line, "action": action, "id": id, "record": record.unwrap_or_default()}));
        }
    }

    fn reject(
        &mut self,
        rejects: &mut Vec<Reject>,
        line: u64,
        column: String,
        code: &str,
        reason: String,
        existing: Option<Uuid>,
    ) {
        self.seq += 1;
        rejects.push(Reject {
            seq: self.seq,
            line: line as i64,
            column_name: column,
            code: code.to_string(),
            reason,
            existing_id: existing,
        });
    }

    /// Resolves, parses and checks the rows; returns those that may be written.
    async fn check(
        &mut self,
        ex: &mut impl Exec,
        rows: Vec<ImportRow>,
        rejects: &mut Vec<Reject>,
    ) -> Result<Vec<Candidate>, AppError> {
        let employers = self.employers(ex, &rows).await?;
        let mut parsed = Vec::with_capacity(rows.len());
        for mut row in rows {
            self.summary.rows += 1;
            self.resolve(&mut row, &employers);
            let problems = std::mem::take(&mut row.problems);
            let fields = self.parse(&row);
            let mut refused = false;
            for problem in problems {
                self.reject(rejects, row.line, problem.column, problem.code, problem.reason, None);
                refused = true;
            }
            match fields {
                Ok(fields) if !refused => parsed.push((row, fields)),
                Ok(_) => {}
                Err(invalid) => {
                    for e in invalid.errors {
                        let column = Some(row.column_of(&e.field)).filter(|c| !c.is_empty()).unwrap_or(e.field);
                        self.reject(rejects, row.line, column, e.code, e.message, None);
                    }
                }
            }
        }
        let targets = self.targets(ex, &parsed).await?;
        let mut candidates = Vec::with_capacity(parsed.len());
        let mut pending = Vec::with_capacity(parsed.len());
        for ((row, fields), found) in parsed.into_iter().zip(targets) {
            match found {
                Err((code, reason, existing)) => {
                    let column = row.column_of("external_id");
                    self.reject(rejects, row.line, column, code, reason, existing);
                }
                Ok(target) => pending.push((row, fields, target)),
            }
        }
        let duplicates = self.duplicates(ex, &pending).await?;
        let known: HashSet<Uuid> = employers.values().filter_map(|v| v.as_ref().ok().copied()).collect();
        for ((row, fields, target), duplicate) in pending.into_iter().zip(duplicates) {
            if let Some((column, reason, existing)) = duplicate {
                self.summary.duplicates += 1;
                self.reject(rejects, row.line, column, "duplicate", reason, existing);
                continue;
            }
            match self.finish_fields(ex, &row, fields, target.as_ref(), &known).await? {
                Ok(fields) => {
                    self.remember(&row, &fields);
                    candidates.push(Candidate { row, fields, target });
                }
                Err(invalid) => {
                    for e in invalid.errors {
                        let column = Some(row.column_of(&e.field)).filter(|c| !c.is_empty()).unwrap_or(e.field);
                        self.reject(rejects, row.line, column, e.code, e.message, None);
                    }
                }
            }
        }
        Ok(candidates)
    }

    /// The companies person rows name, by their text: found (visible, one), or why not.
    async fn employers(
        &self,
        ex: &mut impl Exec,
        rows: &[ImportRow],
    ) -> Result<HashMap<String, Result<Uuid, String>>, AppError> {
        let mut values: Vec<String> = rows.iter().filter_map(|r| r.employer.clone()).collect();
        values.sort();
        values.dedup();
        if values.is_empty() {
            return Ok(HashMap::new());
        }
        let found = store::companies_named(ex, &values, &self.actor.visibility("company")).await?;
        Ok(values
            .into_iter()
            .map(|value| {
                let by =
                    |pick: &dyn Fn(&Named) -> bool| found.iter().filter(|c| pick(c)).map(|c| c.0).collect::<Vec<_>>();
                let by_code = by(&|c| c.1 == value);
                let by_external = by(&|c| c.2.as_deref() == Some(value.as_str()));
                let by_name = by(&|c| c.3 == value);
                let result = match (by_code.first(), by_external.first(), by_name.as_slice()) {
                    (Some(id), _, _) | (None, Some(id), _) | (None, None, [id]) => Ok(*id),
                    (None, None, []) => Err(format!("no company has the code, external id or name {value:?}")),
                    (None, None, _) => {
                        Err(format!("{} companies are named {value:?}: use its customer code", by_name.len()))
                    }
                };
                (value, result)
            })
            .collect())
    }

    /// Puts the resolved references into the row's draft (or a problem into the row).
    fn resolve(&self, row: &mut ImportRow, employers: &HashMap<String, Result<Uuid, String>>) {
        let column = |row: &ImportRow, field: &str| row.column_of(field);
        let mut categories = Vec::new();
        for name in row.categories.clone() {
            let folded = fold(&name);
            let value = self
                .lookups
                .kinds
                .iter()
                .filter(|k| !k.system)
                .flat_map(|k| &k.values)
                .find(|v| fold(&v.name) == folded || fold(&v.key) == folded);
            match value {
                Some(value) => categories.push(value.id),
                None if row.lenient => {}
                None => row.problem(
                    &column(row, "categories"),
                    "unknown_category",
                    format!("no category is named {name:?}"),
                ),
            }
        }
        let owner = row.owner.clone().and_then(|owner| {
            let folded = owner.trim().to_lowercase();
            let user = self.users.iter().find(|u| {
                u.login.to_lowercase() == folded || u.email.as_deref().is_some_and(|e| e.to_lowercase() == folded)
            });
            if user.is_none() {
                row.problem(&column(row, "owner"), "unknown_user", format!("no user has the login or email {owner:?}"));
            }
            user.map(|u| u.id)
        });
        let mut organization = None;
        let employer = row.employer.clone().and_then(|e| match employers.get(&e) {
            Some(Ok(id)) => Some(*id),
            Some(Err(_)) if row.lenient => {
                organization = Some(e.chars().take(500).collect::<String>());
                None
            }
            Some(Err(reason)) => {
                row.problem(&column(row, "employer"), "unknown_company", reason.clone());
                None
            }
            None => None,
        });
        let employment = employer.map(|id| row::employment(id, row));
        let level_of = |list: &str, raw: &Option<String>| {
            raw.as_ref().map(|raw| {
                let folded = fold(raw);
                self.lookups
                    .kinds
                    .iter()
                    .filter(|k| k.key == list)
                    .flat_map(|k| &k.values)
                    .find(|v| fold(&v.name) == folded || fold(&v.key) == folded)
                    .map_or_else(|| raw.clone(), |v| v.key.clone())
            })
        };
        match &mut row.draft {
            RowDraft::Company(draft) => {
                draft.level = level_of("level", &draft.level);
                draft.stage = level_of("stage", &draft.stage);
                draft.categories = Some(categories);
                draft.owner_id = owner;
            }
            RowDraft::Person(draft) => {
                draft.categories = Some(categories);
                draft.owner_id = owner;
                draft.employments = Some(employment.into_iter().collect());
                if let Some(organization) = organization {
                    draft.attributes.get_or_insert_with(Default::default).insert("organization".into(), organization);
                }
            }
        }
    }

    fn parse(&self, row: &ImportRow) -> Result<Fields, rapport_core::Invalid> {
        let body = match &row.draft {
            RowDraft::Company(d) => serde_json::to_value(d),
            RowDraft::Person(d) => serde_json::to_value(d),
        };
        let mut body = body.unwrap_or_default();
        if let Value::Object(map) = &mut body {
            map.retain(|_, v| !v.is_null() && v != &json!([]) && v != &json!({}));
        }
        if let Err(AppError::Invalid(invalid)) =
            self.actor.check_writable(self.kind.record_kind(), &records::touched_fields(&body))
        {
            return Err(invalid);
        }
        match &row.draft {
            RowDraft::Company(d) => d.parse().map(|f| Fields::Company(Box::new(f))),
            RowDraft::Person(d) => d.parse().map(|f| Fields::Person(Box::new(f))),
        }
    }

    fn table(&self) -> &'static str {
        match self.kind {
            ImportKind::Companies => "companies",
            ImportKind::People => "people",
        }
    }

    /// For each row, the record it updates (by external id, or customer code), or why it
    /// may not be written.
    #[allow(clippy::type_complexity)]
    async fn targets(
        &self,
        ex: &mut impl Exec,
        parsed: &[(ImportRow, Fields)],
    ) -> Result<Vec<Result<Option<Existing>, (&'static str, String, Option<Uuid>)>>, AppError> {
        let externals: Vec<String> = parsed.iter().filter_map(|(r, _)| r.external_id().map(str::to_string)).collect();
        let by_external: HashMap<String, Uuid> =
            store::existing_values(ex, self.table(), "external_id", &externals).await?.into_iter().collect();
        let codes: Vec<String> = match self.kind {
            ImportKind::Companies => parsed.iter().filter_map(|(r, _)| r.code.clone()).collect(),
            ImportKind::People => Vec::new(),
        };
        let by_code: HashMap<String, Uuid> =
            store::existing_values(ex, "companies", "code", &codes).await?.into_iter().collect();
        let mut wanted: Vec<(usize, Uuid)> = Vec::new();
        let mut out = Vec::with_capacity(parsed.len());
        for (i, (row, _)) in parsed.iter().enumerate() {
            let external = row.external_id().and_then(|e| by_external.get(e)).copied();
            let code = row.code.as_ref().and_then(|c| by_code.get(c)).copied();
            let chosen = match self.upsert {
                Upsert::Auto => external.or(code),
                Upsert::ExternalId => external,
                Upsert::Code => code,
                Upsert::None => None,
            };
            // An external id or code that is taken, and not the key to update by, would
            // make a second record with it.
            let taken = match (chosen, external, code) {
                (Some(_), _, _) => None,
                (None, Some(id), _) => Some((
                    "duplicate",
                    format!("the external id {:?} is already used", row.external_id().unwrap_or("")),
                    id,
                )),
                (None, None, Some(id)) => Some((
                    "duplicate",
                    format!("the customer code {:?} is already used", row.code.as_deref().unwrap_or("")),
                    id,
                )),
                (None, None, None) => None,
            };
            match (chosen, taken) {
                (_, Some((code, reason, id))) => out.push(Err((code, reason, Some(id)))),
                (Some(id), None) => {
                    wanted.push((i, id));
                    out.push(Ok(None));
                }
                (None, None) => out.push(Ok(None)),
            }
        }
        let ids: Vec<Uuid> = wanted.iter().map(|(_, id)| *id).collect();
        let mut loaded: HashMap<Uuid, Existing> = match self.kind {
            ImportKind::Companies => rapport_store::companies::get_many(ex, &ids)
                .await?
                .into_iter()
                .map(|c| (c.id, Existing::Company(Box::new(c))))
                .collect(),
            ImportKind::People => rapport_store::people::get_many(ex, &ids)
                .await?
                .into_iter()
                .map(|p| (p.id, Existing::Person(Box::new(p))))
                .collect(),
        };
        for (i, id) in wanted {
            let Some(existing) = loaded.remove(&id) else {
                out[i] = Err(("duplicate", "the same record is named by two rows of this batch".into(), Some(id)));
                continue;
            };
            let guard = match &existing {
                Existing::Company(c) => Guarded {
                    kind: "company",
                    id,
                    owner_id: c.fields.owner_id,
                    security_level: c.fields.security_level,
                },
                Existing::Person(p) => Guarded { kind: "person", id, owner_id: p.fields.owner_id, security_level: 0 },
            };
            out[i] = match access::check(ex, self.actor, &guard, Action::Update).await {
                Ok(()) => Ok(Some(existing)),
                Err(AppError::NotFound) => {
                    Err(("not_allowed", "a record you may not see already has this external id or code".into(), None))
                }
                Err(AppError::Forbidden(_)) => {
                    Err(("not_allowed", "you may not change the record this row updates".into(), Some(id)))
                }
                Err(other) => return Err(other),
            };
        }
        Ok(out)
    }

    /// The use case's own checks, on the fields to write (merged into the record a row
    /// updates).
    async fn finish_fields(
        &mut self,
        ex: &mut impl Exec,
        row: &ImportRow,
        fields: Fields,
        target: Option<&Existing>,
        known: &HashSet<Uuid>,
    ) -> Result<Result<Fields, rapport_core::Invalid>, AppError> {
        let actor = self.actor;
        let merged = match (&row.draft, target) {
            (RowDraft::Company(draft), Some(Existing::Company(stored))) => {
                Some(merge::company(&stored.fields.to_draft(), draft).parse().map(|f| Fields::Company(Box::new(f))))
            }
            (RowDraft::Person(draft), Some(Existing::Person(stored))) => {
                Some(merge::person(&stored.fields.to_draft(), draft).parse().map(|f| Fields::Person(Box::new(f))))
            }
            _ => None,
        };
        let mut fields = match merged {
            Some(Ok(fields)) => fields,
            Some(Err(invalid)) => return Ok(Err(invalid)),
            None => fields,
        };
        let checked = match (&mut fields, target) {
            (Fields::Company(f), target) => {
                let before = match target {
                    Some(Existing::Company(c)) => Some(&c.fields),
                    _ => None,
                };
                if before.is_none() {
                    f.owner_id = f.owner_id.or(actor.user_id);
                }
                let owner = if before.is_none_or(|b| b.owner_id != f.owner_id) {
                    records::check_owner(actor, "company", f.owner_id)
                } else {
                    Ok(())
                };
                let id = target.map(Existing::id);
                match owner {
                    Ok(()) => companies::check(ex, actor, &mut self.lookups, id, before, f).await,
                    Err(e) => Err(e),
                }
            }
            (Fields::Person(f), target) => {
                let before = match target {
                    Some(Existing::Person(p)) => Some(&p.fields),
                    _ => None,
                };
                if before.is_none() {
                    f.owner_id = f.owner_id.or(actor.user_id);
                }
                let owner = if before.is_none_or(|b| b.owner_id != f.owner_id) {
                    records::check_owner(actor, "person", f.owner_id)
                } else {
                    Ok(())
                };
                match owner {
                    Ok(()) => people::check(ex, actor, &mut self.lookups, before, f, known).await,
                    Err(e) => Err(e),
                }
            }
        };
        match checked {
            Ok(()) => Ok(Ok(fields)),
            Err(AppError::Invalid(invalid)) => Ok(Err(invalid)),
            Err(other) => Err(other),
        }
    }

    /// Ends the run: commits an all-or-nothing import that refused nothing.
    pub async fn finish(mut self, failure: Option<String>) -> Result<Ended, AppError> {
        if let Some(message) = failure {
            // The file broke off: an all-or-nothing import writes nothing of it.
            drop(self.tx.take());
            if self.mode == Mode::AllOrNothing {
                self.summary.created = 0;
                self.summary.updated = 0;
            }
            return Ok(Ended::Failed(message, self.summary));
        }
        if let Some(tx) = self.tx.take() {
            tx.commit().await?;
        }
        if self.dry_run && self.mode == Mode::AllOrNothing && self.summary.rejected > 0 {
            let message =
                format!("{} row(s) would be refused, so all or nothing would import nothing", self.summary.rejected);
            return Ok(Ended::Failed(message, self.summary));
        }
        if !self.dry_run && !self.refused {
            self.app.db.optimize().await?;
        }
        if self.refused {
            let message = format!("{} row(s) were refused; nothing was imported", self.summary.rejected);
            self.summary.created = 0;
            self.summary.updated = 0;
            self.summary.unchanged = 0;
            return Ok(Ended::Failed(message, self.summary));
        }
        Ok(Ended::Finished(self.summary))
    }
}
