//! A small firm for the access-control tests, built through the API by the administrator:
//!
//! ```text
//! Sales EU (manager mgr_eu): mgr_eu, sales, support, viewer, peer
//! └── Sales PL (manager mgr_pl): mgr_pl, pl_sales
//! Sales US (no manager):         us_sales
//! admin (no team)
//! ```
//!
//! Every member signs in with [`PASSWORD`]; [`Firm::call`] acts as any of them.

#![allow(dead_code)]

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{Answer, TestServer};

pub const PASSWORD: &str = "a long password for everyone";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Team {
    Eu,
    Pl,
    Us,
}

/// Login, role and team of every member (besides `admin`).
pub const MEMBERS: [(&str, &str, Team); 8] = [
    ("mgr_eu", "manager", Team::Eu),
    ("mgr_pl", "manager", Team::Pl),
    ("sales", "sales", Team::Eu),
    ("support", "support", Team::Eu),
    ("viewer", "viewer", Team::Eu),
    ("peer", "sales", Team::Eu),
    ("pl_sales", "sales", Team::Pl),
    ("us_sales", "sales", Team::Us),
];

/// The team a member belongs to (`admin` belongs to none).
pub fn team_of(login: &str) -> Option<Team> {
    MEMBERS.iter().find(|(l, _, _)| *l == login).map(|(_, _, team)| *team)
}

pub struct Member {
    pub login: String,
    pub id: String,
    pub token: String,
}

pub struct Firm {
    pub eu: String,
    pub pl: String,
    pub us: String,
    pub members: Vec<Member>,
}

/// The `id` of a JSON record, as a string.
pub fn id_of(record: &Value) -> String {
    record["id"].as_str().unwrap_or_else(|| panic!("a record with an id: {record}")).to_string()
}

/// The `items` of a list answer.
pub fn items(answer: &Answer) -> &Vec<Value> {
    answer.body["items"].as_array().unwrap_or_else(|| panic!("a list ({}): {}", answer.status, answer.body))
}

/// The ids in a list answer.
pub fn ids(answer: &Answer) -> Vec<String> {
    items(answer).iter().map(id_of).collect()
}

/// The `field` and `code` of each validation error of a 422 answer.
pub fn errors(answer: &Answer) -> Vec<(String, String)> {
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", answer.body);
    answer.body["errors"]
        .as_array()
        .expect("validation errors")
        .iter()
        .map(|e| (e["field"].as_str().unwrap_or("").to_string(), e["code"].as_str().unwrap_or("").to_string()))
        .collect()
}

/// The one validation error a 422 answer should have.
pub fn error(field: &str, code: &str) -> Vec<(String, String)> {
    vec![(field.to_string(), code.to_string())]
}

impl Firm {
    pub async fn build(s: &TestServer) -> Firm {
        let eu = id_of(&s.create("teams", json!({"name": "Sales EU"})).await);
        let pl = id_of(&s.create("teams", json!({"name": "Sales PL", "parent_id": eu})).await);
        let us = id_of(&s.create("teams", json!({"name": "Sales US"})).await);
        let me = s.get("/api/v1/users/me").await.body;
        let mut members = vec![Member { login: "admin".into(), id: id_of(&me), token: s.token.clone() }];
        for (login, role, team) in MEMBERS {
            let team_id = match team {
                Team::Eu => &eu,
                Team::Pl => &pl,
                Team::Us => &us,
            };
            let user = s
                .create(
                    "users",
                    json!({"login": login, "name": login, "password": PASSWORD, "role": role, "team_id": team_id}),
                )
                .await;
            let token = s.sign_in(login, PASSWORD).await;
            members.push(Member { login: login.into(), id: id_of(&user), token });
        }
        let firm = Firm { eu, pl, us, members };
        for (team, manager) in [(&firm.eu, "mgr_eu"), (&firm.pl, "mgr_pl")] {
            let path = format!("/api/v1/teams/{team}");
            let answer = s.call(Method::PATCH, &path, Some(json!({"manager_id": firm.id(manager)})), None).await;
            assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        }
        firm
    }

    fn member(&self, login: &str) -> &Member {
        self.members.iter().find(|m| m.login == login).unwrap_or_else(|| panic!("no member {login}"))
    }

    pub fn id(&self, login: &str) -> String {
        self.member(login).id.clone()
    }

    /// Signs in a user the test added after building the firm.
    pub async fn join(&mut self, s: &TestServer, user: &Value) {
        let login = user["login"].as_str().expect("a login").to_string();
        let token = s.sign_in(&login, PASSWORD).await;
        self.members.push(Member { login, id: id_of(user), token });
    }

    /// A request as `login`.
    pub async fn call(&self, s: &TestServer, login: &str, method: Method, path: &str, body: Option<Value>) -> Answer {
        s.call_as(&self.member(login).token, method, path, body, None).await
    }

    pub async fn get(&self, s: &TestServer, login: &str, path: &str) -> Answer {
        self.call(s, login, Method::GET, path, None).await
    }

    pub async fn post(&self, s: &TestServer, login: &str, path: &str, body: Value) -> Answer {
        self.call(s, login, Method::POST, path, Some(body)).await
    }

    pub async fn patch(&self, s: &TestServer, login: &str, path: &str, body: Value) -> Answer {
        self.call(s, login, Method::PATCH, path, Some(body)).await
    }

    pub async fn delete(&self, s: &TestServer, login: &str, path: &str) -> Answer {
        self.call(s, login, Method::DELETE, path, None).await
    }

    /// A company created by the administrator for `owner`; `extra` adds fields. The firm's
    /// records repeat names on purpose (one per owner and caller), so they are confirmed
    /// as not duplicates.
    pub async fn company(&self, s: &TestServer, owner: &str, name: &str, extra: Value) -> String {
        let mut body = json!({"name": name, "owner_id": self.id(owner), "confirm_duplicate": true});
        merge(&mut body, extra);
        id_of(&s.create("companies", body).await)
    }

    /// A person created by the administrator for `owner`; `extra` adds fields (confirmed
    /// like [`Firm::company`]).
    pub async fn person(&self, s: &TestServer, owner: &str, name: &str, extra: Value) -> String {
        let mut body =
            json!({"given_name": name, "family_name": "Nowak", "owner_id": self.id(owner), "confirm_duplicate": true});
        merge(&mut body, extra);
        id_of(&s.create("people", body).await)
    }
}

fn merge(body: &mut Value, extra: Value) {
    if let (Value::Object(body), Value::Object(extra)) = (body, extra) {
        body.extend(extra);
    }
}
