//! Domain types and pure rules of Rapport. Nothing here does I/O: every newtype is
//! built through a parser, so a value that exists is a valid value.

pub mod access;
pub mod activities;
pub mod attributes;
pub mod audit;
pub mod calendar;
pub mod companies;
pub mod contacts;
pub mod country;
pub mod custom_fields;
pub mod duplicates;
pub mod email;
pub mod imports;
pub mod invalid;
pub mod mentions;
pub mod merge_patch;
pub mod money;
pub mod people;
pub mod phone;
pub mod search;
pub mod tasks;
pub mod text;
pub mod zone;

pub use invalid::{FieldError, Invalid};
