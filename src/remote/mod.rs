//! The facilitator's phone remote at `/w/{room}/remote#{key}`: part of the phone's small
//! entry, steering the room as a facilitator device while its key is valid.
pub mod remote_bears;
pub mod remote_controls;
pub mod remote_page;
