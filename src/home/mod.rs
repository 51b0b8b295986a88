//! Home: the workshops stored in this browser, new from template, import.
pub mod delete_dialog;
pub mod home_page;
pub mod import_workshop;
pub mod join_with_code;
pub mod new_workshop;
pub mod workshop_list;
