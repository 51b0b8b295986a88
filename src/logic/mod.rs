//! What the screens compute from the workshop that needs no browser and no reactivity:
//! the board's order and layout, how wide a card's longest word is, what a change touched, the storage journal, taking ops
//! into the replica, which screen a phone's address shows. Built for the host too, so `cargo test` covers it.

pub mod board_layout;
pub mod board_order;
pub mod fit_text;
pub mod intake;
pub mod journal;
pub mod routes;
pub mod summary_size;
pub mod touched;
