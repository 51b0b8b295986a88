//! The phone's side of the relay's WebSocket messages: the same JSON as
//! `bijeen_protocol::{ClientMsg, ServerMsg}` (pinned by tests there), read and written by
//! types that need nothing of the domain.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{Intent, ViewPatch};

/// An op's id as the wire writes it: `["actor", seq]`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct OpRef(pub String, pub u64);

/// The phone's credential: only a participant's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UpCredential {
    Participant { actor: String, secret: String },
}

/// Phone → relay.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Up {
    /// Asks for the participant's view instead of the room's ops.
    ViewHello {
        protocol_version: u32,
        room: String,
        credential: UpCredential,
    },
    /// One intent, to be written as op `op_id` (the phone numbers its own ops, so a resent
    /// intent is recognised and never applied twice).
    Intent {
        op_id: OpRef,
        intent: Intent,
    },
    Ping {
        client_time_ms: i64,
    },
}

/// Relay → phone. Messages the phone does not use are read as [`Down::Other`].
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Down {
    Welcome {
        server_time_ms: i64,
        /// How far the relay has stored each actor's ops: the phone numbers its next op
        /// after its own entry.
        server_vv: BTreeMap<String, u64>,
        online: u32,
        #[serde(default)]
        pseudonym: Option<String>,
    },
    View {
        patch: Box<ViewPatch>,
    },
    Ack {
        op_ids: Vec<OpRef>,
    },
    Rejected {
        op_id: OpRef,
        reason: DownReason,
    },
    Pong {
        client_time_ms: i64,
        server_time_ms: i64,
    },
    Presence {
        online: u32,
    },
    Error {
        code: DownCode,
    },
    #[serde(other)]
    Other,
}

/// Why an intent was refused, as much as the phone words: the reason's kind and, for a
/// rule of the core, the rule's name (`"board_closed"`, `"too_long"`, …).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct DownReason {
    pub kind: String,
    #[serde(default)]
    pub error: Option<RuleName>,
    #[serde(default)]
    pub max: Option<u64>,
}

/// A core `DomainError` by its name only: `"name"` or `{"name": {..}}` on the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleName(pub String);

impl<'de> Deserialize<'de> for RuleName {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = RuleName;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a rule's name, or a map from it")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<RuleName, E> {
                Ok(RuleName(s.to_owned()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut m: A,
            ) -> Result<RuleName, A::Error> {
                let name: String = m
                    .next_key()?
                    .ok_or_else(|| serde::de::Error::custom("an empty rule"))?;
                let _: serde::de::IgnoredAny = m.next_value()?;
                while m
                    .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(RuleName(name))
            }
        }
        d.deserialize_any(V)
    }
}

/// A relay error by its code, with the one detail the phone uses.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct DownCode {
    pub code: String,
    #[serde(default)]
    pub retry_after_ms: Option<u64>,
}
