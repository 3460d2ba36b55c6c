//! `/api/v1/companies`
super::records::record_handlers!(rapport_app::companies, rapport_core::companies::Company, "companies");
