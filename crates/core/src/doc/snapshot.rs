//! Storage: the `bijeen-snapshot/2` text [`Doc::save`] writes and [`Doc::load`] reads,
//! and the older `/1` form ([`Snapshot`]), which still loads.

use std::fmt;
use std::sync::{Arc, OnceLock};

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::log::{ActorLog, Log, Pending};
use super::{Doc, ReceiveError, VersionVector};
use crate::compact::{Head, write_head};
use crate::ids::ActorId;
use crate::model::Workshop;
use crate::op::Op;

#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum SnapshotError {
    #[error("snapshot is not valid JSON for this version: line {line}, column {column}")]
    Unreadable { line: usize, column: usize },
    #[error("snapshot has format {0:?}, expected {SNAPSHOT_FORMAT:?}")]
    WrongFormat(String),
    #[error("snapshot log is inconsistent: {0}")]
    BadLog(ReceiveError),
    /// A `/2` snapshot is not laid out as [`Doc::save`] writes it.
    #[error("snapshot is not laid out as bijeen-snapshot/2: {0}")]
    BadLayout(&'static str),
}

/// The format of [`Snapshot`] and of what [`Doc::save`] wrote before `/2`; still read.
pub const SNAPSHOT_FORMAT: &str = "bijeen-snapshot/1";

/// What [`Doc::save`] writes:
/// `{"format":"bijeen-snapshot/2","state":[..],"log":[Op..],"vv":{..}}`, in exactly this
/// layout. The state (in the compact form of `compact.rs`) opens the replica without a replay; the log
/// is kept as text and parsed only when first needed; `vv` stays the last field so
/// [`stored_version_vector`] reads it from the tail without parsing the rest.
pub const SNAPSHOT_FORMAT_2: &str = "bijeen-snapshot/2";

pub(super) const V2_PREFIX: &str = "{\"format\":\"bijeen-snapshot/2\",\"state\":";
pub(super) const V2_LOG: &str = ",\"log\":";
pub(super) const V2_VV: &str = ",\"vv\":";

/// A replica as plain data in format `bijeen-snapshot/1`: its own actor, the whole op log
/// (so `missing_for` keeps working after a reload), the version vector, and optionally
/// the state in its serde form. A snapshot that carries a state is taken as stored.
///
/// [`Doc::save`] wrote this without the state (replayed on load) until `/2`, which stores
/// the state in a compact form instead of replaying 25,000 ops; [`Doc::load`] reads both.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub format: String,
    pub actor: ActorId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workshop: Option<Workshop>,
    pub log: Vec<Op>,
    pub vv: VersionVector,
}

impl Doc {
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            format: SNAPSHOT_FORMAT.to_owned(),
            actor: self.actor.clone(),
            workshop: Some(self.workshop.clone()),
            log: self.ops().cloned().collect(),
            vv: self.version_vector().clone(),
        }
    }

    /// The replica as JSON for browser storage, in the layout of [`SNAPSHOT_FORMAT_2`].
    /// A log opened from such a text is written back as it was read, followed by the ops
    /// added since (so the ops of a `/2` log are in no particular order).
    pub fn save(&self) -> String {
        // About what the state and log take, so the buffer hardly regrows.
        let ops = self
            .log
            .unparsed()
            .map_or(self.op_count() * 160, |p| p.log.len());
        let mut out = Vec::with_capacity(ops + 256 * self.workshop.notes.len() + 4096);
        out.extend_from_slice(V2_PREFIX.as_bytes());
        match self.log.unparsed() {
            Some(p) => {
                write_head(&mut out, &self.actor, self.hlc, &p.max_seqs, &self.workshop);
                out.extend_from_slice(V2_LOG.as_bytes());
                out.extend_from_slice(p.log.as_bytes());
                out.extend_from_slice(V2_VV.as_bytes());
                out.extend_from_slice(p.vv.as_bytes());
            }
            None => {
                let log = self.log.get();
                let max_seqs = VersionVector(
                    log.by_actor
                        .iter()
                        .map(|(a, l)| (a.clone(), l.max_seq()))
                        .collect(),
                );
                write_head(&mut out, &self.actor, self.hlc, &max_seqs, &self.workshop);
                out.extend_from_slice(V2_LOG.as_bytes());
                if !self.log.write_from_text(&mut out) {
                    // Serialising plain data with string keys cannot fail.
                    let _ = serde_json::to_writer(&mut out, &self.ops().collect::<Vec<_>>());
                }
                out.extend_from_slice(V2_VV.as_bytes());
                let _ = serde_json::to_writer(&mut out, &log.vv);
            }
        }
        out.push(b'}');
        // Only JSON (UTF-8) was written, so the conversion borrows the bytes as they are;
        // were a byte ever wrong it would be replaced, never the snapshot dropped (an empty
        // text would replace the stored workshop).
        String::from_utf8(out)
            .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned())
    }

    /// Read what [`Doc::save`] writes (`/2`, see [`SNAPSHOT_FORMAT_2`]: the state is read,
    /// the log kept as text until first needed), or wrote before (`/1`: a [`Snapshot`],
    /// its log replayed unless it carries its state).
    ///
    /// A `/1` log streams: each op goes from the parser straight into the replica,
    /// never into an intermediate `Vec<Op>` of the whole log, which would hold every op
    /// twice. Same answers as `Doc::from_snapshot(serde_json::from_str(json)?)`.
    pub fn load(json: &str) -> Result<Doc, SnapshotError> {
        if let Some(rest) = json.strip_prefix(V2_PREFIX) {
            return Self::load_v2(rest);
        }
        let mut bad = None;
        let mut de = serde_json::Deserializer::from_str(json);
        let parsed = LoadSeed { bad: &mut bad }
            .deserialize(&mut de)
            .and_then(|doc| de.end().map(|()| doc));
        match (parsed, bad) {
            (_, Some(e)) => Err(e),
            (Ok(doc), None) => Ok(doc),
            (Err(e), None) => Err(SnapshotError::Unreadable {
                line: e.line(),
                column: e.column(),
            }),
        }
    }

    /// Read a `/2` snapshot (`rest` follows its fixed prefix): the state is parsed, the
    /// log only framed (it must sit between `,"log":` right after the state and the last
    /// `,"vv":`, and be an array); it is parsed when first needed. The line and column of
    /// an `Unreadable` count from the start of the state or of the version vector.
    fn load_v2(rest: &str) -> Result<Doc, SnapshotError> {
        let mut stream = serde_json::Deserializer::from_str(rest).into_iter::<Head>();
        let head = match stream.next() {
            Some(Ok(head)) => head,
            Some(Err(e)) => {
                return Err(SnapshotError::Unreadable {
                    line: e.line(),
                    column: e.column(),
                });
            }
            None => return Err(SnapshotError::BadLayout("no state")),
        };
        let after = rest
            .get(stream.byte_offset()..)
            .and_then(|t| t.strip_prefix(V2_LOG))
            .ok_or(SnapshotError::BadLayout("no log right after the state"))?;
        let (log, vv, parsed) = split_vv(after)?;
        if !(log.starts_with('[') && log.ends_with(']')) {
            return Err(SnapshotError::BadLayout("the log is not an array"));
        }
        // The version vector is recomputed from the log; this only checks it is one, as
        // `save` writes it back while the log is unparsed.
        parsed?;
        let seq = head.max_seqs.get(&head.actor);
        Ok(Doc {
            actor: head.actor,
            seq,
            pseudonym: None,
            hlc: head.hlc,
            workshop: head.workshop,
            log: Log {
                parsed: OnceLock::new(),
                stored: Some(Pending {
                    log: Arc::from(log),
                    vv: Arc::from(vv),
                    max_seqs: head.max_seqs,
                }),
                appended: Vec::new(),
            },
        })
    }

    /// [`Doc::load`], continuing as `actor` (say, the window that opens a workshop another
    /// window saved): the same replica as [`Doc::from_ops`]`(actor, log)`, whose next
    /// sequence number follows the highest `actor` has in the log. A `/1` snapshot is
    /// replayed exactly so, even if it carries a serde state: this is the app's loader,
    /// and reading `/1` as it always did keeps a second snapshot decoder (and the serde
    /// decoder of the whole [`Workshop`]) out of its wasm.
    pub fn load_as(json: &str, actor: ActorId) -> Result<Doc, SnapshotError> {
        let Some(rest) = json.strip_prefix(V2_PREFIX) else {
            #[derive(Deserialize)]
            struct V1 {
                format: String,
                log: Vec<Op>,
            }
            let v1: V1 = serde_json::from_str(json).map_err(|e| SnapshotError::Unreadable {
                line: e.line(),
                column: e.column(),
            })?;
            if v1.format != SNAPSHOT_FORMAT {
                return Err(SnapshotError::WrongFormat(v1.format));
            }
            return Doc::from_ops(actor, &v1.log).map_err(SnapshotError::BadLog);
        };
        let mut doc = Self::load_v2(rest)?;
        // Not parsed yet: the stored table has the answer.
        doc.seq = match doc.log.unparsed() {
            Some(p) => p.max_seqs.get(&actor),
            None => doc
                .log
                .get()
                .by_actor
                .get(&actor)
                .map_or(0, ActorLog::max_seq),
        };
        doc.actor = actor;
        Ok(doc)
    }

    /// Take one op of a stored log (see [`Doc::from_snapshot`]); `apply_it` is false when
    /// the snapshot carries its state.
    fn load_op(&mut self, op: Op, apply_it: bool) -> Result<(), SnapshotError> {
        if !self.log.get().check_stored(&op)? {
            return Ok(());
        }
        self.hlc = self.hlc.observe(op.hlc);
        if op.id.actor == self.actor {
            self.seq = self.seq.max(op.id.seq);
        }
        self.insert(op, apply_it);
        Ok(())
    }

    /// Rebuild a replica from a snapshot: the state as stored if present, else replayed
    /// from the log; the version vector, sequence and clock are always recomputed from
    /// the log, which is what they must agree with.
    pub fn from_snapshot(snap: Snapshot) -> Result<Doc, SnapshotError> {
        if snap.format != SNAPSHOT_FORMAT {
            return Err(SnapshotError::WrongFormat(snap.format));
        }
        let mut doc = Doc::new(snap.actor);
        let replay = snap.workshop.is_none();
        if let Some(w) = snap.workshop {
            doc.workshop = w;
        }
        for op in snap.log {
            doc.load_op(op, replay)?;
        }
        Ok(doc)
    }
}

/// The version vector a stored snapshot records (what [`Doc::save`] wrote, or the `vv`
/// field of a `/1` [`Snapshot`]), without building the replica: enough to tell that a
/// replica already has everything the snapshot holds (`mine.includes(&stored)`) before
/// paying for [`Doc::load`].
///
/// A `/2` text is read from its two ends only: the fixed prefix, and the version vector
/// written as its last field; neither the state nor the log is parsed, so a text damaged
/// in between still answers here and is caught by [`Doc::load`]. A `/1` text is read
/// whole, but its log and state are skipped, not decoded. Errors as [`Doc::load`] gives
/// them: [`SnapshotError::BadLayout`] for a `/2` text not laid out as saved,
/// [`SnapshotError::Unreadable`] for text that is no snapshot or whose version vector is
/// not one, [`SnapshotError::WrongFormat`] for another format.
pub fn stored_version_vector(text: &str) -> Result<VersionVector, SnapshotError> {
    if let Some(rest) = text.strip_prefix(V2_PREFIX) {
        return split_vv(rest)?.2;
    }
    #[derive(Deserialize)]
    struct V1 {
        format: String,
        vv: VersionVector,
    }
    let v1: V1 = serde_json::from_str(text).map_err(unreadable)?;
    if v1.format != SNAPSHOT_FORMAT {
        return Err(SnapshotError::WrongFormat(v1.format));
    }
    Ok(v1.vv)
}

/// The end of a `/2` snapshot (`after`: what follows the state, or the prefix) split at
/// its top-level `,"vv":` into what comes before it, the version vector's text, and that
/// text read as one.
///
/// A key's quotes are never escaped and a string's always are, and no op or state has a
/// `vv` key, so the field is the last `,"vv":`, unless an actor is named `vv`: then that
/// is its key inside the version vector, and the field is the last earlier `,"vv":`
/// whose text reads as a version vector. When none does, the last one is taken.
fn split_vv(
    after: &str,
) -> Result<(&str, &str, Result<VersionVector, SnapshotError>), SnapshotError> {
    let at = after
        .rfind(V2_VV)
        .ok_or(SnapshotError::BadLayout("no vv after the log"))?;
    let body = after.strip_suffix('}').ok_or(SnapshotError::BadLayout(
        "the snapshot does not end after vv",
    ))?;
    let read = |at: usize| {
        let vv = body.get(at + V2_VV.len()..).unwrap_or_default();
        (&body[..at], vv, serde_json::from_str::<VersionVector>(vv))
    };
    let (log, vv, parsed) = read(at);
    if parsed.is_err() {
        let mut end = at;
        while let Some(earlier) = body[..end].rfind(V2_VV) {
            if let (log, vv, Ok(parsed)) = read(earlier) {
                return Ok((log, vv, Ok(parsed)));
            }
            end = earlier;
        }
    }
    Ok((log, vv, parsed.map_err(unreadable)))
}

fn unreadable(e: serde_json::Error) -> SnapshotError {
    SnapshotError::Unreadable {
        line: e.line(),
        column: e.column(),
    }
}

/// Parses a snapshot object into a [`Doc`] as it reads it. Field order is free (the
/// state, if present, wins over the replay whenever it comes); `vv` is read and
/// ignored, as [`Doc::from_snapshot`] recomputes it from the log.
struct LoadSeed<'b> {
    /// Set when the JSON is fine but the snapshot is not; the parse is then aborted.
    bad: &'b mut Option<SnapshotError>,
}

/// One key of a snapshot object.
enum SnapshotKey {
    Format,
    Actor,
    Workshop,
    Log,
    Vv,
    Other,
}

impl<'de> Deserialize<'de> for SnapshotKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = SnapshotKey;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a snapshot field name")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<SnapshotKey, E> {
                Ok(match s {
                    "format" => SnapshotKey::Format,
                    "actor" => SnapshotKey::Actor,
                    "workshop" => SnapshotKey::Workshop,
                    "log" => SnapshotKey::Log,
                    "vv" => SnapshotKey::Vv,
                    _ => SnapshotKey::Other,
                })
            }
        }
        d.deserialize_identifier(V)
    }
}

impl<'de> DeserializeSeed<'de> for LoadSeed<'_> {
    type Value = Doc;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Doc, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for LoadSeed<'_> {
    type Value = Doc;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Bijeen snapshot object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Doc, A::Error> {
        let mut doc = Doc::new(ActorId::default());
        let (mut format, mut actor, mut workshop) = (None, None, None::<Option<Workshop>>);
        let (mut log_seen, mut vv_seen) = (false, false);
        while let Some(key) = map.next_key::<SnapshotKey>()? {
            match key {
                SnapshotKey::Format => {
                    let f: String = once(&mut map, format.is_some(), "format")?;
                    if f != SNAPSHOT_FORMAT {
                        *self.bad = Some(SnapshotError::WrongFormat(f));
                        return Err(de::Error::custom("wrong snapshot format"));
                    }
                    format = Some(f);
                }
                SnapshotKey::Actor => actor = Some(once(&mut map, actor.is_some(), "actor")?),
                SnapshotKey::Workshop => {
                    workshop = Some(once(&mut map, workshop.is_some(), "workshop")?);
                }
                SnapshotKey::Log => {
                    if log_seen {
                        return Err(de::Error::duplicate_field("log"));
                    }
                    log_seen = true;
                    let replay = !matches!(workshop, Some(Some(_)));
                    map.next_value_seed(LogSeed {
                        sink: |op| doc.load_op(op, replay),
                        bad: self.bad,
                    })?;
                }
                SnapshotKey::Vv => {
                    let _: de::IgnoredAny = once(&mut map, vv_seen, "vv")?;
                    vv_seen = true;
                }
                SnapshotKey::Other => {
                    map.next_value::<de::IgnoredAny>()?;
                }
            }
        }
        if format.is_none() {
            return Err(de::Error::missing_field("format"));
        }
        let Some(actor) = actor else {
            return Err(de::Error::missing_field("actor"));
        };
        if !log_seen {
            return Err(de::Error::missing_field("log"));
        }
        if !vv_seen {
            return Err(de::Error::missing_field("vv"));
        }
        if let Some(Some(w)) = workshop {
            doc.workshop = w;
        }
        // The log was read before the actor was known, perhaps: never reuse a number.
        doc.seq = doc
            .log
            .get()
            .by_actor
            .get(&actor)
            .map_or(0, ActorLog::max_seq);
        doc.actor = actor;
        Ok(doc)
    }
}

/// The value of a field that must appear once.
fn once<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    seen: bool,
    name: &'static str,
) -> Result<T, A::Error> {
    if seen {
        return Err(de::Error::duplicate_field(name));
    }
    map.next_value()
}

/// The `log` array of a snapshot, each op handed to `sink` as it is parsed.
pub(super) struct LogSeed<'b, F> {
    pub(super) sink: F,
    pub(super) bad: &'b mut Option<SnapshotError>,
}

impl<'de, F: FnMut(Op) -> Result<(), SnapshotError>> DeserializeSeed<'de> for LogSeed<'_, F> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, F: FnMut(Op) -> Result<(), SnapshotError>> Visitor<'de> for LogSeed<'_, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of ops")
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        while let Some(op) = seq.next_element::<Op>()? {
            if let Err(e) = (self.sink)(op) {
                *self.bad = Some(e);
                return Err(de::Error::custom("inconsistent snapshot log"));
            }
        }
        Ok(())
    }
}
