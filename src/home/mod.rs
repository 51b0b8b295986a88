//! Home: the workshops stored in this browser, new from template, import.
pub mod home_page;
