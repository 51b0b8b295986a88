//! The facilitator console at `/w/{id}`: plan the agenda and run it.
pub mod agenda_editor;
pub mod block_row;
pub mod console_page;
pub mod console_tabs;
pub mod console_toolbar;
pub mod help_dialog;
pub mod invite_panel;
pub mod remote_panel;
pub mod run_panel;
pub mod schedule_proposals;
pub mod sound_cues;
pub mod workshop_details;
