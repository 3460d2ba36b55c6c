//! Keyset pagination shared by every list: order by a column and the id, and continue
//! strictly after the last row of the previous page, so deep pages cost what the first does.

use sea_query::{Expr, ExprTrait, Order, SelectStatement};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::Exec;

#[derive(Debug, Clone, PartialEq)]
pub enum SortValue {
    Text(String),
    Time(OffsetDateTime),
}

#[derive(Debug, Clone)]
pub struct Page {
    /// Rows to return; one more is read to tell whether a next page exists.
    pub limit: u64,
    pub column: &'static str,
    pub descending: bool,
    /// The sort value and id of the last row already shown.
    pub after: Option<(SortValue, Uuid)>,
}

pub(crate) fn apply(ex: &impl Exec, table: &'static str, page: &Page, select: &mut SelectStatement) {
    let order = if page.descending { Order::Desc } else { Order::Asc };
    if let Some((value, id)) = &page.after {
        let value: sea_query::Value = match value {
            SortValue::Text(text) => text.clone().into(),
            SortValue::Time(at) => ex.ts(*at),
        };
        // A row-value comparison, `(col, id) > (value, id)`: both engines answer it from
        // the (col, id) index directly, where the equivalent OR form scans.
        let key = Expr::tuple([Expr::col((table, page.column)), Expr::col((table, "id"))]);
        let after = Expr::tuple([Expr::val(value), Expr::val(*id)]);
        select.and_where(if page.descending { key.lt(after) } else { key.gt(after) });
    }
    select.order_by((table, page.column), order.clone()).order_by((table, "id"), order).limit(page.limit + 1);
}

/// Splits the extra row off: the page and whether more rows follow.
pub fn split<T>(mut rows: Vec<T>, limit: u64) -> (Vec<T>, bool) {
    let more = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    (rows, more)
}

/// A `LIKE` pattern that matches `text` anywhere, with the wildcards in it escaped.
pub fn contains_pattern(text: &str) -> String {
    format!("%{}%", escape_like(text))
}

pub fn prefix_pattern(text: &str) -> String {
    format!("{}%", escape_like(text))
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}
