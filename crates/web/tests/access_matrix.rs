//! The permission matrix of the built-in roles over HTTP, on SQLite and PostgreSQL: for
//! each role, each kind of customer record and each owner (the caller, a team mate, a
//! member of a sub-team, a member of another team), what GET, PATCH, DELETE and POST
//! answer. A record the caller may not see is 404, one it sees but may not change is 403.

mod firm;
mod support;

use firm::{Firm, Team, team_of};
use rapport_core::access::Scope as S;
use reqwest::StatusCode;
use serde_json::json;
use support::TestServer;

/// What a built-in role grants on companies and people, as the access-control issue
/// specifies it: (role, a member with that role, read, may create, update, delete).
const ROLES: [(&str, &str, S, bool, S, S); 6] = [
    ("admin", "admin", S::All, true, S::All, S::All),
    ("manager", "mgr_eu", S::TeamTree, true, S::TeamTree, S::TeamTree),
    ("manager", "mgr_pl", S::TeamTree, true, S::TeamTree, S::TeamTree),
    ("sales", "sales", S::Team, true, S::Own, S::None),
    ("support", "support", S::All, true, S::Team, S::None),
    ("viewer", "viewer", S::All, false, S::None, S::None),
];

/// Who owns a record, seen from the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    Caller,
    SameTeam,
    SubTeam,
    OtherTeam,
}

/// The owners each caller's records are tried with: the caller, then members of the
/// Sales EU team, the Sales PL team below it, and the unrelated Sales US team.
const OWNERS: [Option<&str>; 4] = [None, Some("peer"), Some("pl_sales"), Some("us_sales")];

fn relation(caller: &str, owner: &str) -> Owner {
    if caller == owner {
        return Owner::Caller;
    }
    match (team_of(caller), team_of(owner)) {
        (Some(mine), Some(theirs)) if mine == theirs => Owner::SameTeam,
        (Some(Team::Eu), Some(Team::Pl)) => Owner::SubTeam,
        _ => Owner::OtherTeam,
    }
}

fn covers(scope: S, owner: Owner) -> bool {
    match scope {
        S::None => false,
        S::Own => owner == Owner::Caller,
        S::Team => matches!(owner, Owner::Caller | Owner::SameTeam),
        S::TeamTree => owner != Owner::OtherTeam,
        S::All => true,
    }
}

/// 404 unless the caller sees the record; then `allowed` or 403.
fn expected(read: S, action: S, owner: Owner, allowed: StatusCode) -> StatusCode {
    if !covers(read, owner) {
        StatusCode::NOT_FOUND
    } else if covers(action, owner) {
        allowed
    } else {
        StatusCode::FORBIDDEN
    }
}

both_engines!(every_role_sees_and_changes_exactly_what_its_scopes_cover, |s: TestServer| async move {
    let firm = Firm::build(&s).await;
    let mut wrong = Vec::new();
    for (role, caller, read, create, update, delete) in ROLES {
        for kind in ["companies", "people"] {
            for owner in OWNERS {
                let owner = owner.unwrap_or(caller);
                let seen_as = relation(caller, owner);
                let id = match kind {
                    "companies" => firm.company(&s, owner, &format!("{caller} {owner}"), json!({})).await,
                    _ => firm.person(&s, owner, caller, json!({})).await,
                };
                let path = format!("/api/v1/{kind}/{id}");
                let change = json!({"description": format!("changed by {caller}")});
                let attempts = [
                    ("GET", firm.get(&s, caller, &path).await.status, expected(read, read, seen_as, StatusCode::OK)),
                    (
                        "PATCH",
                        firm.patch(&s, caller, &path, change).await.status,
                        expected(read, update, seen_as, StatusCode::OK),
                    ),
                    (
                        "DELETE",
                        firm.delete(&s, caller, &path).await.status,
                        expected(read, delete, seen_as, StatusCode::NO_CONTENT),
                    ),
                ];
                for (method, got, want) in attempts {
                    if got != want {
                        wrong.push(format!(
                            "{role} ({caller}) {method} {kind} of {owner} ({seen_as:?}): {got}, expected {want}"
                        ));
                    }
                }
                // What was refused left the record as it was; what was deleted is gone for everyone.
                let after = s.get(&path).await;
                let state = match (after.status, after.body["version"].as_i64()) {
                    (StatusCode::NOT_FOUND, _) => "deleted",
                    (_, Some(1)) => "unchanged",
                    _ => "changed",
                };
                let want = match (covers(read, seen_as), covers(update, seen_as), covers(delete, seen_as)) {
                    (true, _, true) => "deleted",
                    (true, true, false) => "changed",
                    _ => "unchanged",
                };
                if state != want {
                    wrong.push(format!(
                        "{role} ({caller}) left {kind} of {owner} ({seen_as:?}) {state}, expected {want}"
                    ));
                }
            }
            let body = match kind {
                "companies" => json!({"name": format!("Created by {caller}")}),
                _ => json!({"given_name": "Created", "family_name": caller}),
            };
            let created = firm.post(&s, caller, &format!("/api/v1/{kind}"), body).await;
            let want = if create { StatusCode::CREATED } else { StatusCode::FORBIDDEN };
            if created.status != want {
                wrong.push(format!("{role} ({caller}) POST {kind}: {}, expected {want}", created.status));
            } else if create {
                assert_eq!(created.body["owner_id"], firm.id(caller).as_str(), "the creator owns: {}", created.body);
            }
        }
    }
    assert!(wrong.is_empty(), "answers that break the matrix:\n{}", wrong.join("\n"));
});

both_engines!(a_team_tree_reaches_down_never_up_and_managing_a_team_is_enough, |s: TestServer| async move {
    let firm = Firm::build(&s).await;
    let eu_record = firm.company(&s, "peer", "Sofia Soft", json!({})).await;
    let pl_record = firm.company(&s, "pl_sales", "Łódź Textiles", json!({})).await;
    for (caller, record, want) in [
        ("mgr_pl", &eu_record, StatusCode::NOT_FOUND),
        ("mgr_pl", &pl_record, StatusCode::OK),
        ("mgr_eu", &pl_record, StatusCode::OK),
        ("pl_sales", &eu_record, StatusCode::NOT_FOUND),
        ("sales", &pl_record, StatusCode::NOT_FOUND),
    ] {
        let answer = firm.get(&s, caller, &format!("/api/v1/companies/{record}")).await;
        assert_eq!(answer.status, want, "{caller} reading {record}: {}", answer.body);
    }

    // A manager sees the teams they manage even when they are not a member of them.
    let us_record = firm.company(&s, "us_sales", "Boston Beans", json!({})).await;
    let path = format!("/api/v1/companies/{us_record}");
    assert_eq!(firm.get(&s, "mgr_pl", &path).await.status, StatusCode::NOT_FOUND);
    let managed = s
        .call(
            reqwest::Method::PATCH,
            &format!("/api/v1/teams/{}", firm.us),
            Some(json!({"manager_id": firm.id("mgr_pl")})),
            None,
        )
        .await;
    assert_eq!(managed.status, StatusCode::OK, "{}", managed.body);
    assert_eq!(firm.get(&s, "mgr_pl", &path).await.status, StatusCode::OK);
    assert_eq!(firm.patch(&s, "mgr_pl", &path, json!({"stage": "mature"})).await.status, StatusCode::OK);
});
