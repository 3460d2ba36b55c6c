//! `rapport demo`: fills the database with realistic customers through the bulk path the
//! imports use, so demo data is checked like any other data.

use serde_json::json;

use crate::bulk::{self, BulkError};
use crate::demo_data;
use crate::{Actor, App};

/// What the demo created.
#[derive(Debug, Clone, Copy)]
pub struct Loaded {
    pub companies: usize,
    pub people: usize,
}

pub async fn load(app: &App, actor: &Actor, seed: u64, company_count: usize) -> Result<Loaded, BulkError> {
    let (demo_companies, demo_people) = demo_data::generate(seed, company_count, 2);
    let ids = bulk::create_companies(app, actor, demo_companies.into_iter().map(|c| c.draft).collect()).await?;
    let people: Vec<_> = demo_people
        .into_iter()
        .map(|person| {
            let mut draft = person.draft;
            if let (Some(index), Some(object)) = (person.company_index, draft.as_object_mut())
                && let Some(company_id) = ids.get(index)
            {
                object.insert(
                    "employments".into(),
                    json!([{"company_id": company_id, "position": person.position, "department": person.department}]),
                );
            }
            draft
        })
        .collect();
    let people = bulk::create_people(app, actor, people).await?;
    Ok(Loaded { companies: ids.len(), people: people.len() })
}
