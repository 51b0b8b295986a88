//! The facilitator's phone remote at `/w/{room}/remote#{key}`: an entry of its own
//! (`remote.html`), steering the room as a facilitator device while its key is valid.
pub mod remote_bears;
pub mod remote_controls;
pub mod remote_page;
