//! `/api/v1/people`
super::records::record_handlers!(rapport_app::people, rapport_core::people::Person, "people");
