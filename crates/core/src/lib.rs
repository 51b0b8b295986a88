//! bijeen-core: the pure domain of Bijeen. No I/O, no clock, no randomness: time comes in
//! as `now_ms` (unix epoch milliseconds), ids come from op ids.
//!
//! # Data flow
//! ```text
//! UI event -> Command -> decide(&Workshop, &Command, &DecideCtx) -> Vec<OpBody>
//!          -> Doc stamps them (actor, seq, HLC) -> apply(&mut Workshop, &Op)
//! inbound op -> Doc::receive -> apply
//! ```
//! Most callers only need [`Doc`]:
//! - [`Doc::new`], [`Doc::from_template_at`] / [`Doc::from_template`] (built by ordinary ops);
//! - [`Doc::workshop`] → [`Workshop`], read through its accessor methods
//!   ([`Workshop::blocks_in_order`], [`Workshop::notes_in_order`], [`Workshop::note_group`],
//!   [`Workshop::visible_to`], [`Workshop::vote_total`], ...);
//! - [`Doc::execute`]`(&Command, Role, now_ms) -> Result<Vec<Op>, DomainError>`: decide,
//!   stamp, apply locally; broadcast the returned ops;
//! - [`Doc::receive`]`(&Op) -> Result<bool, ReceiveError>`: idempotent, any order;
//! - [`Doc::version_vector`], [`Doc::missing_for`]: catch-up;
//! - [`Doc::refuse`]`(&OpId)`: the relay refused this op; it is replaced by its refusal
//!   marker ([`Op::refusal_of`], body [`OpBody::Refused`]) and the state rebuilt without
//!   it, and the actor's numbering stays contiguous;
//! - [`Doc::save`] / [`Doc::load`] / [`Doc::load_as`]: state (compact), log and version
//!   vector as JSON; on load the state is read and the log parsed when first needed;
//!   [`Doc::snapshot`] / [`Doc::from_snapshot`]: the older `/1` form as plain data.
//!
//! The relay needs [`authorize`]`(&Workshop, &Op, Role)` and [`Doc::receive`].
//!
//! Time: [`schedule::schedule`] (planned start of every block, planned vs computed end)
//! and [`schedule::live`] (remaining, warning, overrun, drift, projected end).
//! Templates: [`template`]. Export/import: [`export`] (anonymous bears leave the browser
//! under a pseudonym: [`anonymise`]). Reports: [`report`]; the follow-up actions as a
//! calendar file: [`ics`].
//!
//! # Merge rules
//! Every mutable field is a last-writer-wins [`Lww`] register ordered by
//! `(hlc, actor, seq)`. Deletion is a tombstone field (`deleted`), so a late edit never
//! resurrects a deleted thing; only an explicit restore does. Order is a fractional
//! index ([`fractional_index::between`]); lists sort by `(key, id)`. New entities are
//! named after the op that creates them (`"{actor}-{seq}"`), and the participant id of a
//! device is its actor id. [`apply`] is idempotent and commutative; this is
//! property-tested with many replicas and a hostile network.

pub mod anonymise;
pub mod authorize;
pub mod bear_wall;
pub mod calendar;
pub mod command;
mod compact;
mod decide;
pub mod doc;
pub mod error;
pub mod export;
pub mod fractional_index;
pub mod ics;
pub mod ids;
pub mod lww;

pub mod model;
pub mod op;
pub mod phone;
pub mod phone_view;
pub mod pseudonym;
pub mod report;
pub mod schedule;
pub mod template;
pub mod validate;

pub use authorize::{authorize, authorize_as, authorize_body, authorize_body_as};
pub use command::{AgreementEdit, BlockEdit, Command, DecideCtx, Place, PlanEdit, decide};
pub use doc::{Doc, ReceiveError, Snapshot, SnapshotError, VersionVector};
pub use error::{DomainError, Field};
pub use ids::{
    ActorId, AgreementId, BlockId, GroupId, HLC_MAX_AHEAD_MS, Hlc, NoteId, OpId, ParticipantId,
    PlanId, RoundId, Stamp,
};
pub use lww::Lww;
pub use model::*;
pub use op::{BlockDraft, Op, OpBody, apply};
pub use phone::{PhoneLead, phone_lead};
pub use pseudonym::{Principal, writer_of};
pub use schedule::{LiveTimer, Schedule, live, schedule};
