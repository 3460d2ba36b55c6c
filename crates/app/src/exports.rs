//! Exports (FEATURES J2): any company or people list (its filters, search and saved
//! filter) as CSV, XLSX or, for people, vCards. The list is read page by page through its
//! own keyset query, so access rules hold and memory stays the same for ten rows or a
//! million. The columns are the ones an import recognises, so an export imports back
//! into the same records.

use std::collections::HashMap;
use std::io::{Seek, Write};

use rapport_core::access::Action;
use rapport_core::custom_fields::RecordKind;
use rapport_core::imports::vcard;
use serde_json::Value;
use uuid::Uuid;

use crate::listing::Params;
use crate::{Actor, App, AppError, companies, people};

/// Records read per page.
const PAGE: &str = "500";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Xlsx,
    Vcf,
}

impl ExportFormat {
    pub fn parse(raw: &str, collection: &str) -> Result<ExportFormat, AppError> {
        match (raw, collection) {
            ("csv", _) => Ok(ExportFormat::Csv),
            ("xlsx", _) => Ok(ExportFormat::Xlsx),
            ("vcf", "people") => Ok(ExportFormat::Vcf),
            ("vcf", _) => Err(AppError::BadRequest("vCards hold people: export companies as csv or xlsx".into())),
            _ => Err(AppError::BadRequest("format must be csv, xlsx or (people) vcf".into())),
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Csv => "text/csv; charset=utf-8",
            ExportFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ExportFormat::Vcf => "text/vcard; charset=utf-8",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Vcf => "vcf",
        }
    }
}

/// One CSV cell: a value a spreadsheet would run as a formula gets a leading `'` (an
/// import takes it off again), and quotes, separators and line breaks are quoted.
pub fn csv_cell(value: &str) -> String {
    let value =
        if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_string() };
    if value.contains([',', '"', '\n', '\r']) { format!("\"{}\"", value.replace('"', "\"\"")) } else { value }
}

pub fn csv_line(cells: &[String]) -> String {
    let mut line = cells.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(",");
    line.push_str("\r\n");
    line
}

fn text(record: &Value, field: &str) -> String {
    match record.get(field) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// What an export needs besides the records: names of categories, logins of owners,
/// codes of employers, and the custom fields.
struct Names {
    categories: HashMap<String, String>,
    logins: HashMap<String, String>,
    custom: Vec<(String, String)>,
}

impl Names {
    async fn load(app: &App, kind: RecordKind) -> Result<Names, AppError> {
        let mut db = app.reader();
        let categories = rapport_store::categories::list(&mut db)
            .await?
            .into_iter()
            .filter(|k| !k.system)
            .flat_map(|k| k.values.into_iter().map(|v| (v.id.to_string(), v.name)))
            .collect();
        let logins =
            rapport_store::users::list(&mut db).await?.into_iter().map(|u| (u.id.to_string(), u.login)).collect();
        let custom = rapport_store::custom_fields::list(&mut db, Some(kind))
            .await?
            .into_iter()
            .map(|f| (f.spec.key, f.spec.label))
            .collect();
        Ok(Names { categories, logins, custom })
    }
}

/// An export in progress: the header is known, pages are turned into rows.
pub struct Export {
    app: App,
    actor: Actor,
    collection: &'static str,
    pub format: ExportFormat,
    params: Params,
    cursor: Option<String>,
    done: bool,
    names: Names,
}

fn values_of(record: &Value, key: &str) -> Vec<String> {
    record
        .get("contact_methods")
        .and_then(Value::as_array)
        .map(|methods| methods.iter().filter(|m| text(m, "kind") == key).map(|m| text(m, "value")).collect())
        .unwrap_or_default()
}

fn address(record: &Value, purpose: &str) -> Option<Value> {
    let addresses = record.get("addresses").and_then(Value::as_array)?;
    let of = addresses.iter().filter(|a| text(a, "purpose") == purpose);
    of.clone().find(|a| a.get("default") == Some(&Value::Bool(true))).or_else(|| of.clone().next()).cloned()
}

const PARTS: [(&str, &str); 6] = [
    ("line1", ""),
    ("line2", " line 2"),
    ("city", " city"),
    ("region", " region"),
    ("postcode", " postcode"),
    ("country", " country"),
];

impl Export {
    /// Checks the request (the export right, the format, the list's parameters) before
    /// anything is sent.
    pub async fn start(
        app: &App,
        actor: &Actor,
        collection: &str,
        format: &str,
        params: Params,
    ) -> Result<Export, AppError> {
        let (collection, kind, record): (&'static str, RecordKind, &str) = match collection {
            "companies" => ("companies", RecordKind::Company, "company"),
            "people" => ("people", RecordKind::Person, "person"),
            _ => return Err(AppError::NotFound),
        };
        actor.require(record, Action::Export)?;
        let format = ExportFormat::parse(format, collection)?;
        if params.iter().any(|(n, _)| n == "limit" || n == "cursor") {
            return Err(AppError::BadRequest("an export takes the list's filters, not limit or cursor".into()));
        }
        let params = crate::filters::expand(app, actor, collection, params).await?;
        match collection {
            "companies" => companies::check_params(actor, params.clone())?,
            _ => people::check_params(actor, params.clone())?,
        }
        let names = Names::load(app, kind).await?;
        Ok(Export {
            app: app.clone(),
            actor: actor.clone(),
            collection,
            format,
            params,
            cursor: None,
            done: false,
            names,
        })
    }

    /// The header row (none for vCards).
    pub fn header(&self) -> Vec<String> {
        let mut header: Vec<String> = match self.collection {
            "companies" => [
                "External ID",
                "Code",
                "Name",
                "Legal name",
                "Tax ID",
                "Website",
                "Industry",
                "Size",
                "Area",
                "Type",
                "Status",
                "Level",
                "Stage",
                "Source",
                "Security level",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
            _ => ["External ID", "First name", "Last name", "Title", "Birth date", "Language"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
        };
        header.extend(["Email", "Phone", "Mobile", "Fax", "Web", "Messenger"].map(String::from));
        header.extend(["Address", "Address line 2", "City", "Region", "Postcode", "Country"].map(String::from));
        if self.collection == "companies" {
            for purpose in ["Billing", "Delivery", "Postal"] {
                header.extend(PARTS.iter().map(|(_, suffix)| {
                    format!("{purpose} address{suffix}")
                        .replace("address city", "city")
                        .replace("address region", "region")
                        .replace("address postcode", "postcode")
                        .replace("address country", "country")
                }));
            }
        } else {
            header.extend(["Company code", "Position", "Department"].map(String::from));
        }
        header.extend(["Owner", "Categories", "Attributes", "Description", "Background"].map(String::from));
        header.extend(self.names.custom.iter().map(|(_, label)| label.clone()));
        header
    }

    fn row(&self, record: &Value, employers: &HashMap<String, (String, String)>) -> Vec<String> {
        let fields: &[&str] = match self.collection {
            "companies" => &[
                "external_id",
                "code",
                "name",
                "legal_name",
                "tax_id",
                "website",
                "industry",
                "size",
                "area",
                "type",
                "status",
                "level",
                "stage",
                "source",
                "security_level",
            ],
            _ => &["external_id", "given_name", "family_name", "title", "birth_date", "language"],
        };
        let mut row: Vec<String> = fields.iter().map(|f| text(record, f)).collect();
        for kind in ["email", "phone", "mobile", "fax", "web", "messenger"] {
            row.push(values_of(record, kind).join("; "));
        }
        let purposes: &[&str] =
            if self.collection == "companies" { &["office", "billing", "delivery", "postal"] } else { &["office"] };
        for purpose in purposes {
            let found = address(record, purpose);
            row.extend(PARTS.iter().map(|(part, _)| found.as_ref().map(|a| text(a, part)).unwrap_or_default()));
        }
        if self.collection == "people" {
            let job = record.get("employments").and_then(Value::as_array).and_then(|jobs| jobs.first()).cloned();
            let job = job.unwrap_or(Value::Null);
            row.push(employers.get(&text(&job, "company_id")).map(|(code, _)| code.clone()).unwrap_or_default());
            row.push(text(&job, "position"));
            row.push(text(&job, "department"));
        }
        row.push(self.names.logins.get(&text(record, "owner_id")).cloned().unwrap_or_default());
        let categories: Vec<String> = record
            .get("categories")
            .and_then(Value::as_array)
            .map(|ids| {
                ids.iter()
                    .filter_map(|id| id.as_str())
                    .filter_map(|id| self.names.categories.get(id).cloned())
                    .collect()
            })
            .unwrap_or_default();
        row.push(categories.join("; "));
        let attributes: Vec<String> = record
            .get("attributes")
            .and_then(Value::as_object)
            .map(|pairs| pairs.iter().map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default())).collect())
            .unwrap_or_default();
        row.push(attributes.join("; "));
        row.push(text(record, "description"));
        row.push(text(record, "background"));
        let custom = record.get("custom").cloned().unwrap_or(Value::Null);
        for (key, _) in &self.names.custom {
            row.push(match custom.get(key) {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect::<Vec<_>>().join("; "),
                Some(Value::Object(money)) => text(&Value::Object(money.clone()), "amount"),
                Some(Value::Null) | None => String::new(),
                Some(other) => other.to_string(),
            });
        }
        row
    }

    /// The next page of records as the API shows them (hidden fields left out); `None`
    /// after the last.
    pub async fn next_page(&mut self) -> Result<Option<Vec<Value>>, AppError> {
        if self.done {
            return Ok(None);
        }
        let mut params = self.params.clone();
        params.push(("limit".into(), PAGE.into()));
        params.extend(self.cursor.take().map(|c| ("cursor".to_string(), c)));
        let (items, next) = match self.collection {
            "companies" => {
                let page = companies::list(&self.app, &self.actor, params).await?;
                (page.items.iter().map(serde_json::to_value).collect::<Result<Vec<_>, _>>(), page.next_cursor)
            }
            _ => {
                let page = people::list(&self.app, &self.actor, params).await?;
                (page.items.iter().map(serde_json::to_value).collect::<Result<Vec<_>, _>>(), page.next_cursor)
            }
        };
        self.done = next.is_none();
        self.cursor = next;
        Ok(Some(items.map_err(|e| AppError::BadRequest(e.to_string()))?))
    }

    /// The companies a page of people works at (those the actor's clearance lets them
    /// see), by id: their customer code and name.
    async fn employers(&self, page: &[Value]) -> Result<HashMap<String, (String, String)>, AppError> {
        if self.collection != "people" {
            return Ok(HashMap::new());
        }
        let ids: Vec<Uuid> = page
            .iter()
            .filter_map(|p| p.get("employments").and_then(Value::as_array).and_then(|jobs| jobs.first()))
            .filter_map(|job| job.get("company_id").and_then(Value::as_str).and_then(|id| Uuid::parse_str(id).ok()))
            .collect();
        let found = rapport_store::companies::get_many(&mut self.app.reader(), &ids).await?;
        Ok(found
            .into_iter()
            .filter(|c| c.fields.security_level <= self.actor.clearance)
            .map(|c| (c.id.to_string(), (c.code, c.fields.name)))
            .collect())
    }

    /// The next page as rows of cells.
    pub async fn next_rows(&mut self) -> Result<Option<Vec<Vec<String>>>, AppError> {
        let Some(page) = self.next_page().await? else { return Ok(None) };
        let employers = self.employers(&page).await?;
        Ok(Some(page.iter().map(|r| self.row(r, &employers)).collect()))
    }

    /// The next page as text: CSV lines (the header first), or vCards.
    pub async fn next_text(&mut self, first: bool) -> Result<Option<String>, AppError> {
        if self.format == ExportFormat::Vcf {
            let Some(page) = self.next_page().await? else { return Ok(None) };
            let employers = self.employers(&page).await?;
            return Ok(Some(page.iter().map(|p| vcard::write(&self.contact(p, &employers))).collect()));
        }
        let Some(rows) = self.next_rows().await? else { return Ok(None) };
        let mut out = if first { csv_line(&self.header()) } else { String::new() };
        for row in rows {
            out.push_str(&csv_line(&row));
        }
        Ok(Some(out))
    }

    fn contact(&self, person: &Value, employers: &HashMap<String, (String, String)>) -> vcard::Contact {
        let optional = |field: &str| Some(text(person, field)).filter(|t| !t.is_empty());
        let job = person
            .get("employments")
            .and_then(Value::as_array)
            .and_then(|jobs| jobs.first())
            .cloned()
            .unwrap_or(Value::Null);
        let methods = person
            .get("contact_methods")
            .and_then(Value::as_array)
            .map(|ms| ms.iter().map(|m| (text(m, "kind"), text(m, "value"))).collect())
            .unwrap_or_default();
        let addresses = person
            .get("addresses")
            .and_then(Value::as_array)
            .map(|list| list.iter().map(|a| (text(a, "purpose"), PARTS.map(|(part, _)| text(a, part)))).collect())
            .unwrap_or_default();
        let categories = person
            .get("categories")
            .and_then(Value::as_array)
            .map(|ids| {
                ids.iter()
                    .filter_map(|id| id.as_str())
                    .filter_map(|id| self.names.categories.get(id).cloned())
                    .collect()
            })
            .unwrap_or_default();
        vcard::Contact {
            uid: optional("external_id"),
            given_name: optional("given_name"),
            family_name: optional("family_name"),
            full_name: text(person, "full_name"),
            title: optional("title"),
            organization: employers.get(&text(&job, "company_id")).map(|(_, name)| name.clone()),
            department: Some(text(&job, "department")).filter(|t| !t.is_empty()),
            job_title: Some(text(&job, "position")).filter(|t| !t.is_empty()),
            birth_date: optional("birth_date"),
            methods,
            addresses,
            categories,
            note: optional("description"),
        }
    }

    pub fn file_name(&self) -> String {
        format!("{}.{}", self.collection, self.format.extension())
    }

    /// The whole export as an XLSX workbook in `file` (rows go to the writer's temporary
    /// files as they come, in its constant-memory mode; the workbook is assembled at the
    /// end).
    pub async fn write_xlsx(&mut self, file: &mut std::fs::File) -> Result<(), AppError> {
        let broken =
            |e: rust_xlsxwriter::XlsxError| AppError::BadRequest(format!("the workbook cannot be written: {e}"));
        let mut workbook = rust_xlsxwriter::Workbook::new();
        workbook.set_tempdir(std::env::temp_dir()).map_err(broken)?;
        let sheet = workbook.add_worksheet_with_constant_memory().map_err(broken)?;
        sheet.set_name(if self.collection == "companies" { "Companies" } else { "People" }).map_err(broken)?;
        let header = self.header();
        for (col, title) in header.iter().enumerate() {
            sheet.write_string(0, col as u16, title).map_err(broken)?;
        }
        let mut row_number = 1u32;
        while let Some(rows) = self.next_rows().await? {
            let sheet = workbook.worksheet_from_index(0).map_err(broken)?;
            for row in rows {
                for (col, cell) in row.iter().enumerate() {
                    // A string cell is never a formula in a workbook: no quote is needed.
                    if !cell.is_empty() {
                        sheet.write_string(row_number, col as u16, cell).map_err(broken)?;
                    }
                }
                row_number += 1;
            }
        }
        workbook.save_to_writer(&mut *file).map_err(broken)?;
        file.flush().map_err(|e| AppError::BadRequest(e.to_string()))?;
        file.rewind().map_err(|e| AppError::BadRequest(e.to_string()))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::csv_cell;

    #[test]
    fn formula_cells_are_neutralised_and_separators_quoted() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("+48 42 123"), "'+48 42 123");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("-1"), "'-1");
        assert_eq!(csv_cell("Łódź, Textiles"), "\"Łódź, Textiles\"");
        assert_eq!(csv_cell("plain"), "plain");
    }
}
