//! Writing a checked batch: new records through the bulk path (multi-row inserts, codes
//! from the sequence, history), changed ones one by one with their version checked, and
//! every record linked to the import with what it was before (for an undo).

use rapport_store::imports::{self as store, Json, Linked};
use rapport_store::{Tx, audit};

use super::batch::{Candidate, Existing, Fields, Writer};
use crate::{AppError, bulk, now, records};
use rapport_core::imports::ImportKind;

impl Writer<'_> {
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
                    if changes.is_empty() {
                        self.summary.unchanged += 1;
                        continue;
                    }
                    if !rapport_store::companies::update(
                        tx,
                        stored.id,
                        stored.version,
                        &stored.fields,
                        &after,
                        actor.user_id,
                        at,
                    )
                    .await?
                    {
                        return Err(AppError::Stale { current: stored.version + 1 });
                    }
                    audit::record(tx, "company", stored.id, "update", actor.user_id, at, &changes).await?;
                    let before = serde_json::to_value(stored.fields.to_draft()).ok().map(Json);
                    linked.push(Linked {
                        record_id: stored.id,
                        record_kind: "company".into(),
                        line: row.line as i64,
                        action: "update".into(),
                        version: stored.version + 1,
                        before,
                    });
                    self.summary.updated += 1;
                }
                (Fields::Person(after), Some(Existing::Person(stored))) => {
                    let changes = records::changes(Some(&stored.fields), after.as_ref());
                    if changes.is_empty() {
                        self.summary.unchanged += 1;
                        continue;
                    }
                    if !rapport_store::people::update(
                        tx,
                        stored.id,
                        stored.version,
                        &stored.fields,
                        &after,
                        actor.user_id,
                        at,
                    )
                    .await?
                    {
                        return Err(AppError::Stale { current: stored.version + 1 });
                    }
                    audit::record(tx, "person", stored.id, "update", actor.user_id, at, &changes).await?;
                    let before = serde_json::to_value(stored.fields.to_draft()).ok().map(Json);
                    linked.push(Linked {
                        record_id: stored.id,
                        record_kind: "person".into(),
                        line: row.line as i64,
                        action: "update".into(),
                        version: stored.version + 1,
                        before,
                    });
                    self.summary.updated += 1;
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
