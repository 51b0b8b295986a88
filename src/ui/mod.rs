//! What every screen uses: the frame around it (header, language switch, problem banner,
//! connection badge, not-found page), translated text, the command runner and its error
//! slot, and downloads. Feature folders import this and `workshop/`; nothing here imports
//! a feature.

pub mod connection_status;
pub mod download;
pub mod group_select;
pub mod header;
pub mod inline_edit;
pub mod language_switch;
pub mod modal;
pub mod not_found;
pub mod page_frame;
pub mod problem_banner;
pub mod qr_code;
pub mod runner;
pub mod text;
pub mod vote_buttons;

pub use download::{DownloadBanner, download_json};
pub use runner::{Runner, error_slot};
pub use text::{short_label, tr, tr_about, tr_phone, tr_phone_about};
