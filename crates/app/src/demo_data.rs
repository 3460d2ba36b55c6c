//! Deterministic demo customers (for `rapport demo`, tests and benchmarks): companies and
//! people from Bulgaria, Poland, China and English-speaking countries, each in its own
//! script. Pure: no I/O, no clock, no global randomness; the same seed gives the same data.
//!
//! The drafts are the JSON a client would send: companies parse as
//! `rapport_core::companies::CompanyDraft`, people as `rapport_core::people::PersonDraft`.
//! People carry no `employments`: the caller adds one from `company_index`, `position`
//! and `department` once the company has an id.

use std::collections::HashSet;

use serde_json::{Map, Value, json};

#[derive(Debug, Clone, PartialEq)]
pub struct DemoCompany {
    pub draft: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DemoPerson {
    pub draft: Value,
    /// Index into the companies returned alongside; `None` for a customer on their own.
    pub company_index: Option<usize>,
    pub position: Option<String>,
    pub department: Option<String>,
}

/// SplitMix64: tiny, fast and good enough for demo data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn range(&mut self, low: u32, high: u32) -> u32 {
        low + self.below((high - low + 1) as usize) as u32
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// One entry of a comma-separated list.
    fn item(&mut self, list: &'static str) -> &'static str {
        let items: Vec<&str> = list.split(',').map(str::trim).collect();
        self.pick(&items)
    }

    fn weighted_index(&mut self, weights: &[u32]) -> usize {
        let mut roll = self.below(weights.iter().sum::<u32>() as usize) as u32;
        for (i, weight) in weights.iter().enumerate() {
            if roll < *weight {
                return i;
            }
            roll -= weight;
        }
        weights.len() - 1
    }

    /// One value of a comma-separated `value: weight` list.
    fn weighted(&mut self, list: &'static str) -> &'static str {
        let entries: Vec<(&str, &str)> = list.split(',').filter_map(|e| e.rsplit_once(':')).collect();
        let weights: Vec<u32> = entries.iter().map(|e| e.1.trim().parse().unwrap_or(1)).collect();
        entries[self.weighted_index(&weights)].0.trim()
    }

    /// Replaces every `#` in a pattern with a random digit.
    fn fill(&mut self, pattern: &str) -> String {
        let digit = |rng: &mut Self| char::from(b'0' + rng.below(10) as u8);
        pattern.chars().map(|c| if c == '#' { digit(self) } else { c }).collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Region {
    Bulgaria = 0,
    Poland = 1,
    China = 2,
    English = 3,
}

/// (name, phone pattern, postcode pattern); in patterns `#` is a random digit.
type City = (&'static str, &'static str, &'static str);

struct Country {
    code: &'static str,
    /// A pattern; empty where the number ends in a computed check digit (BG, PL).
    tax_id: &'static str,
    /// (in the name, in the legal name)
    legal_forms: &'static [(&'static str, &'static str)],
    mobiles: &'static str,
    cities: &'static [City],
}

/// Lists are comma-separated. Entries written `native|latin` give the Latin form for web
/// and email addresses; Cyrillic and Polish entries are transliterated by `slug`.
struct RegionData {
    language: &'static str,
    given_male: &'static str,
    given_female: &'static str,
    /// Masculine forms; see `feminine`.
    family: &'static str,
    brands: &'static str,
    streets: &'static str,
    mail_hosts: &'static str,
    /// `position: department`; the first is the head of a company.
    roles: &'static str,
    /// Mr, Ms, Dr.
    titles: [&'static str; 3],
    /// `{}` is the year.
    customer_since: &'static str,
    countries: &'static [Country],
}

#[rustfmt::skip]
const REGIONS: [RegionData; 4] = [
    RegionData {
        language: "bg",
        given_male: "Иван, Георги, Димитър, Николай, Петър, Христо, Стоян, Александър, Тодор, Васил, \
                     Калоян, Мартин",
        given_female: "Мария, Елена, Иванка, Десислава, Гергана, Ралица, Надежда, Цветелина, Виктория, \
                       Йорданка, Теодора, Милена",
        family: "Петров, Иванов, Георгиев, Димитров, Николов, Стоянов, Тодоров, Христов, Василев, \
                 Маринов, Колев, Попов, Ангелов, Илиев",
        brands: "Балкан, Тракия, Родопа, Пирин, Витоша, Марица, Дунав, Черноморие, Искър, Странджа, \
                 Рила, Янтра, Камчия, Орфей, Хемус, Еделвайс",
        streets: "ул. Витоша, бул. Цар Освободител, ул. Граф Игнатиев, бул. България, ул. Раковски, \
                  бул. Мария Луиза, ул. Шипка, бул. Христо Ботев, ул. Алабин, бул. Васил Левски",
        mail_hosts: "abv, mail, poshta",
        roles: "Управител: Управление, Мениджър покупки: Доставки, Главен счетоводител: Финанси, \
                Мениджър продажби: Продажби, ИТ мениджър: ИТ, Координатор логистика: Логистика, \
                Специалист маркетинг: Маркетинг, Офис мениджър: Администрация",
        titles: ["г-н", "г-жа", "д-р"],
        customer_since: "Клиент от {} г.",
        countries: &[Country {
            code: "BG", tax_id: "",
            legal_forms: &[("ООД", "ООД"), ("ЕООД", "ЕООД"), ("АД", "АД"), ("ЕАД", "ЕАД")],
            mobiles: "+359 87 ### ####, +359 88 ### ####, +359 89 ### ####, +359 98 ### ####",
            cities: &[
                ("София", "+359 2 ### ####", "1###"), ("Пловдив", "+359 32 ### ###", "40##"),
                ("Варна", "+359 52 ### ###", "90##"), ("Бургас", "+359 56 ### ###", "80##"),
                ("Русе", "+359 82 ### ###", "70##"), ("Стара Загора", "+359 42 ### ###", "60##"),
            ],
        }],
    },
    RegionData {
        language: "pl",
        given_male: "Piotr, Krzysztof, Tomasz, Paweł, Michał, Łukasz, Marcin, Jakub, Andrzej, Grzegorz, \
                     Wojciech, Mateusz",
        given_female: "Anna, Katarzyna, Małgorzata, Agnieszka, Magdalena, Joanna, Zofia, Ewa, Barbara, \
                       Dorota, Aleksandra, Marta",
        family: "Nowak, Kowalski, Wiśniewski, Wójcik, Kamiński, Lewandowski, Zieliński, Szymański, \
                 Woźniak, Dąbrowski, Kozłowski, Mazur, Krawczyk, Jankowski",
        brands: "Wisła, Mazowsze, Bałtyk, Tatry, Warta, Odra, Pomorze, Karpaty, Śląsk, Jantar, Sudety, \
                 Kujawy, Podhale, Mazury, Żuławy, Wawel",
        streets: "ul. Piotrkowska, ul. Marszałkowska, ul. Floriańska, ul. Świętojańska, \
                  al. Jerozolimskie, ul. Grunwaldzka, ul. Długa, ul. Półwiejska, ul. Świdnicka, \
                  al. Kościuszki",
        mail_hosts: "poczta, skrzynka, onet",
        roles: "Prezes zarządu: Zarząd, Kierownik zakupów: Zakupy, Główny księgowy: Finanse, \
                Kierownik sprzedaży: Sprzedaż, Kierownik IT: IT, Koordynator logistyki: Logistyka, \
                Specjalista ds. marketingu: Marketing, Kierownik biura: Administracja",
        titles: ["Pan", "Pani", "dr"],
        customer_since: "Klient od {} r.",
        countries: &[Country {
            code: "PL", tax_id: "",
            legal_forms: &[("Sp. z o.o.", "Spółka z ograniczoną odpowiedzialnością"),
                           ("S.A.", "Spółka Akcyjna"), ("Sp.j.", "Spółka jawna")],
            mobiles: "+48 5## ### ###, +48 6## ### ###, +48 7## ### ###, +48 88# ### ###",
            cities: &[
                ("Warszawa", "+48 22 ### ## ##", "0#-###"), ("Kraków", "+48 12 ### ## ##", "3#-###"),
                ("Łódź", "+48 42 ### ## ##", "9#-###"), ("Wrocław", "+48 71 ### ## ##", "5#-###"),
                ("Gdańsk", "+48 58 ### ## ##", "80-###"), ("Poznań", "+48 61 ### ## ##", "6#-###"),
            ],
        }],
    },
    RegionData {
        language: "zh",
        given_male: "伟|wei, 强|qiang, 磊|lei, 军|jun, 勇|yong, 杰|jie, 涛|tao, 明|ming, 超|chao, \
                     志强|zhiqiang, 建华|jianhua, 浩然|haoran",
        given_female: "芳|fang, 娜|na, 敏|min, 静|jing, 丽|li, 艳|yan, 娟|juan, 秀英|xiuying, 慧|hui, \
                       婷|ting, 雪|xue, 晓燕|xiaoyan",
        family: "王|wang, 李|li, 张|zhang, 刘|liu, 陈|chen, 杨|yang, 黄|huang, 赵|zhao, 周|zhou, \
                 吴|wu, 徐|xu, 孙|sun, 马|ma, 朱|zhu",
        brands: "泛普|fanpu, 华信|huaxin, 金桥|jinqiao, 东方|dongfang, 恒通|hengtong, 中科|zhongke, \
                 天宇|tianyu, 新源|xinyuan, 长城|changcheng, 永盛|yongsheng, 鼎盛|dingsheng, \
                 瑞达|ruida, 海纳|haina, 博远|boyuan, 宏图|hongtu, 星辰|xingchen",
        streets: "中山路, 人民路, 建设路, 解放路, 南京西路, 科技园路, 长安街, 深南大道, 天府大道, 文三路",
        mail_hosts: "qq, netease, sina",
        roles: "总经理: 管理层, 采购经理: 采购部, 财务主管: 财务部, 销售经理: 销售部, \
                IT经理: 信息技术部, 物流主管: 物流部, 市场专员: 市场部, 行政主管: 行政部",
        titles: ["先生", "女士", "博士"],
        customer_since: "{}年起合作",
        countries: &[Country {
            code: "CN", tax_id: "91##0100MA########",
            legal_forms: &[("有限公司", "有限公司"), ("股份有限公司", "股份有限公司")],
            mobiles: "+86 13# #### ####, +86 15# #### ####, +86 18# #### ####",
            cities: &[
                ("北京", "+86 10 #### ####", "1000##"), ("上海", "+86 21 #### ####", "2000##"),
                ("深圳", "+86 755 #### ####", "5180##"), ("广州", "+86 20 #### ####", "5100##"),
                ("杭州", "+86 571 #### ####", "3100##"), ("成都", "+86 28 #### ####", "6100##"),
            ],
        }],
    },
    RegionData {
        language: "en",
        given_male: "James, John, Michael, David, Daniel, Thomas, Liam, Oliver, Jack, Samuel, Patrick, \
                     Ethan",
        given_female: "Olivia, Emma, Sarah, Emily, Charlotte, Grace, Sophie, Hannah, Aoife, Chloe, \
                       Jessica, Amelia",
        family: "Smith, Johnson, Williams, Brown, Jones, Taylor, Wilson, Murphy, O'Brien, Walsh, \
                 Thompson, Clarke, Kelly, Robinson",
        brands: "Northwind, Redwood, Bluebell, Harbour, Summit, Oakridge, Silverline, Brightwater, \
                 Kestrel, Ironbridge, Meridian, Pinecrest, Evergreen, Lakeside, Westbrook, Granite",
        streets: "High Street, Market Street, King Street, Queen Street, Station Road, Park Avenue, \
                  George Street, Church Lane, Harbour Road, Main Street",
        mail_hosts: "mail, inbox, post",
        roles: "Managing director: Management, Purchasing manager: Procurement, \
                Chief accountant: Finance, Sales manager: Sales, IT manager: IT, \
                Logistics coordinator: Logistics, Marketing specialist: Marketing, \
                Office manager: Administration",
        titles: ["Mr", "Ms", "Dr"],
        customer_since: "Customer since {}.",
        countries: &[
            Country {
                code: "US", tax_id: "##-#######",
                legal_forms: &[("Inc.", "Inc."), ("LLC", "LLC"), ("Corp.", "Corporation")],
                mobiles: "+1 917 555 01##, +1 415 555 01##, +1 646 555 01##",
                cities: &[
                    ("New York", "+1 212 555 01##", "100##"), ("Chicago", "+1 312 555 01##", "606##"),
                    ("Austin", "+1 512 555 01##", "787##"), ("Seattle", "+1 206 555 01##", "981##"),
                    ("Boston", "+1 617 555 01##", "021##"),
                ],
            },
            Country {
                code: "GB", tax_id: "GB### #### ##",
                legal_forms: &[("Ltd", "Limited"), ("plc", "Public Limited Company")],
                mobiles: "+44 7700 900###",
                cities: &[
                    ("London", "+44 20 7946 0###", "EC1A #BB"), ("Manchester", "+44 161 496 0###", "M1 #AE"),
                    ("Edinburgh", "+44 131 496 0###", "EH1 #YZ"), ("Bristol", "+44 117 496 0###", "BS1 #DJ"),
                ],
            },
            Country {
                code: "IE", tax_id: "IE#######T",
                legal_forms: &[("Ltd", "Limited"), ("DAC", "Designated Activity Company")],
                mobiles: "+353 85 ### ####, +353 86 ### ####, +353 87 ### ####",
                cities: &[
                    ("Dublin", "+353 1 ### ####", "D02 X#8#"), ("Cork", "+353 21 ### ####", "T12 K#9#"),
                    ("Galway", "+353 91 ### ###", "H91 R#2#"),
                ],
            },
            Country {
                code: "AU", tax_id: "## ### ### ###",
                legal_forms: &[("Pty Ltd", "Pty Limited")],
                mobiles: "+61 491 570 ###",
                cities: &[
                    ("Sydney", "+61 2 5550 ####", "20##"), ("Melbourne", "+61 3 5550 ####", "30##"),
                    ("Brisbane", "+61 7 5550 ####", "40##"), ("Perth", "+61 8 5550 ####", "60##"),
                ],
            },
        ],
    },
];

/// `industry: word in a company name` in bg, pl, zh and en.
#[rustfmt::skip]
const SECTORS: &[&str] = &[
    "Software: Софт, Software, 软件|ruanjian, Software",
    "Logistics: Логистик, Logistyka, 物流|wuliu, Logistics",
    "Construction: Строй, Budownictwo, 建设|jianshe, Construction",
    "Food: Храни, Żywność, 食品|shipin, Foods",
    "Textiles: Текс, Tekstylia, 纺织|fangzhi, Textiles",
    "Pharmaceuticals: Фарма, Farmacja, 医药|yiyao, Pharma",
    "Energy: Енерджи, Energia, 能源|nengyuan, Energy",
    "Wholesale: Трейд, Handel, 贸易|maoyi, Trading",
    "Machinery: Машини, Maszyny, 机械|jixie, Engineering",
    "Furniture: Мебели, Meble, 家具|jiaju, Furniture",
    "Electronics: Електроник, Elektronika, 电子|dianzi, Electronics",
    "Agriculture: Агро, Agro, 农业|nongye, Agri",
];

// Weighted lists: `value: weight`.
const REGION_WEIGHTS: [u32; 4] = [30, 25, 20, 25];
const SIZES: &str = "1-10: 30, 11-50: 30, 51-200: 20, 201-500: 10, 501-1000: 6, 1000+: 4";
const TYPES: &str = "customer: 55, prospect: 20, partner: 8, supplier: 8, distributor: 5, bank: 1, \
                     authority: 1, other: 2";
const STATUSES: &str = "active: 85, inactive: 10, suspended: 5";
const LEVELS: &str = "A: 20, B: 35, C: 45";
const STAGES: &str = "growing: 30, mature: 45, declining: 15, closed: 10";
const LOYALTY: &str = "gold: 20, silver: 35, bronze: 45";
const SOURCES: &str = "website, referral, trade fair, cold call, partner, advertising, social media, \
                       existing customer";
const PAYMENT_TERMS: &str = "prepaid, net 14, net 30, net 60";

/// What a company hands down to its people.
struct Context {
    region: Region,
    country: &'static Country,
    city: City,
    domain: String,
}

/// Generates `companies` companies with `people_per_company` people each, plus one to
/// three people on their own after about one company in ten.
pub fn generate(seed: u64, companies: usize, people_per_company: usize) -> (Vec<DemoCompany>, Vec<DemoPerson>) {
    let mut rng = Rng(seed);
    let mut used_names = HashSet::new();
    let mut out_companies = Vec::with_capacity(companies);
    let mut out_people = Vec::with_capacity(companies * people_per_company + companies / 5);
    for index in 0..companies {
        let (draft, context) = company(&mut rng, index, &mut used_names);
        out_companies.push(DemoCompany { draft });
        let roles: Vec<&str> = REGIONS[context.region as usize].roles.split(',').collect();
        for n in 0..people_per_company {
            let role = roles[if n == 0 { 0 } else { 1 + rng.below(roles.len() - 1) }];
            let (position, department) = role.split_once(':').unwrap_or((role, ""));
            out_people.push(DemoPerson {
                draft: person(&mut rng, &context, true),
                company_index: Some(index),
                position: Some(position.trim().to_string()),
                department: Some(department.trim().to_string()),
            });
        }
        for _ in 0..if rng.chance(10) { rng.range(1, 3) } else { 0 } {
            out_people.push(DemoPerson {
                draft: person(&mut rng, &context, false),
                company_index: None,
                position: None,
                department: None,
            });
        }
    }
    (out_companies, out_people)
}

fn company(rng: &mut Rng, index: usize, used: &mut HashSet<String>) -> (Value, Context) {
    use Region::*;
    let region = [Bulgaria, Poland, China, English][rng.weighted_index(&REGION_WEIGHTS)];
    let data = &REGIONS[region as usize];
    let country = &data.countries[rng.below(data.countries.len())];
    let city = rng.pick(country.cities);
    let (brand, brand_latin) = native_latin(rng.item(data.brands));
    let (industry, words) = rng.pick(SECTORS).split_once(':').unwrap_or_default();
    let word = words.split(',').nth(region as usize).unwrap_or_default();
    let (sector, sector_latin) = native_latin(word.trim());
    let (form, legal_form) = rng.pick(country.legal_forms);

    // A name already taken gets the city, then the running number.
    let joiner = if region == China { "" } else { " " };
    let mut base = format!("{brand}{joiner}{sector}");
    let mut base_latin = format!("{brand_latin}-{sector_latin}");
    if used.contains(&base) {
        base = format!("{base}{joiner}{}", city.0);
        base_latin = format!("{base_latin}-{}", slug(city.0));
    }
    if used.contains(&base) {
        base = format!("{base}{joiner}{}", index + 1);
        base_latin = format!("{base_latin}-{}", index + 1);
    }
    used.insert(base.clone());
    let (name, legal_name) = match region {
        China => (format!("{}{base}{form}", city.0), format!("{}{base}{legal_form}", city.0)),
        _ if form == "Inc." => (format!("{base} {form}"), format!("{base}, {legal_form}")),
        _ => (format!("{base} {form}"), format!("{base} {legal_form}")),
    };
    let domain = format!("{}.example", slug(&base_latin));

    let kind = rng.weighted(TYPES);
    let size = rng.weighted(SIZES);
    let segment = match size {
        "1-10" | "11-50" => "small",
        "51-200" | "201-500" => "mid-market",
        _ => "enterprise",
    };
    let mut attributes = Map::new();
    if matches!(kind, "customer" | "partner" | "distributor") {
        attributes.insert("loyalty".into(), rng.weighted(LOYALTY).into());
        attributes.insert("payment_terms".into(), rng.item(PAYMENT_TERMS).into());
    }
    attributes.insert("segment".into(), segment.into());

    let (info, phone) = (format!("info@{domain}"), rng.fill(city.1));
    let mut methods = vec![
        json!({"kind": "email", "value": info, "label": "info", "primary": true}),
        json!({"kind": "phone", "value": phone, "label": "reception", "primary": true}),
    ];
    if rng.chance(40) {
        let office = format!("{}@{domain}", ["office", "biuro", "office", "hello"][region as usize]);
        methods.push(json!({"kind": "email", "value": office, "label": "office"}));
    }
    if rng.chance([35, 15, 40, 5][region as usize]) {
        methods.push(json!({"kind": "fax", "value": rng.fill(city.1), "label": "fax"}));
    }
    let mut addresses = vec![address(rng, data, country, city, "billing")];
    if rng.chance(30) {
        addresses.push(address(rng, data, country, city, "delivery"));
    }

    let mut draft = json!({
        "name": name,
        "legal_name": legal_name,
        "tax_id": tax_id(rng, country),
        "website": format!("https://{domain}"),
        "industry": industry,
        "size": size,
        "area": city.0,
        "type": kind,
        "status": rng.weighted(STATUSES),
        "level": rng.weighted(LEVELS),
        "stage": rng.weighted(STAGES),
        "source": rng.item(SOURCES),
        "contact_methods": methods,
        "addresses": addresses,
        "attributes": attributes,
    });
    if kind == "customer" && rng.chance(60) {
        let year = rng.range(2005, 2025).to_string();
        draft["description"] = data.customer_since.replace("{}", &year).into();
    }
    let context = Context { region, country, city, domain };
    (draft, context)
}

fn person(rng: &mut Rng, company: &Context, employed: bool) -> Value {
    let data = &REGIONS[company.region as usize];
    let female = rng.chance(50);
    let given = rng.item([data.given_male, data.given_female][usize::from(female)]);
    let (given, given_latin) = native_latin(given);
    let (family, family_latin) = native_latin(rng.item(data.family));
    let family = feminine(company.region, family, female);
    let family_latin = match company.region {
        Region::China => family_latin,
        _ => slug(&family),
    };
    let local = format!("{given_latin}.{family_latin}").replace('-', "");
    let (year, month, day) = (rng.range(1955, 2003), rng.range(1, 12), rng.range(1, 28));

    let mut draft = json!({
        "given_name": given,
        "family_name": family,
        "birth_date": format!("{year}-{month:02}-{day:02}"),
        "language": data.language,
    });
    let mut methods = Vec::new();
    if employed {
        let email = format!("{local}@{}", company.domain);
        methods.push(json!({"kind": "email", "value": email, "label": "work"}));
        if rng.chance(50) {
            let phone = rng.fill(company.city.1);
            methods.push(json!({"kind": "phone", "value": phone, "label": "work"}));
        }
    } else {
        let host = rng.item(data.mail_hosts);
        let email = format!("{local}{}@{host}.example", rng.range(1, 99));
        methods.push(json!({"kind": "email", "value": email, "label": "personal"}));
        let home = address(rng, data, company.country, company.city, "postal");
        draft["addresses"] = json!([home]);
    }
    let mobile = rng.item(company.country.mobiles);
    let mobile = rng.fill(mobile);
    methods.push(json!({"kind": "mobile", "value": mobile, "label": "mobile"}));
    draft["contact_methods"] = methods.into();
    if rng.chance(40) {
        let title = if rng.chance(15) { 2 } else { usize::from(female) };
        draft["title"] = data.titles[title].into();
    }
    draft
}

fn address(rng: &mut Rng, data: &RegionData, country: &Country, city: City, purpose: &str) -> Value {
    let street = rng.item(data.streets);
    let number = rng.range(1, 240);
    let line1 = match data.language {
        "zh" => format!("{street}{number}号"),
        "en" => format!("{number} {street}"),
        _ => format!("{street} {number}"),
    };
    let postcode = rng.fill(city.2);
    json!({"purpose": purpose, "line1": line1, "city": city.0, "postcode": postcode,
           "country": country.code, "default": true})
}

/// A tax id: Bulgarian EIK (nine digits) and Polish NIP (ten) end in a check digit; the
/// others follow their country's pattern.
fn tax_id(rng: &mut Rng, country: &Country) -> String {
    let weights: &[u32] = match country.code {
        "BG" => &[1, 2, 3, 4, 5, 6, 7, 8],
        "PL" => &[6, 5, 7, 2, 3, 4, 5, 6, 7],
        _ => return rng.fill(country.tax_id),
    };
    loop {
        let digits: Vec<u32> = (0..weights.len()).map(|i| rng.range(u32::from(i == 0), 9)).collect();
        let sum = |offset: u32| digits.iter().zip(weights).map(|(d, w)| d * (w + offset)).sum::<u32>();
        let check = match (country.code, sum(0) % 11) {
            ("BG", 10) => sum(2) % 11 % 10,
            (_, check) => check,
        };
        if check < 10 {
            let digits: String = digits.iter().map(u32::to_string).collect();
            return format!("{}{digits}{check}", country.code);
        }
    }
}

/// Splits a `native|latin` entry; without a `|` the Latin form is the transliterated slug.
fn native_latin(entry: &'static str) -> (&'static str, String) {
    match entry.split_once('|') {
        Some((native, latin)) => (native, latin.to_string()),
        None => (entry, slug(entry)),
    }
}

/// A family name for a woman or a man: Петров → Петрова, Kowalski → Kowalska.
fn feminine(region: Region, family: &str, female: bool) -> String {
    match region {
        Region::Bulgaria if female && (family.ends_with("ов") || family.ends_with("ев")) => {
            format!("{family}а")
        }
        Region::Poland if female && (family.ends_with("ski") || family.ends_with("cki")) => {
            format!("{}a", &family[..family.len() - 1])
        }
        _ => family.to_string(),
    }
}

const TRANSLIT: &str = "аa бb вv гg дd еe жzh зz иi йy кk лl мm нn оo пp рr сs тt уu фf хh цts \
                        чch шsh щsht ъa ьy юyu яya ąa ćc ęe łl ńn óo śs źz żz";

/// Lower-case ASCII letters and digits joined by single dashes, transliterating Bulgarian
/// Cyrillic and Polish letters; anything else separates words.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if let Some(entry) = TRANSLIT.split(' ').find(|e| e.starts_with(c)) {
            out.push_str(&entry[c.len_utf8()..]);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rapport_core::contacts::{ContactKind, ContactMethod};
    use rapport_core::{companies::CompanyDraft, people::PersonDraft};

    fn check_methods(methods: &[ContactMethod]) {
        for method in methods {
            if method.kind == ContactKind::Email {
                assert!(method.value.is_ascii() && method.value.ends_with(".example"), "{}", method.value);
            } else {
                let e164 = method.e164.as_deref().unwrap_or_default();
                assert!((9..=16).contains(&e164.len()), "{} gives {e164}", method.value);
            }
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_data() {
        assert_eq!(generate(42, 50, 3), generate(42, 50, 3));
        assert_ne!(generate(42, 50, 3).0, generate(43, 50, 3).0);
    }

    #[test]
    fn every_company_parses_with_valid_phones_and_ascii_addresses() {
        for seed in [1, 2, 3] {
            let (companies, _) = generate(seed, 300, 0);
            assert_eq!(companies.len(), 300);
            for company in &companies {
                let draft: CompanyDraft = serde_json::from_value(company.draft.clone()).unwrap();
                let fields = draft.parse().unwrap_or_else(|e| panic!("{e:?} in {}", company.draft));
                assert!(fields.website.as_deref().unwrap().ends_with(".example"));
                assert!(fields.owner_id.is_none() && fields.parent_id.is_none());
                assert!(fields.categories.is_empty() && fields.custom.is_empty());
                assert!(["A", "B", "C"].contains(&fields.level.as_deref().unwrap()));
                let stage = fields.stage.as_deref().unwrap();
                assert!(["growing", "mature", "declining", "closed"].contains(&stage));
                check_methods(&fields.contact_methods);
            }
        }
    }

    #[test]
    fn every_person_parses_and_employees_point_at_a_company() {
        let (companies, people) = generate(7, 200, 3);
        let standalone = people.iter().filter(|p| p.company_index.is_none()).count();
        assert_eq!(people.len() - standalone, 600);
        assert!(standalone > 0);
        for person in &people {
            assert!(person.draft.get("employments").is_none());
            let draft: PersonDraft = serde_json::from_value(person.draft.clone()).unwrap();
            let fields = draft.parse().unwrap_or_else(|e| panic!("{e:?} in {}", person.draft));
            assert!(fields.given_name.is_some() && fields.family_name.is_some());
            assert!(fields.birth_date.is_some());
            check_methods(&fields.contact_methods);
            match person.company_index {
                Some(index) => {
                    assert!(index < companies.len());
                    assert!(person.position.is_some() && person.department.is_some());
                }
                None => assert!(person.position.is_none() && !fields.addresses.is_empty()),
            }
        }
    }

    #[test]
    fn all_four_regions_appear_in_their_own_scripts() {
        let (companies, people) = generate(2026, 200, 1);
        let country = |c: &DemoCompany| c.draft["addresses"][0]["country"].as_str().unwrap().to_string();
        let countries: HashSet<String> = companies.iter().map(country).collect();
        for code in ["BG", "PL", "CN"] {
            assert!(countries.contains(code), "{code} missing from {countries:?}");
        }
        assert!(["US", "GB", "IE", "AU"].iter().any(|c| countries.contains(*c)));
        let names: Vec<&str> = companies.iter().map(|c| c.draft["name"].as_str().unwrap()).collect();
        let any_name = |test: fn(&str) -> bool| names.iter().any(|n| test(n));
        assert!(any_name(|n| n.ends_with("ООД") || n.ends_with("АД")));
        assert!(any_name(|n| n.ends_with("Sp. z o.o.") || n.ends_with("S.A.")));
        assert!(any_name(|n| n.ends_with("有限公司")));
        assert!(any_name(|n| n.ends_with("Ltd") || n.ends_with("Inc.")));
        let in_script = |low: char, high: char| {
            let given = |p: &DemoPerson| p.draft["given_name"].as_str().unwrap().chars().next().unwrap();
            people.iter().any(|p| (low..=high).contains(&given(p)))
        };
        assert!(in_script('\u{0400}', '\u{04FF}') && in_script('\u{4E00}', '\u{9FFF}'));
        let unique: HashSet<&&str> = names.iter().collect();
        assert_eq!(unique.len(), names.len());
    }

    #[test]
    fn tax_ids_carry_check_digits_and_slugs_are_ascii() {
        assert_eq!(slug("Wisła Łódź"), "wisla-lodz");
        assert_eq!(slug("Черноморие Софт"), "chernomorie-soft");
        assert_eq!(slug("O'Brien"), "o-brien");
        assert_eq!(feminine(Region::Bulgaria, "Петров", true), "Петрова");
        assert_eq!(feminine(Region::Poland, "Kowalski", true), "Kowalska");
        assert_eq!(feminine(Region::Poland, "Nowak", true), "Nowak");
        let mut rng = Rng(5);
        for _ in 0..100 {
            let nip = tax_id(&mut rng, &REGIONS[1].countries[0]);
            let digits: Vec<u32> = nip[2..].chars().filter_map(|c| c.to_digit(10)).collect();
            let sum: u32 = digits.iter().zip([6, 5, 7, 2, 3, 4, 5, 6, 7]).map(|(d, w)| d * w).sum();
            assert_eq!((nip.len(), sum % 11), (12, digits[9]));
            let eik = tax_id(&mut rng, &REGIONS[0].countries[0]);
            assert!(eik.starts_with("BG") && eik.len() == 11);
        }
    }
}
