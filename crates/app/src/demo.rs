//! `rapport demo`: fills the database with realistic customers through the same use
//! cases the API uses, so demo data is valid data.

use serde_json::json;

use crate::demo_data;
use crate::{Actor, App, AppError, companies, people};

/// What the demo created.
#[derive(Debug, Clone, Copy)]
pub struct Loaded {
    pub companies: usize,
    pub people: usize,
}

pub async fn load(app: &App, actor: &Actor, seed: u64, company_count: usize) -> Result<Loaded, AppError> {
    let (demo_companies, demo_people) = demo_data::generate(seed, company_count, 2);
    let mut ids = Vec::with_capacity(demo_companies.len());
    for company in demo_companies {
        ids.push(companies::create(app, actor, company.draft).await?.id);
    }
    let mut people_count = 0;
    for person in demo_people {
        let mut draft = person.draft;
        if let (Some(index), Some(object)) = (person.company_index, draft.as_object_mut())
            && let Some(company_id) = ids.get(index)
        {
            object.insert(
                "employments".into(),
                json!([{"company_id": company_id, "position": person.position, "department": person.department}]),
            );
        }
        people::create(app, actor, draft).await?;
        people_count += 1;
    }
    Ok(Loaded { companies: ids.len(), people: people_count })
}
