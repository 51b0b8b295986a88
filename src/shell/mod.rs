//! The frame around every screen: header, language switch, not-found page.

pub mod connection_status;
pub mod header;
pub mod language_switch;
pub mod not_found;
pub mod page_frame;
pub mod problem_banner;
pub mod qr_code;
