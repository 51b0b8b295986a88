//! A participant's window in the facilitator's own browser (`/w/{id}/window`, the window
//! entry), with a replica; mobile first: the current block and time left
//! at the top, join with a name (or anonymously), pick a theme group, add, edit and
//! delete own notes, see the group's notes and vote.
pub mod back_to_phone;
pub mod block_about;
pub mod group_notes;
pub mod group_picker;
pub mod join_form;
pub mod note_form;
pub mod now_bar;
pub mod participant_note;
pub mod participant_page;
pub mod votes_left;
