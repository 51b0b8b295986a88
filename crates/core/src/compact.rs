//! The state part of a `bijeen-snapshot/2` (see [`crate::doc`]): the whole [`Workshop`]
//! as nested JSON arrays, so a stored replica opens without replaying its log.
//!
//! Why a format of its own: the serde form of the state spells every field name and
//! carries a full stamp (`[wall_ms, counter, "actor", seq]`) on every register, which made
//! it as slow to read as replaying the log. Here
//! - a struct is its fields in declaration order, spliced into the enclosing array (no
//!   names, no brackets of its own);
//! - a register is `[value, stamp]` with `stamp` an index into one table of distinct
//!   stamps (the five registers a `create_note` writes share one entry), or `0` when it
//!   still holds its type's default value and stamp (most registers of most notes);
//! - a map is one element: an array of rows `[key, value...]` in key order;
//! - plain values (ids, enums, fixed-at-creation fields) are their ordinary serde JSON.
//!
//! Every struct is destructured without `..` when written, so adding a field to the model
//! fails to compile here instead of silently dropping it from stored snapshots.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::io::Write as _;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::doc::VersionVector;
use crate::ids::{ActorId, Hlc, Stamp};
use crate::lww::Lww;
use crate::model::{
    Agreement, BearWall, Block, Board, Group, Meta, Note, Participant, Plan, VoteRound, Workshop,
};

/// Writes elements of nested arrays, placing the commas.
pub(crate) struct Enc<'w> {
    out: Vec<u8>,
    /// Whether the next element is the first of its array (no comma before it).
    first: bool,
    actors: Vec<&'w ActorId>,
    actor_ix: HashMap<&'w str, u32>,
    /// Distinct stamps as `(actor index, seq, wall_ms, counter)`, in order of first use.
    stamps: Vec<(u32, u64, i64, u32)>,
    stamp_ix: HashMap<&'w Stamp, u32>,
}

impl<'w> Enc<'w> {
    fn new() -> Self {
        Enc {
            out: Vec::new(),
            first: true,
            actors: Vec::new(),
            actor_ix: HashMap::new(),
            stamps: Vec::new(),
            stamp_ix: HashMap::new(),
        }
    }

    fn sep(&mut self) {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
    }

    fn open(&mut self) {
        self.sep();
        self.out.push(b'[');
        self.first = true;
    }

    fn close(&mut self) {
        self.out.push(b']');
        self.first = false;
    }

    fn plain<T: Serialize + ?Sized>(&mut self, v: &T) {
        self.sep();
        json_into(&mut self.out, v);
    }

    fn stamp(&mut self, s: &'w Stamp) -> u32 {
        if let Some(i) = self.stamp_ix.get(s) {
            return *i;
        }
        let actor = match self.actor_ix.get(s.actor.as_str()) {
            Some(a) => *a,
            None => {
                let a = u32::try_from(self.actors.len()).unwrap_or(u32::MAX);
                self.actors.push(&s.actor);
                self.actor_ix.insert(s.actor.as_str(), a);
                a
            }
        };
        let i = u32::try_from(self.stamps.len()).unwrap_or(u32::MAX);
        self.stamps
            .push((actor, s.seq, s.hlc.wall_ms, s.hlc.counter));
        self.stamp_ix.insert(s, i);
        i
    }
}

/// Serialising plain model data (string keys, no maps with non-string keys) cannot fail,
/// so the error is dropped.
fn json_into<T: Serialize + ?Sized>(out: &mut Vec<u8>, v: &T) {
    let _ = serde_json::to_writer(out, v);
}

/// A value in the compact form: written into an [`Enc`], read back from the elements of
/// the array it was written into.
pub(crate) trait Compact: Sized {
    fn write<'w>(&'w self, enc: &mut Enc<'w>);
    fn read<'de, A: SeqAccess<'de>>(seq: &mut A, stamps: &[Stamp]) -> Result<Self, A::Error>;
}

/// The next element of an array, which the writer always puts there.
fn next_plain<'de, A: SeqAccess<'de>, T: Deserialize<'de>>(seq: &mut A) -> Result<T, A::Error> {
    seq.next_element()?
        .ok_or_else(|| de::Error::custom("snapshot state ends early"))
}

impl<T: Serialize + for<'de> Deserialize<'de> + Default + PartialEq> Compact for Lww<T> {
    fn write<'w>(&'w self, enc: &mut Enc<'w>) {
        if self.stamp == Stamp::default() && self.value == T::default() {
            enc.plain(&0u8);
        } else {
            let i = enc.stamp(&self.stamp);
            enc.open();
            enc.plain(&self.value);
            enc.plain(&i);
            enc.close();
        }
    }

    fn read<'de, A: SeqAccess<'de>>(seq: &mut A, stamps: &[Stamp]) -> Result<Self, A::Error> {
        seq.next_element_seed(RegSeed {
            stamps,
            t: PhantomData,
        })?
        .ok_or_else(|| de::Error::custom("snapshot state ends early"))
    }
}

struct RegSeed<'s, T> {
    stamps: &'s [Stamp],
    t: PhantomData<T>,
}

impl<'de, T: for<'a> Deserialize<'a> + Default> DeserializeSeed<'de> for RegSeed<'_, T> {
    type Value = Lww<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Lww<T>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, T: for<'a> Deserialize<'a> + Default> Visitor<'de> for RegSeed<'_, T> {
    type Value = Lww<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a register: 0 or [value, stamp index]")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Lww<T>, E> {
        if v == 0 {
            Ok(Lww::default())
        } else {
            Err(E::invalid_value(de::Unexpected::Unsigned(v), &self))
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Lww<T>, A::Error> {
        let value: T = next_plain(&mut seq)?;
        let i: usize = next_plain(&mut seq)?;
        let stamp = self
            .stamps
            .get(i)
            .ok_or_else(|| de::Error::custom("register names a stamp that is not in the table"))?
            .clone();
        Ok(Lww { value, stamp })
    }
}

impl<K, V> Compact for BTreeMap<K, V>
where
    K: Ord + Serialize + for<'de> Deserialize<'de>,
    V: Compact,
{
    fn write<'w>(&'w self, enc: &mut Enc<'w>) {
        enc.open();
        for (k, v) in self {
            enc.open();
            enc.plain(k);
            v.write(enc);
            enc.close();
        }
        enc.close();
    }

    fn read<'de, A: SeqAccess<'de>>(seq: &mut A, stamps: &[Stamp]) -> Result<Self, A::Error> {
        seq.next_element_seed(Rows::<K, V> {
            stamps,
            kv: PhantomData,
        })?
        .ok_or_else(|| de::Error::custom("snapshot state ends early"))
    }
}

/// A map: its rows in key order.
struct Rows<'s, K, V> {
    stamps: &'s [Stamp],
    kv: PhantomData<(K, V)>,
}

impl<'de, K, V> DeserializeSeed<'de> for Rows<'_, K, V>
where
    K: Ord + for<'a> Deserialize<'a>,
    V: Compact,
{
    type Value = BTreeMap<K, V>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, K, V> Visitor<'de> for Rows<'_, K, V>
where
    K: Ord + for<'a> Deserialize<'a>,
    V: Compact,
{
    type Value = BTreeMap<K, V>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of [key, value...] rows")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        // Collected first: rows come in key order, and a map built from sorted pairs is
        // built in one pass instead of one search per key.
        let mut rows = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(row) = seq.next_element_seed(Row::<K, V> {
            stamps: self.stamps,
            kv: PhantomData,
        })? {
            rows.push(row);
        }
        Ok(rows.into_iter().collect())
    }
}

struct Row<'s, K, V> {
    stamps: &'s [Stamp],
    kv: PhantomData<(K, V)>,
}

impl<'de, K: for<'a> Deserialize<'a>, V: Compact> DeserializeSeed<'de> for Row<'_, K, V> {
    type Value = (K, V);
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(K, V), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, K: for<'a> Deserialize<'a>, V: Compact> Visitor<'de> for Row<'_, K, V> {
    type Value = (K, V);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a [key, value...] row")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(K, V), A::Error> {
        let k = next_plain(&mut seq)?;
        let v = V::read(&mut seq, self.stamps)?;
        Ok((k, v))
    }
}

/// `Compact` for a struct: `plain` fields are their serde JSON, `c` fields are
/// [`Compact`] (registers, maps, nested structs). The destructuring names every field,
/// so a field added to the model is a compile error here.
macro_rules! compact_struct {
    ($ty:ident { $($f:ident: $kind:ident),* $(,)? }) => {
        impl Compact for $ty {
            fn write<'w>(&'w self, enc: &mut Enc<'w>) {
                let $ty { $($f),* } = self;
                $( compact_struct!(@w $kind, enc, $f); )*
            }
            fn read<'de, A: SeqAccess<'de>>(
                seq: &mut A,
                stamps: &[Stamp],
            ) -> Result<Self, A::Error> {
                // Unused by structs of plain fields only.
                let _ = stamps;
                Ok($ty { $($f: compact_struct!(@r $kind, seq, stamps)),* })
            }
        }
    };
    (@w plain, $enc:ident, $f:ident) => { $enc.plain($f) };
    (@w c, $enc:ident, $f:ident) => { $f.write($enc) };
    (@r plain, $seq:ident, $stamps:ident) => { next_plain($seq)? };
    (@r c, $seq:ident, $stamps:ident) => { Compact::read($seq, $stamps)? };
}

compact_struct!(Meta {
    title: c,
    date: c,
    planned_start_min: c,
    planned_end_min: c,
    utc_offset_min: c,
    language: c,
    template: c,
    practical_assignment: c,
});
compact_struct!(Block {
    created: plain,
    title: c,
    duration_min: c,
    work_form: c,
    materials: c,
    lead: c,
    notes: c,
    examples: c,
    activity: c,
    order: c,
    actual_start_ms: c,
    actual_end_ms: c,
    deleted: c,
});
compact_struct!(Board {
    open: c,
    hide_until_revealed: c,
    revealed: c,
    voting: c,
});
compact_struct!(BearWall {
    phase: c,
    anonymous: c,
    spotlight: c,
});
compact_struct!(Group {
    created: plain,
    name: c,
    colour: c,
    order: c,
    deleted: c,
});
compact_struct!(Note {
    created: plain,
    board: plain,
    author: plain,
    group: c,
    category: c,
    text: c,
    colour: c,
    order: c,
    stacked_on: c,
    cluster_title: c,
    hidden: c,
    deleted: c,
    bear_status: c,
    bear_answer: c,
});
compact_struct!(VoteRound {
    board: plain,
    budget: plain,
    allow_multiple: plain,
});
compact_struct!(Agreement {
    created: plain,
    bear: plain,
    list: c,
    text: c,
    owner: c,
    due: c,
    done: c,
    order: c,
    deleted: c,
});
compact_struct!(Plan {
    created: plain,
    source_note: plain,
    name: c,
    partners: c,
    bouwer: c,
    verbinder: c,
    aanjager: c,
    colleagues: c,
    target_members: c,
    target_activities: c,
    target_date: c,
    start_phase_months: c,
    deleted: c,
});
compact_struct!(Participant {
    joined: plain,
    name: c,
    group: c,
    role: c,
});
compact_struct!(Workshop {
    meta: c,
    blocks: c,
    timer: c,
    brainstorm: c,
    bears_board: c,
    bear_wall: c,
    groups: c,
    notes: c,
    rounds: c,
    votes: c,
    agreements: c,
    plans: c,
    participants: c,
});

/// What a `/2` snapshot stores besides the log: enough to open the replica without
/// reading the log.
#[derive(Debug)]
pub(crate) struct Head {
    pub actor: ActorId,
    pub hlc: Hlc,
    /// Highest sequence number of each actor in the log, gap or not (so a window that
    /// continues as any actor never reuses a number).
    pub max_seqs: VersionVector,
    pub workshop: Workshop,
}

/// The head as one JSON array:
/// `[actor, hlc, max_seqs, actors, stamps, workshop...]`, `stamps` flat as
/// `actor index, seq, wall_ms, counter` four numbers per stamp.
pub(crate) fn write_head(
    out: &mut Vec<u8>,
    actor: &ActorId,
    hlc: Hlc,
    max_seqs: &VersionVector,
    w: &Workshop,
) {
    let mut enc = Enc::new();
    w.write(&mut enc);
    out.push(b'[');
    json_into(out, actor);
    out.push(b',');
    json_into(out, &hlc);
    out.push(b',');
    json_into(out, max_seqs);
    out.push(b',');
    json_into(out, &enc.actors);
    out.push(b',');
    out.push(b'[');
    for (i, (a, seq, wall, counter)) in enc.stamps.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        // Writing into a Vec cannot fail.
        let _ = write!(out, "{a},{seq},{wall},{counter}");
    }
    out.push(b']');
    if !enc.out.is_empty() {
        out.push(b',');
        out.extend_from_slice(&enc.out);
    }
    out.push(b']');
}

impl<'de> Deserialize<'de> for Head {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Head, D::Error> {
        d.deserialize_seq(HeadVisitor)
    }
}

struct HeadVisitor;

impl<'de> Visitor<'de> for HeadVisitor {
    type Value = Head;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a snapshot state array")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Head, A::Error> {
        let actor: ActorId = next_plain(&mut seq)?;
        let hlc: Hlc = next_plain(&mut seq)?;
        let max_seqs: VersionVector = next_plain(&mut seq)?;
        let actors: Vec<ActorId> = next_plain(&mut seq)?;
        let stamps = seq
            .next_element_seed(StampTable { actors: &actors })?
            .ok_or_else(|| de::Error::custom("snapshot state ends early"))?;
        let workshop = Workshop::read(&mut seq, &stamps)?;
        Ok(Head {
            actor,
            hlc,
            max_seqs,
            workshop,
        })
    }
}

/// The flat stamp table, each stamp sharing its actor's string with the actor table.
struct StampTable<'a> {
    actors: &'a [ActorId],
}

impl<'de> DeserializeSeed<'de> for StampTable<'_> {
    type Value = Vec<Stamp>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<Stamp>, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for StampTable<'_> {
    type Value = Vec<Stamp>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a flat array of stamps")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Stamp>, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(a) = seq.next_element::<usize>()? {
            let actor = self
                .actors
                .get(a)
                .ok_or_else(|| de::Error::custom("stamp names an actor that is not in the table"))?
                .clone();
            let seq_no: u64 = next_plain(&mut seq)?;
            let wall_ms: i64 = next_plain(&mut seq)?;
            let counter: u32 = next_plain(&mut seq)?;
            out.push(Stamp {
                hlc: Hlc { wall_ms, counter },
                actor,
                seq: seq_no,
            });
        }
        Ok(out)
    }
}
