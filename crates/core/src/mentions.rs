//! `@login` mentions in free text (a task's description, an activity's Markdown body).
//!
//! A mention is `@` at the start of the text or after a character that cannot be part of
//! a word (so `ana@example.com` mentions no one), followed by a login: letters, digits and
//! `. _ - @`, as `users::create` allows. Punctuation that ends a sentence is not part of
//! it (`ask @ana.` mentions `ana`). Markdown code (`` `@x` `` spans and fenced blocks) is
//! quoted text, not a mention. Logins are compared lower-case, as they are stored.

/// A login as written after `@`, lower-cased; whether a user has it is for the caller to
/// look up.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Mention(String);

impl Mention {
    pub fn login(&self) -> &str {
        &self.0
    }
}

/// More mentions than this in one text are ignored: a pasted list of every user is not a
/// reason to notify them all.
pub const MAX_MENTIONS: usize = 20;

fn login_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@')
}

/// The distinct mentions in `text`, in the order they first appear.
pub fn mentions(text: &str) -> Vec<Mention> {
    let mut found: Vec<Mention> = Vec::new();
    let mut fenced = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") || line.trim_start().starts_with("~~~") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        for mention in in_line(line) {
            if found.len() == MAX_MENTIONS {
                return found;
            }
            if !found.contains(&mention) {
                found.push(mention);
            }
        }
    }
    found
}

fn in_line(line: &str) -> Vec<Mention> {
    let chars: Vec<char> = line.chars().collect();
    let mut found = Vec::new();
    let mut in_code = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            in_code = !in_code;
            i += 1;
            continue;
        }
        let starts_word = i == 0 || !(chars[i - 1].is_alphanumeric() || matches!(chars[i - 1], '_' | '@' | '.' | '-'));
        if c != '@' || in_code || !starts_word {
            i += 1;
            continue;
        }
        let mut end = i + 1;
        while end < chars.len() && login_char(chars[end]) {
            end += 1;
        }
        let mut login: String = chars[i + 1..end].iter().collect();
        while login.ends_with(['.', '-', '_', '@']) {
            login.pop();
        }
        let length = login.chars().count();
        if (2..=64).contains(&length) {
            found.push(Mention(login.to_lowercase()));
        }
        i = end.max(i + 1);
    }
    found
}

/// The mentions in `after` that `before` (the text as it was) did not have: editing a
/// description notifies only the people newly mentioned.
pub fn new_mentions(before: Option<&str>, after: &str) -> Vec<Mention> {
    let old = before.map(mentions).unwrap_or_default();
    mentions(after).into_iter().filter(|m| !old.contains(m)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn logins(text: &str) -> Vec<String> {
        mentions(text).into_iter().map(|m| m.0).collect()
    }

    #[test]
    fn mentions_are_logins_after_an_at_sign() {
        assert_eq!(logins("@ana please call, cc @Boris.K and @ana again."), ["ana", "boris.k"]);
        assert_eq!(logins("(@mira) @x"), ["mira"], "one letter is no login");
        assert_eq!(logins("ask @Мария, @张伟!"), ["мария", "张伟"]);
    }

    #[test]
    fn addresses_and_code_are_not_mentions() {
        assert_eq!(logins("write to ana@example.com"), Vec::<String>::new());
        assert_eq!(logins("run `@admin` then tell @ops"), ["ops"]);
        assert_eq!(logins("```\n@root\n```\n@dev"), ["dev"]);
    }

    #[test]
    fn only_new_mentions_count_after_an_edit() {
        let new: Vec<String> =
            new_mentions(Some("@ana look"), "@ana look, @boris too").into_iter().map(|m| m.0).collect();
        assert_eq!(new, ["boris"]);
    }

    #[test]
    fn a_long_list_is_cut_short() {
        let text: String = (0..50).map(|n| format!("@user{n} ")).collect();
        assert_eq!(mentions(&text).len(), MAX_MENTIONS);
    }
}
