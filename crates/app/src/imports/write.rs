//! Writing a checked batch: new records through the bulk path (multi-row inserts, codes
//! from the sequence, history), changed ones one by one with their version checked, and
//! every record linked to the import with what it was before (for an undo).

use rapport_store::imports::{self as store, Json, Linked};
use rapport_store::{Tx, audit};

use super::batch::{Candidate, Existing, Fields, Writer};
use crate::{AppError, bulk, now, records};
use rapport_core::imports::ImportKind;

/// A record a row updated: its kind, id, the version it was read at, the row's line.
struct Change {
    kind: &'static str,
    id: uuid::Uuid,
    version: i64,
    line: u64,
}

impl Writer<'_> {
    /// The history and the import's link of a record the row updated (`saved` false: it
    /// changed under the import); nothing for a row that changed nothing.
    async fn changed(
        &mut self,
        tx: &mut Tx,
        change: Change,
        saved: bool,
        changes: &[rapport_core::audit::Change],
        before: Option<Json<serde_json::Value>>,
    ) -> Result<Option<Linked>, AppError> {
        if changes.is_empty() {
            self.summary.unchanged += 1;
            return Ok(None);
        }
        if !saved {
            return Err(AppError::Stale { current: change.version + 1 });
        }
        audit::record(tx, change.kind, change.id, "update", self.actor.user_id, now(), changes).await?;
        self.summary.updated += 1;
        Ok(Some(Linked {
            record_id: change.id,
            record_kind: change.kind.into(),
            line: change.line as i64,
            action: "update".into(),
            version: change.version + 1,
            before,
        }))
    }

    pub(super) async fn write(&mut self, tx: &mut Tx, candidates: Vec<Candidate>) -> Result<(), AppError> {
        let at = now();
        let actor = self.actor;
        let mut linked = Vec::with_capacity(candidates.len());
        let mut new_companies = Vec::new();
        let mut new_people = Vec::new();
        let mut new_lines = Vec::new();
        for candidate in candidates {
            let Candidate { row, fields, target } = candidate;
            match (fields, target) {
                (Fields::Company(f), None) => {
                    new_lines.push(row.line);
                    new_companies.push(*f);
                }
                (Fields::Person(f), None) => {
                    new_lines.push(row.line);
                    new_people.push(*f);
                }
                (Fields::Company(after), Some(Existing::Company(stored))) => {
                    let changes = records::changes(Some(&stored.fields), after.as_ref());
                    let saved = changes.is_empty()
                        || rapport_store::companies::update(
                            tx,
                            stored.id,
                            stored.version,
                            &stored.fields,
                            &after,
                            actor.user_id,
                            at,
                        )
                        .await?;
                    let before = serde_json::to_value(stored.fields.to_draft()).ok().map(Json);
                    let change = Change { kind: "company", id: stored.id, version: stored.version, line: row.line };
                    linked.extend(self.changed(tx, change, saved, &changes, before).await?);
                }
                (Fields::Person(after), Some(Existing::Person(stored))) => {
                    let changes = records::changes(Some(&stored.fields), after.as_ref());
                    let saved = changes.is_empty()
                        || rapport_store::people::update(
                            tx,
                            stored.id,
                            stored.version,
                            &stored.fields,
                            &after,
                            actor.user_id,
                            at,
                        )
                        .await?;
                    let before = serde_json::to_value(stored.fields.to_draft()).ok().map(Json);
                    let change = Change { kind: "person", id: stored.id, version: stored.version, line: row.line };
                    linked.extend(self.changed(tx, change, saved, &changes, before).await?);
                }
                _ => {}
            }
        }
        let (kind, ids) = match self.kind {
            ImportKind::Companies => (
                "company",
                bulk::write_companies(tx, self.app, actor, &new_companies, at)
                    .await?
                    .into_iter()
                    .map(|(id, _)| id)
                    .collect::<Vec<_>>(),
            ),
            ImportKind::People => ("person", bulk::write_people(tx, actor, &new_people, at).await?),
        };
        self.summary.created += ids.len() as u64;
        linked.extend(ids.into_iter().zip(new_lines).map(|(id, line)| Linked {
            record_id: id,
            record_kind: kind.into(),
            line: line as i64,
            action: "create".into(),
            version: 1,
            before: None,
        }));
        store::link(tx, self.import, &linked).await?;
        Ok(())
    }
}
