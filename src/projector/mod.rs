//! The projector view at `/w/{id}/present`: read-only, readable from the back of a room.
pub mod agenda_strip;
pub mod projector_page;
