//! The quality of duplicate detection on a labelled synthetic customer base: records and
//! their variants (typos, transpositions, missing fields, other legal forms, Cyrillic or
//! Latin letters, swapped names) next to different customers that look alike (relatives
//! sharing a phone, namesakes born on other days, companies with the same name and other
//! tax numbers). Blocking and scoring are run as the store runs them: candidates are the
//! records that share a key, and a pair is a duplicate when it scores over the threshold.

use std::collections::{BTreeMap, BTreeSet};

use super::super::*;
use super::contact;
use crate::companies::CompanyDraft;
use crate::contacts::AddressDraft;
use crate::people::PersonDraft;
use crate::search::tokens::transliterate;

/// A small deterministic generator (xorshift), so every run sees the same data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const MALE: &[&str] = &["Иван", "Георги", "Димитър", "Николай", "Петър", "Христо", "Стефан", "Тодор", "Васил", "Асен"];
const FEMALE: &[&str] = &["Мария", "Елена", "Десислава", "Радостина", "Антония", "Веселина", "Калина", "Теодора"];
const FAMILY: &[&str] = &[
    "Петров",
    "Иванов",
    "Георгиев",
    "Стоянов",
    "Николов",
    "Маринов",
    "Костадинов",
    "Атанасов",
    "Пенчев",
    "Зографов",
    "Вълчанов",
    "Добрев",
    "Тонев",
    "Кирилов",
    "Славов",
    "Ангелов",
    "Борисов",
    "Цветков",
    "Йорданов",
    "Калоянов",
    "Любенов",
    "Михайлов",
    "Нешев",
    "Обретенов",
    "Радев",
    "Симеонов",
    "Тасев",
    "Христов",
    "Чолаков",
    "Янев",
];
const POLISH: &[&str] = &["Anna Nowak", "Łukasz Wójcik", "Zofia Kamińska", "Michał Lewandowski", "Ewa Zielińska"];
const CITY_WORDS: &[&str] = &[
    "Витоша",
    "Родопи",
    "Балкан",
    "Искър",
    "Странджа",
    "Пирин",
    "Марица",
    "Тунджа",
    "Янтра",
    "Осогово",
    "Беласица",
    "Огоста",
    "Камчия",
    "Лудогорие",
    "Добруджа",
    "Сакар",
];
const TRADE_WORDS: &[&str] = &[
    "Трейд",
    "Логистик",
    "Софтуер",
    "Консулт",
    "Билд",
    "Агро",
    "Медикал",
    "Енерджи",
    "Фарма",
    "Текстил",
    "Мебел",
    "Транспорт",
];
const FORMS: &[&str] = &["ООД", "ЕООД", "АД", "Ltd", "LLC", "GmbH", "Sp. z o.o.", "S.A."];
const CHINESE: &[&str] = &["上海泛普软件", "北京华远科技", "深圳安信电子", "广州明珠贸易"];

fn latin(text: &str) -> String {
    text.split(' ')
        .map(|word| match transliterate(&word.to_lowercase()) {
            Some(latin) => {
                let mut chars = latin.chars();
                chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
            }
            None => word.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// One typing mistake: a letter changed, dropped, doubled, or two swapped.
fn typo(rng: &mut Rng, word: &str) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    if chars.len() < 4 {
        return word.to_string();
    }
    let at = 1 + rng.below(chars.len() - 2);
    match rng.below(4) {
        0 => chars[at] = if chars[at] == 'e' { 'a' } else { 'e' },
        1 => {
            chars.remove(at);
        }
        2 => chars.insert(at, chars[at]),
        _ => chars.swap(at, at + 1),
    }
    chars.into_iter().collect()
}

#[derive(Clone)]
struct Person {
    given: String,
    family: String,
    email: Option<String>,
    phone: Option<String>,
    birth: Option<String>,
}

impl Person {
    fn profile(&self) -> Profile {
        let mut contacts = Vec::new();
        contacts.extend(self.email.as_deref().map(|e| contact("email", e)));
        contacts.extend(self.phone.as_deref().map(|p| contact("phone", p)));
        let draft = PersonDraft {
            given_name: Some(self.given.clone()),
            family_name: Some(self.family.clone()),
            birth_date: self.birth.clone(),
            contact_methods: Some(contacts),
            ..Default::default()
        };
        Profile::person(&draft.parse().expect("generated person parses"))
    }
}

#[derive(Clone)]
struct Company {
    name: String,
    form: String,
    tax_id: Option<String>,
    email: Option<String>,
    city: Option<String>,
}

impl Company {
    fn profile(&self) -> Profile {
        let draft = CompanyDraft {
            name: Some(format!("{} {}", self.name, self.form).trim().to_string()),
            tax_id: self.tax_id.clone(),
            contact_methods: Some(self.email.iter().map(|e| contact("email", e)).collect()),
            addresses: Some(
                self.city.iter().map(|c| AddressDraft { city: Some(c.clone()), ..Default::default() }).collect(),
            ),
            ..Default::default()
        };
        Profile::company(&draft.parse().expect("generated company parses"), None)
    }
}

fn person_variant(rng: &mut Rng, base: &Person) -> Person {
    let mut v = base.clone();
    for _ in 0..1 + rng.below(2) {
        match rng.below(8) {
            0 => v.family = typo(rng, &v.family),
            1 => v.given = typo(rng, &v.given),
            2 => std::mem::swap(&mut v.given, &mut v.family),
            3 => (v.given, v.family) = (latin(&v.given), latin(&v.family)),
            4 => v.email = None,
            5 => v.phone = v.phone.map(|p| p.replace("+359 ", "0")),
            6 => v.birth = None,
            _ => v.email = v.email.map(|e| e.to_uppercase()),
        }
    }
    v
}

fn company_variant(rng: &mut Rng, base: &Company) -> Company {
    let mut v = base.clone();
    for _ in 0..1 + rng.below(2) {
        match rng.below(6) {
            0 => v.form = rng.pick(FORMS).to_string(),
            1 => v.name = latin(&v.name),
            2 => {
                let words: Vec<String> = v.name.split(' ').map(str::to_string).collect();
                let at = rng.below(words.len());
                v.name = words
                    .iter()
                    .enumerate()
                    .map(|(i, w)| if i == at { typo(rng, w) } else { w.clone() })
                    .collect::<Vec<_>>()
                    .join(" ");
            }
            3 => v.tax_id = None,
            4 => v.email = None,
            _ => v.city = None,
        }
    }
    v
}

/// Labelled records: (entity, profile). Records of one entity are duplicates.
fn generate(seed: u64) -> Vec<(usize, Profile)> {
    let mut rng = Rng(seed);
    let mut out = Vec::new();
    let mut entity = 0;
    let mut seen = BTreeSet::new();
    for i in 0..600 {
        let female = rng.chance(50);
        let (given, family) = if i % 10 == 9 {
            let full = rng.pick(POLISH);
            let (g, f) = full.split_once(' ').unwrap_or((full, ""));
            (g.to_string(), f.to_string())
        } else if female {
            (rng.pick(FEMALE).to_string(), format!("{}а", rng.pick(FAMILY)))
        } else {
            (rng.pick(MALE).to_string(), rng.pick(FAMILY).to_string())
        };
        let phone = format!("+359 88{:07}", rng.next() % 10_000_000);
        let person = Person {
            email: rng.chance(80).then(|| format!("p{i}.{}@mail{}.example", latin(&family).to_lowercase(), i % 7)),
            phone: rng.chance(80).then_some(phone.clone()),
            birth: rng
                .chance(40)
                .then(|| format!("19{:02}-0{}-1{}", 50 + rng.below(49), 1 + rng.below(9), rng.below(10))),
            given,
            family,
        };
        // Every customer has a name of their own: namesakes come only as labelled look-alikes.
        if !seen.insert((person.given.clone(), person.family.clone())) {
            continue;
        }
        entity += 1;
        out.push((entity, person.profile()));
        for _ in 0..rng.below(3) {
            out.push((entity, person_variant(&mut rng, &person).profile()));
        }
        // Look-alikes: a relative at the same phone, a namesake born on another day.
        if rng.chance(15) {
            let (given, family) = match (female, person.family.strip_suffix('а')) {
                (true, Some(stem)) => (rng.pick(MALE), stem.to_string()),
                (true, None) => (rng.pick(FEMALE), person.family.clone()),
                (false, _) if person.family.ends_with('в') => (rng.pick(FEMALE), format!("{}а", person.family)),
                (false, _) => (rng.pick(MALE), person.family.clone()),
            };
            let relative = Person { given: given.to_string(), family, email: None, birth: None, ..person.clone() };
            if seen.insert((relative.given.clone(), relative.family.clone())) {
                entity += 1;
                out.push((entity, relative.profile()));
            }
        }
        if person.birth.is_some() && rng.chance(20) {
            entity += 1;
            let namesake = Person {
                birth: Some("2001-12-24".into()),
                email: Some(format!("namesake{i}@elsewhere.example")),
                phone: Some(format!("+359 87{:07}", i)),
                ..person.clone()
            };
            out.push((entity, namesake.profile()));
        }
    }
    for i in 0..400 {
        let name = if i % 8 == 7 {
            rng.pick(CHINESE).to_string()
        } else {
            format!("{} {}", rng.pick(CITY_WORDS), rng.pick(TRADE_WORDS))
        };
        if !seen.insert((name.clone(), String::new())) {
            continue;
        }
        let form = if name.chars().any(crate::search::tokens::is_cjk) { "有限公司" } else { rng.pick(FORMS) };
        let company = Company {
            tax_id: rng.chance(60).then(|| format!("BG{:09}", rng.next() % 1_000_000_000)),
            email: rng.chance(70).then(|| format!("office{i}@firm{i}.example")),
            city: rng.chance(70).then(|| rng.pick(&["София", "Пловдив", "Варна"]).to_string()),
            name,
            form: form.to_string(),
        };
        entity += 1;
        out.push((entity, company.profile()));
        for _ in 0..rng.below(3) {
            out.push((entity, company_variant(&mut rng, &company).profile()));
        }
        // Look-alike: the same name with another tax number.
        if company.tax_id.is_some() && rng.chance(15) {
            entity += 1;
            let other = Company { tax_id: Some(format!("BG9{i:08}")), email: None, ..company.clone() };
            out.push((entity, other.profile()));
        }
    }
    out
}

#[test]
fn precision_and_recall_on_a_labelled_synthetic_base() {
    let records = generate(0x5eed_2026);
    let mut blocks: BTreeMap<(bool, String), Vec<usize>> = BTreeMap::new();
    for (i, (_, profile)) in records.iter().enumerate() {
        for key in profile.keys() {
            blocks.entry((profile.company, key)).or_default().push(i);
        }
    }
    let mut found = BTreeSet::new();
    for members in blocks.values() {
        for (n, &a) in members.iter().enumerate() {
            for &b in &members[n + 1..] {
                if score(&records[a].1, &records[b].1).is_some_and(|m| m.score >= THRESHOLD) {
                    found.insert((a, b));
                }
            }
        }
    }
    let mut truth = BTreeSet::new();
    for a in 0..records.len() {
        for b in a + 1..records.len() {
            if records[a].0 == records[b].0 {
                truth.insert((a, b));
            }
        }
    }
    let hits = found.intersection(&truth).count() as f64;
    let precision = hits / found.len() as f64;
    let recall = hits / truth.len() as f64;
    let f1 = 2.0 * precision * recall / (precision + recall);
    println!(
        "duplicate detection on {} records ({} duplicate pairs): precision {precision:.3}, recall {recall:.3}, F1 {f1:.3}",
        records.len(),
        truth.len()
    );
    for &(a, b) in found.difference(&truth).take(10) {
        println!("false positive: {:?} / {:?}", records[a].1.name, records[b].1.name);
    }
    for &(a, b) in truth.difference(&found).take(10) {
        println!("missed: {:?} / {:?}", records[a].1, records[b].1);
    }
    assert!(f1 >= 0.95, "F1 {f1:.3} (precision {precision:.3}, recall {recall:.3})");
}
