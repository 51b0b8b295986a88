//! The projector view at `/w/{id}/present`: read-only, readable from the back of a room.
pub mod agenda_strip;
pub mod board_column;
pub mod board_note;
pub mod board_view;
pub mod projector_join;
pub mod projector_page;
