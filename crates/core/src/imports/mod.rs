//! Imports and exports (FEATURES J2): what a column can become and which header suggests
//! it, dates and encodings as files write them, rows turned into drafts, and vCards.
//! Pure rules; reading files and writing records is the use case's.

pub mod dates;
pub mod encoding;
pub mod fields;
pub mod merge;
pub mod row;
mod synonyms;
pub mod vcard;

pub use fields::{ImportKind, Target, suggest};
pub use row::{ImportRow, Problem, RowDraft};
