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
    /// My own contributions, as Markdown, in `lang`.
    Report {
        lang: crate::Lang,
    },
}

/// Relay → phone. Messages the phone does not use are read as [`Down::Other`]. `E` reads
/// the rule a refusal names: [`RuleName`] here, the core's own error type in the app (which
/// words it). Read through [`Frame`], every field side by side, not serde's reader for an
/// internally tagged enum, which buffers the whole message (the view included) first and
/// was the largest reader in the phone's download.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(try_from = "Frame<E>", bound = "E: Deserialize<'de>")]
pub enum Down<E = RuleName> {
    Welcome {
        server_time_ms: i64,
        /// How far the relay has stored each actor's ops: the phone numbers its next op
        /// after its own entry.
        server_vv: BTreeMap<String, u64>,
        online: u32,
        pseudonym: Option<String>,
    },
    View {
        patch: Box<ViewPatch>,
    },
    Report {
        file_name: String,
        text: String,
    },
    Ack {
        op_ids: Vec<OpRef>,
    },
    Rejected {
        op_id: OpRef,
        reason: DownReason<E>,
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
    Other,
}

/// Every field of every message the phone reads, side by side.
#[derive(Deserialize)]
#[serde(bound = "E: Deserialize<'de>")]
struct Frame<E> {
    #[serde(rename = "type")]
    kind: String,
    server_time_ms: Option<i64>,
    server_vv: Option<BTreeMap<String, u64>>,
    online: Option<u32>,
    pseudonym: Option<String>,
    patch: Option<Box<ViewPatch>>,
    file_name: Option<String>,
    text: Option<String>,
    op_ids: Option<Vec<OpRef>>,
    op_id: Option<OpRef>,
    #[serde(default = "none")]
    reason: Option<DownReason<E>>,
    client_time_ms: Option<i64>,
    code: Option<DownCode>,
}

fn needed<T>(value: Option<T>, field: &'static str) -> Result<T, String> {
    value.ok_or_else(|| format!("missing field `{field}`"))
}

impl<E> TryFrom<Frame<E>> for Down<E> {
    type Error = String;

    fn try_from(f: Frame<E>) -> Result<Self, String> {
        Ok(match f.kind.as_str() {
            "welcome" => Down::Welcome {
                server_time_ms: needed(f.server_time_ms, "server_time_ms")?,
                server_vv: needed(f.server_vv, "server_vv")?,
                online: needed(f.online, "online")?,
                pseudonym: f.pseudonym,
            },
            "view" => Down::View {
                patch: needed(f.patch, "patch")?,
            },
            "report" => Down::Report {
                file_name: needed(f.file_name, "file_name")?,
                text: needed(f.text, "text")?,
            },
            "ack" => Down::Ack {
                op_ids: needed(f.op_ids, "op_ids")?,
            },
            "rejected" => Down::Rejected {
                op_id: needed(f.op_id, "op_id")?,
                reason: needed(f.reason, "reason")?,
            },
            "pong" => Down::Pong {
                client_time_ms: needed(f.client_time_ms, "client_time_ms")?,
                server_time_ms: needed(f.server_time_ms, "server_time_ms")?,
            },
            "presence" => Down::Presence {
                online: needed(f.online, "online")?,
            },
            "error" => Down::Error {
                code: needed(f.code, "code")?,
            },
            _ => Down::Other,
        })
    }
}

/// Why an intent was refused, as much as the phone words: the reason's kind and, for a
/// rule of the core, the rule's name (`"board_closed"`, `"too_long"`, …).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct DownReason<E = RuleName> {
    pub kind: String,
    #[serde(default = "none")]
    pub error: Option<E>,
    #[serde(default)]
    pub max: Option<u64>,
}

fn none<E>() -> Option<E> {
    None
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
