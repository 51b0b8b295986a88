//! The berenschiet wall: participants write their worries (beren op de weg) during the
//! break, the facilitator reveals, clusters and "shoots" them one at a time in plenary.
pub mod bears_tab;
pub mod participant_bears;
pub mod projector_wall;
