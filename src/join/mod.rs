//! Joining a workshop on another device: `/j/{code}` finds the relay room of a join code
//! and opens its participant view.
pub mod join_page;
