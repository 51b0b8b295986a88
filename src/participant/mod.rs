//! The participant view at `/w/{id}/join`, mobile first.
pub mod participant_page;
