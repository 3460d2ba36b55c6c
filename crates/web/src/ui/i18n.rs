//! Every word the pages show comes from a Fluent catalogue (English, Bulgarian, Polish,
//! Chinese). The language is the one the user chose (a cookie), else the browser's
//! preference, else English. A key missing from a catalogue falls back to English, so a
//! page never shows a raw key; a test keeps the catalogues complete.

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use rust_embed::RustEmbed;
use time::OffsetDateTime;
use unic_langid::LanguageIdentifier;

#[derive(RustEmbed)]
#[folder = "assets/i18n/"]
struct Catalogues;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Bg,
    Pl,
    Zh,
}

impl Lang {
    pub const ALL: [Lang; 4] = [Lang::En, Lang::Bg, Lang::Pl, Lang::Zh];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Bg => "bg",
            Lang::Pl => "pl",
            Lang::Zh => "zh",
        }
    }

    /// The language's own name, the way its speakers look for it in a list.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Bg => "Български",
            Lang::Pl => "Polski",
            Lang::Zh => "中文",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        let primary = code.trim().split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// The best of our languages for an `Accept-Language` header, by its q-values.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut offers: Vec<(f32, Lang)> = header
            .split(',')
            .filter_map(|part| {
                let mut pieces = part.split(';');
                let lang = Lang::parse(pieces.next()?)?;
                let q = pieces
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
                (q > 0.0).then_some((q, lang))
            })
            .collect();
        // A stable sort keeps the header's order among equal q-values.
        offers.sort_by(|a, b| b.0.total_cmp(&a.0));
        offers.first().map(|(_, lang)| *lang)
    }
}

type Bundle = FluentBundle<FluentResource>;

fn bundles() -> &'static Vec<(Lang, Bundle)> {
    static BUNDLES: OnceLock<Vec<(Lang, Bundle)>> = OnceLock::new();
    BUNDLES.get_or_init(|| Lang::ALL.into_iter().map(|lang| (lang, bundle(lang))).collect())
}

pub(crate) fn catalogue_source(lang: Lang) -> String {
    Catalogues::get(&format!("{}.ftl", lang.code()))
        .map(|file| String::from_utf8_lossy(&file.data).into_owned())
        .unwrap_or_default()
}

fn bundle(lang: Lang) -> Bundle {
    let id: LanguageIdentifier = lang.code().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Isolation marks around arguments would end up inside form values and titles.
    bundle.set_use_isolating(false);
    let resource = match FluentResource::try_new(catalogue_source(lang)) {
        Ok(resource) => resource,
        Err((resource, errors)) => {
            tracing::error!(lang = lang.code(), ?errors, "a catalogue has syntax errors; the rest of it is used");
            resource
        }
    };
    if let Err(errors) = bundle.add_resource(resource) {
        tracing::error!(lang = lang.code(), ?errors, "a catalogue repeats messages");
    }
    bundle
}

fn format(lang: Lang, key: &str, args: Option<&FluentArgs>) -> Option<String> {
    let (_, bundle) = bundles().iter().find(|(l, _)| *l == lang)?;
    let pattern = bundle.get_message(key)?.value()?;
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, args, &mut errors);
    Some(text.into_owned())
}

/// The pages' handle on the catalogue of one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct L {
    pub lang: Lang,
}

impl L {
    pub fn new(lang: Lang) -> L {
        L { lang }
    }

    pub fn code(&self) -> &'static str {
        self.lang.code()
    }

    pub fn t(&self, key: &str) -> String {
        self.with(key, None)
    }

    /// A message with one argument, e.g. `{ $name }`.
    pub fn t1(&self, key: &str, name: &str, value: &str) -> String {
        let mut args = FluentArgs::new();
        args.set(name, FluentValue::from(value.to_string()));
        self.with(key, Some(&args))
    }

    /// A message with several text arguments.
    pub fn args(&self, key: &str, pairs: &[(&str, &str)]) -> String {
        let mut args = FluentArgs::new();
        for (name, value) in pairs {
            args.set(*name, FluentValue::from(value.to_string()));
        }
        self.with(key, Some(&args))
    }

    /// A message with a number, so the catalogue can choose the plural form.
    pub fn count(&self, key: &str, n: usize) -> String {
        let mut args = FluentArgs::new();
        args.set("count", FluentValue::from(n));
        self.with(key, Some(&args))
    }

    /// The message when the catalogue has it.
    pub fn find(&self, key: &str) -> Option<String> {
        format(self.lang, key, None).or_else(|| format(Lang::En, key, None))
    }

    fn with(&self, key: &str, args: Option<&FluentArgs>) -> String {
        format(self.lang, key, args).or_else(|| format(Lang::En, key, args)).unwrap_or_else(|| key.to_string())
    }

    /// A translation when the catalogue has one, for values that come from a fixed list
    /// (`status-active`); otherwise the value itself.
    pub fn maybe(&self, prefix: &str, value: &str) -> String {
        if value.is_empty() {
            return String::new();
        }
        let key = format!("{prefix}-{value}");
        format(self.lang, &key, None).or_else(|| format(Lang::En, &key, None)).unwrap_or_else(|| value.to_string())
    }

    /// A decimal number (as the API writes it, `-50000.5`) with the language's digit
    /// grouping and decimal mark; anything else is returned unchanged.
    pub fn number(&self, raw: &str) -> String {
        let (sign, digits) = raw.strip_prefix('-').map_or(("", raw), |rest| ("-", rest));
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        let plain = |part: &str| part.chars().all(|c| c.is_ascii_digit());
        if whole.is_empty() || !plain(whole) || !plain(fraction) {
            return raw.to_string();
        }
        // Polish and Bulgarian leave four-digit numbers ungrouped and group with a space.
        let (group, mark, min_digits) = match self.lang {
            Lang::En | Lang::Zh => (',', '.', 4),
            Lang::Bg | Lang::Pl => ('\u{a0}', ',', 5),
        };
        let mut grouped = String::new();
        for (i, c) in whole.chars().enumerate() {
            let left = whole.len() - i;
            if i > 0 && left % 3 == 0 && whole.len() >= min_digits {
                grouped.push(group);
            }
            grouped.push(c);
        }
        if fraction.is_empty() { format!("{sign}{grouped}") } else { format!("{sign}{grouped}{mark}{fraction}") }
    }

    /// A date, the way the language writes dates.
    pub fn date(&self, day: time::Date) -> String {
        let (y, m, d) = (day.year(), u8::from(day.month()), day.day());
        match self.lang {
            Lang::En => format!("{d} {} {y}", self.t(&format!("month-{m}"))),
            Lang::Bg | Lang::Pl => format!("{d:02}.{m:02}.{y}"),
            Lang::Zh => format!("{y}年{m}月{d}日"),
        }
    }

    /// A weekday's short name.
    pub fn weekday(&self, day: time::Weekday) -> String {
        self.t(&format!("weekday-{}", day.number_from_monday()))
    }

    /// A wall-clock time in some zone: its date and hour.
    pub fn local(&self, at: time::PrimitiveDateTime) -> String {
        format!("{} {:02}:{:02}", self.date(at.date()), at.hour(), at.minute())
    }

    /// A moment in UTC, written the way the language writes dates.
    pub fn datetime(&self, at: OffsetDateTime) -> String {
        let at = at.to_offset(time::UtcOffset::UTC);
        let (y, m, d, hh, mm) = (at.year(), u8::from(at.month()), at.day(), at.hour(), at.minute());
        match self.lang {
            Lang::En => format!("{d} {} {y}, {hh:02}:{mm:02} UTC", self.t(&format!("month-{m}"))),
            Lang::Bg | Lang::Pl => format!("{d:02}.{m:02}.{y} {hh:02}:{mm:02} UTC"),
            Lang::Zh => format!("{y}年{m}月{d}日 {hh:02}:{mm:02} UTC"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn keys(lang: Lang) -> BTreeSet<String> {
        catalogue_source(lang)
            .lines()
            .filter(|line| line.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
            .filter_map(|line| line.split_once(" =").map(|(key, _)| key.trim().to_string()))
            .collect()
    }

    #[test]
    fn every_catalogue_parses_and_has_every_english_message() {
        let english = keys(Lang::En);
        assert!(english.len() > 50, "the English catalogue is loaded");
        for lang in Lang::ALL {
            FluentResource::try_new(catalogue_source(lang)).unwrap_or_else(|(_, e)| panic!("{lang:?}: {e:?}"));
            let own = keys(lang);
            let missing: Vec<_> = english.difference(&own).collect();
            assert!(missing.is_empty(), "{lang:?} lacks {missing:?}");
            let extra: Vec<_> = own.difference(&english).cloned().collect();
            assert!(extra.is_empty(), "{lang:?} has keys English lacks: {extra:?}");
        }
    }

    #[test]
    fn numbers_are_written_the_way_each_language_writes_them() {
        assert_eq!(L::new(Lang::En).number("1234567.5"), "1,234,567.5");
        assert_eq!(L::new(Lang::Pl).number("50000"), "50\u{a0}000");
        assert_eq!(L::new(Lang::Pl).number("1000"), "1000");
        assert_eq!(L::new(Lang::Bg).number("-2500.75"), "-2500,75");
        assert_eq!(L::new(Lang::Zh).number("999"), "999");
        assert_eq!(L::new(Lang::En).number("12 apples"), "12 apples");
    }

    #[test]
    fn the_browser_preference_picks_the_best_language_we_have() {
        assert_eq!(Lang::from_accept_language("de-DE,bg;q=0.8,en;q=0.5"), Some(Lang::Bg));
        assert_eq!(Lang::from_accept_language("zh-CN, pl;q=0.9"), Some(Lang::Zh));
        assert_eq!(Lang::from_accept_language("fr, de"), None);
        assert_eq!(Lang::from_accept_language("pl;q=0"), None);
    }

    #[test]
    fn messages_take_arguments_and_unknown_keys_never_show_empty() {
        let l = L::new(Lang::Pl);
        assert_eq!(l.count("form-has-errors", 3), "3 pola wymagają uwagi.");
        assert_eq!(l.count("form-has-errors", 5), "5 pól wymaga uwagi.");
        assert_eq!(L::new(Lang::Zh).t("no-such-key"), "no-such-key");
    }
}
