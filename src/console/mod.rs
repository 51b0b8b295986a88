//! The facilitator console at `/w/{id}`.
pub mod console_page;
