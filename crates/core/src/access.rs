//! Roles and what they grant: for each kind of record and each action, a scope (whose
//! records it covers), and per field whether it is hidden or read-only. Pure rules; the
//! use cases supply who owns what.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::invalid::Invalid;

/// Whose records a grant covers, from nothing to everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    None,
    /// Records the user owns (or that are shared with them).
    Own,
    /// Records owned by anyone in the user's team (or teams they manage).
    Team,
    /// The team and every team below it.
    TeamTree,
    All,
}

impl Scope {
    pub const ALL: [Scope; 5] = [Scope::None, Scope::Own, Scope::Team, Scope::TeamTree, Scope::All];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::None => "none",
            Scope::Own => "own",
            Scope::Team => "team",
            Scope::TeamTree => "team_tree",
            Scope::All => "all",
        }
    }

    pub fn parse(raw: &str) -> Option<Scope> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Read,
    Create,
    Update,
    Delete,
    Import,
    Export,
    Merge,
    Administer,
}

impl Action {
    pub const ALL: [Action; 8] = [
        Action::Read,
        Action::Create,
        Action::Update,
        Action::Delete,
        Action::Import,
        Action::Export,
        Action::Merge,
        Action::Administer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Read => "read",
            Action::Create => "create",
            Action::Update => "update",
            Action::Delete => "delete",
            Action::Import => "import",
            Action::Export => "export",
            Action::Merge => "merge",
            Action::Administer => "administer",
        }
    }

    pub fn parse(raw: &str) -> Option<Action> {
        Self::ALL.into_iter().find(|a| a.as_str() == raw)
    }
}

/// The kinds of thing rights are granted on. `settings` covers custom fields and
/// categories; `users` covers users, teams and roles.
pub const KINDS: [&str; 4] = ["company", "person", "settings", "users"];

/// What a role may do to a field it can otherwise see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldRule {
    Hidden,
    ReadOnly,
}

/// Everything a role grants.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grants {
    /// kind → action → scope; anything missing is `none`.
    #[serde(default)]
    pub grants: BTreeMap<String, BTreeMap<String, Scope>>,
    /// kind → field → rule; `custom.KEY` names a custom field.
    #[serde(default)]
    pub fields: BTreeMap<String, BTreeMap<String, FieldRule>>,
}

impl Grants {
    pub fn scope(&self, kind: &str, action: Action) -> Scope {
        self.grants.get(kind).and_then(|actions| actions.get(action.as_str())).copied().unwrap_or(Scope::None)
    }

    pub fn field_rule(&self, kind: &str, field: &str) -> Option<FieldRule> {
        self.fields.get(kind).and_then(|fields| fields.get(field)).copied()
    }

    pub fn hidden_fields(&self, kind: &str) -> Vec<&str> {
        self.fields
            .get(kind)
            .map(|fields| fields.iter().filter(|(_, r)| **r == FieldRule::Hidden).map(|(f, _)| f.as_str()).collect())
            .unwrap_or_default()
    }

    /// Checks a role definition sent by an administrator.
    pub fn check(&self) -> Result<(), Invalid> {
        let mut invalid = Invalid::default();
        for (kind, actions) in &self.grants {
            if !KINDS.contains(&kind.as_str()) {
                invalid.push(format!("grants.{kind}"), "unknown_kind", format!("must be one of {}", KINDS.join(", ")));
            }
            for action in actions.keys() {
                if Action::parse(action).is_none() {
                    invalid.push(format!("grants.{kind}.{action}"), "unknown_action", "is not an action");
                }
            }
        }
        for kind in self.fields.keys() {
            if !["company", "person"].contains(&kind.as_str()) {
                invalid.push(format!("fields.{kind}"), "unknown_kind", "field rules apply to company and person");
            }
        }
        invalid.into_result(())
    }

    fn with(mut self, kind: &str, scopes: &[(Action, Scope)]) -> Self {
        let actions = self.grants.entry(kind.to_string()).or_default();
        for (action, scope) in scopes {
            actions.insert(action.as_str().to_string(), *scope);
        }
        self
    }
}

/// The roles every installation starts with (administrators may change them, except
/// that `admin` always keeps full rights).
pub fn builtin_roles() -> Vec<(&'static str, &'static str, Grants)> {
    use Action::*;
    use Scope::*;
    let customers = |read: Scope, create: Scope, update: Scope, delete: Scope, bulk: Scope| {
        let actions = [
            (Read, read),
            (Create, create),
            (Update, update),
            (Delete, delete),
            (Import, bulk),
            (Export, bulk),
            (Merge, update.min(bulk)),
        ];
        Grants::default().with("company", &actions).with("person", &actions)
    };
    let everything: Vec<(Action, Scope)> = Action::ALL.iter().map(|a| (*a, All)).collect();
    vec![
        (
            "admin",
            "Administrator",
            customers(All, All, All, All, All)
                .with("company", &everything)
                .with("person", &everything)
                .with("settings", &everything)
                .with("users", &everything),
        ),
        ("manager", "Manager", customers(TeamTree, All, TeamTree, TeamTree, TeamTree).with("settings", &[(Read, All)])),
        ("sales", "Sales", customers(Team, All, Own, None, Own).with("settings", &[(Read, All)])),
        ("support", "Support", customers(All, All, Team, None, None).with("settings", &[(Read, All)])),
        ("viewer", "Viewer", customers(All, None, None, None, None).with("settings", &[(Read, All)])),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(key: &str) -> Grants {
        builtin_roles().into_iter().find(|(k, _, _)| *k == key).map(|(_, _, g)| g).unwrap()
    }

    #[test]
    fn sales_and_support_may_not_delete_customers_but_managers_and_admins_may() {
        for kind in ["company", "person"] {
            assert_eq!(role("sales").scope(kind, Action::Delete), Scope::None);
            assert_eq!(role("support").scope(kind, Action::Delete), Scope::None);
            assert_eq!(role("manager").scope(kind, Action::Delete), Scope::TeamTree);
            assert_eq!(role("admin").scope(kind, Action::Delete), Scope::All);
        }
        assert_eq!(role("viewer").scope("company", Action::Update), Scope::None);
        assert_eq!(role("sales").scope("users", Action::Administer), Scope::None);
    }

    #[test]
    fn role_definitions_are_checked_and_round_trip_as_json() {
        let grants: Grants = serde_json::from_value(serde_json::json!({
            "grants": {"company": {"read": "team_tree", "fly": "all"}, "planets": {}},
            "fields": {"company": {"tax_id": "hidden", "custom.credit_limit": "read_only"}}
        }))
        .unwrap();
        let fields: Vec<_> = grants.check().unwrap_err().errors.into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["grants.company.fly", "grants.planets"]);
        assert_eq!(grants.hidden_fields("company"), ["tax_id"]);
        assert_eq!(grants.field_rule("company", "custom.credit_limit"), Some(FieldRule::ReadOnly));
        let admin = role("admin");
        let json = serde_json::to_value(&admin).unwrap();
        assert_eq!(serde_json::from_value::<Grants>(json).unwrap(), admin);
    }
}
