//! The state part of a `bijeen-snapshot/2` (see [`crate::doc`]): the whole [`Workshop`]
//! as nested JSON arrays, so a stored replica opens without replaying its log.
//!
//! Why a format of its own: the serde form of the state spells every field name and
//! carries a full stamp (`[wall_ms, counter, "actor", seq]`) on every register, which made
//! it as slow to read as replaying the log. Here
//! - an entity is its fields spliced into the enclosing array, no names: the fields fixed
//!   at creation, a bit mask of the registers that were ever written, and `value, stamp`
//!   for just those (most registers of most notes never are), `stamp` an index into one
//!   table of distinct stamps (the five registers a `create_note` writes share one entry);
//! - a map is one element: an array of its length, then each key and value spliced in, in
//!   key order;
//! - a lone register (the timer) is `0` when never written, else `[value, stamp]`;
//! - plain values (ids, enums, fixed-at-creation fields) are their ordinary serde JSON.
//!
//! Every struct is destructured without `..` when written, so adding a field to the model
//! fails to compile here instead of silently dropping it from stored snapshots.

use std::collections::BTreeMap;
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

/// How many stamps [`Enc`] remembers: more than the registers of any entity.
const RECENT: usize = 16;

/// Writes elements of nested arrays, placing the commas.
pub(crate) struct Enc<'w> {
    out: Vec<u8>,
    /// Whether the next element is the first of its array (no comma before it).
    first: bool,
    /// Few (one per device): searched in order rather than hashed.
    actors: Vec<&'w ActorId>,
    /// Distinct stamps as `(actor index, seq, wall_ms, counter)`, in order of first use.
    stamps: Vec<(u32, u64, i64, u32)>,
    /// The last stamps named, newest last, searched instead of a map of all of them:
    /// the registers one op wrote sit together in an entity, and a hash map would add
    /// kilobytes to the app's wasm. A stamp missed here is only a second equal table entry.
    recent: Vec<((usize, u64, i64, u32), u32)>,
}

impl<'w> Enc<'w> {
    fn new() -> Self {
        Enc {
            out: Vec::new(),
            first: true,
            actors: Vec::new(),
            stamps: Vec::new(),
            recent: Vec::with_capacity(RECENT),
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

    /// How a register names its stamp: `0` for a stamp used for the first time (the
    /// next one in the table), else how far back in the table it is (`1` for the last
    /// new one). Both are a digit or two where an index would take five.
    fn stamp(&mut self, s: &'w Stamp) -> u32 {
        let known = u32::try_from(self.stamps.len()).unwrap_or(u32::MAX);
        let i = self.stamp_index(s);
        if i == known { 0 } else { known - i }
    }

    fn stamp_index(&mut self, s: &'w Stamp) -> u32 {
        let key = (
            s.actor.as_str().as_ptr() as usize,
            s.seq,
            s.hlc.wall_ms,
            s.hlc.counter,
        );
        if let Some((_, i)) = self.recent.iter().rev().find(|(k, _)| *k == key) {
            return *i;
        }
        let actor = match self
            .actors
            .iter()
            .position(|a| a.as_str() == s.actor.as_str())
        {
            Some(a) => a,
            None => {
                self.actors.push(&s.actor);
                self.actors.len() - 1
            }
        };
        let actor = u32::try_from(actor).unwrap_or(u32::MAX);
        let i = u32::try_from(self.stamps.len()).unwrap_or(u32::MAX);
        self.stamps
            .push((actor, s.seq, s.hlc.wall_ms, s.hlc.counter));
        if self.recent.len() == RECENT {
            self.recent.remove(0);
        }
        self.recent.push((key, i));
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
    fn read<'de, A: SeqAccess<'de>>(seq: &mut A, cx: &mut Cx) -> Result<Self, A::Error>;
}

/// The next element of an array, which the writer always puts there.
fn next_plain<'de, A: SeqAccess<'de>, T: Deserialize<'de>>(seq: &mut A) -> Result<T, A::Error> {
    seq.next_element()?
        .ok_or_else(|| de::Error::custom("snapshot state ends early"))
}

impl<T: Serialize + for<'de> Deserialize<'de> + Default + PartialEq> Compact for Lww<T> {
    fn write<'w>(&'w self, enc: &mut Enc<'w>) {
        if is_default(self) {
            enc.plain(&0u8);
        } else {
            let i = enc.stamp(&self.stamp);
            enc.open();
            enc.plain(&self.value);
            enc.plain(&i);
            enc.close();
        }
    }

    fn read<'de, A: SeqAccess<'de>>(seq: &mut A, cx: &mut Cx) -> Result<Self, A::Error> {
        seq.next_element_seed(RegSeed { cx, t: PhantomData })?
            .ok_or_else(|| de::Error::custom("snapshot state ends early"))
    }
}

struct RegSeed<'s, T> {
    cx: &'s mut Cx,
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
        let stamp = self.cx.stamp(next_plain(&mut seq)?)?;
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
        enc.plain(&self.len());
        for (k, v) in self {
            enc.plain(k);
            v.write(enc);
        }
        enc.close();
    }

    fn read<'de, A: SeqAccess<'de>>(seq: &mut A, cx: &mut Cx) -> Result<Self, A::Error> {
        seq.next_element_seed(Rows::<K, V> {
            cx,
            kv: PhantomData,
        })?
        .ok_or_else(|| de::Error::custom("snapshot state ends early"))
    }
}

/// A map: its length, then key and value of each entry, in key order.
struct Rows<'s, K, V> {
    cx: &'s mut Cx,
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
        f.write_str("an array of a row count and rows of key and value")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        // Inserted as read: collecting sorted rows and building the map from them would
        // move every (large) entity three more times, which costs more than the searches.
        let n: usize = next_plain(&mut seq)?;
        let mut map = BTreeMap::new();
        for _ in 0..n {
            let k = next_plain(&mut seq)?;
            let v = V::read(&mut seq, self.cx)?;
            map.insert(k, v);
        }
        Ok(map)
    }
}

/// `Compact` for a struct whose fields are either `plain` (their serde JSON, fixed at
/// creation), registers, or one `flag` (a bool kept in the mask's top bit). Written as
/// the plain fields, then a bit mask of the registers
/// that differ from `Lww::default()`, then `value, stamp index` of just those: most
/// registers of most entities were never written, and every token costs on load. The
/// destructuring names every field, so a field added to the model is a compile error
/// here until it is listed.
macro_rules! compact_entity {
    ($ty:ident { $(flag: $fl:ident,)? plain: [$($p:ident),*], regs: [$($r:ident),*] $(,)? }) => {
        impl Compact for $ty {
            fn write<'w>(&'w self, enc: &mut Enc<'w>) {
                let $ty { $($fl,)? $($p,)* $($r,)* } = self;
                $( enc.plain($p); )*
                let mut mask = 0u32;
                $(
                    if *$fl {
                        mask |= FLAG;
                    }
                )?
                let mut bit = 1u32;
                $(
                    if !is_default($r) {
                        mask |= bit;
                    }
                    bit <<= 1;
                )*
                let _ = bit;
                enc.plain(&mask);
                $(
                    if !is_default($r) {
                        enc.plain(&$r.value);
                        let i = enc.stamp(&$r.stamp);
                        enc.plain(&i);
                    }
                )*
            }
            // Filled in place from a default entity: building it from locals gave every
            // early return its own drop of the fields read so far, which was most of the
            // decoder's wasm.
            #[allow(clippy::field_reassign_with_default)]
            fn read<'de, A: SeqAccess<'de>>(
                seq: &mut A,
                cx: &mut Cx,
            ) -> Result<Self, A::Error> {
                let mut e = $ty::default();
                $( e.$p = next_plain(seq)?; )*
                let mask: u32 = next_plain(seq)?;
                $( e.$fl = mask & FLAG != 0; )?
                let mut bit = 1u32;
                $(
                    read_reg_into(seq, cx, mask & bit != 0, &mut e.$r)?;
                    bit <<= 1;
                )*
                let _ = (bit, mask, &cx);
                Ok(e)
            }
        }
    };
}

/// The mask bit for an entity's `created` (or `joined`) flag, which is nearly always set:
/// one token fewer per entity. Registers take the low bits (at most 13 per entity).
const FLAG: u32 = 1 << 31;

/// Whether a register still holds its type's default value and the initial stamp.
fn is_default<T: Default + PartialEq>(r: &Lww<T>) -> bool {
    let s = &r.stamp;
    s.seq == 0 && s.hlc == Hlc::default() && s.actor.as_str().is_empty() && r.value == T::default()
}

/// The register `slot`, if `written`: its `value, stamp` spliced into the entity.
#[inline(never)]
fn read_reg_into<'de, A: SeqAccess<'de>, T: Deserialize<'de>>(
    seq: &mut A,
    cx: &mut Cx,
    written: bool,
    slot: &mut Lww<T>,
) -> Result<(), A::Error> {
    if written {
        *slot = read_reg(seq, cx)?;
    }
    Ok(())
}

/// A written register spliced into its entity: `value, stamp index`.
fn read_reg<'de, A: SeqAccess<'de>, T: Deserialize<'de>>(
    seq: &mut A,
    cx: &mut Cx,
) -> Result<Lww<T>, A::Error> {
    let value = next_plain(seq)?;
    let stamp = cx.stamp(next_plain(seq)?)?;
    Ok(Lww { value, stamp })
}

/// The stamp table while the state is read, and how many of its stamps were named.
pub(crate) struct Cx {
    stamps: Vec<Stamp>,
    next: usize,
}

impl Cx {
    /// The stamp a register names (see [`Enc::stamp`]).
    fn stamp<E: de::Error>(&mut self, back: usize) -> Result<Stamp, E> {
        let i = if back == 0 {
            self.next += 1;
            self.next - 1
        } else {
            self.next.checked_sub(back).unwrap_or(usize::MAX)
        };
        self.stamps
            .get(i)
            .cloned()
            .ok_or_else(|| E::custom("register names a stamp that is not in the table"))
    }
}

compact_entity!(Meta {
    plain: [],
    regs: [
        title,
        date,
        planned_start_min,
        planned_end_min,
        utc_offset_min,
        language,
        template,
        practical_assignment
    ],
});

compact_entity!(Block {
    flag: created,
    plain: [],
    regs: [
        title,
        duration_min,
        work_form,
        materials,
        lead,
        notes,
        examples,
        activity,
        order,
        actual_start_ms,
        actual_end_ms,
        deleted,
        // Last: a snapshot from before the flag has its bit clear, so it reads as unset.
        flexible
    ],
});

compact_entity!(Board {
    plain: [],
    regs: [open, hide_until_revealed, revealed, voting],
});

compact_entity!(BearWall {
    plain: [],
    regs: [phase, anonymous, spotlight],
});

compact_entity!(Group {
    flag: created,
    plain: [],
    regs: [name, colour, order, deleted],
});

compact_entity!(Note {
    flag: created,
    plain: [board, author],
    regs: [
        group,
        category,
        text,
        colour,
        order,
        stacked_on,
        cluster_title,
        hidden,
        deleted,
        bear_status,
        bear_answer
    ],
});

/// A round has no registers and no default: its three fields and no mask.
impl Compact for VoteRound {
    fn write<'w>(&'w self, enc: &mut Enc<'w>) {
        let VoteRound {
            board,
            budget,
            allow_multiple,
        } = self;
        enc.plain(board);
        enc.plain(budget);
        enc.plain(allow_multiple);
    }
    fn read<'de, A: SeqAccess<'de>>(seq: &mut A, _: &mut Cx) -> Result<Self, A::Error> {
        Ok(VoteRound {
            board: next_plain(seq)?,
            budget: next_plain(seq)?,
            allow_multiple: next_plain(seq)?,
        })
    }
}

compact_entity!(Agreement {
    flag: created,
    plain: [bear],
    regs: [list, text, owner, due, done, order, deleted],
});

compact_entity!(Plan {
    flag: created,
    plain: [source_note],
    regs: [
        name,
        partners,
        bouwer,
        verbinder,
        aanjager,
        colleagues,
        target_members,
        target_activities,
        target_date,
        start_phase_months,
        deleted
    ],
});

compact_entity!(Participant {
    flag: joined,
    plain: [],
    regs: [name, group, role],
});

impl Compact for Workshop {
    fn write<'w>(&'w self, enc: &mut Enc<'w>) {
        let Workshop {
            meta,
            blocks,
            timer,
            brainstorm,
            bears_board,
            bear_wall,
            groups,
            notes,
            rounds,
            votes,
            agreements,
            plans,
            participants,
        } = self;
        meta.write(enc);
        blocks.write(enc);
        timer.write(enc);
        brainstorm.write(enc);
        bears_board.write(enc);
        bear_wall.write(enc);
        groups.write(enc);
        notes.write(enc);
        rounds.write(enc);
        votes.write(enc);
        agreements.write(enc);
        plans.write(enc);
        participants.write(enc);
    }
    // In place, as the entities (see `compact_entity!`), for the size of the code.
    #[allow(clippy::field_reassign_with_default)]
    fn read<'de, A: SeqAccess<'de>>(seq: &mut A, cx: &mut Cx) -> Result<Self, A::Error> {
        let mut w = Workshop::default();
        w.meta = Compact::read(seq, cx)?;
        w.blocks = Compact::read(seq, cx)?;
        w.timer = Compact::read(seq, cx)?;
        w.brainstorm = Compact::read(seq, cx)?;
        w.bears_board = Compact::read(seq, cx)?;
        w.bear_wall = Compact::read(seq, cx)?;
        w.groups = Compact::read(seq, cx)?;
        w.notes = Compact::read(seq, cx)?;
        w.rounds = Compact::read(seq, cx)?;
        w.votes = Compact::read(seq, cx)?;
        w.agreements = Compact::read(seq, cx)?;
        w.plans = Compact::read(seq, cx)?;
        w.participants = Compact::read(seq, cx)?;
        Ok(w)
    }
}

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
/// `[actor, hlc, max_seqs, actors, "stamps", workshop...]`, `stamps` one string of
/// `actor index * 2 + (counter != 0),seq,wall_ms[,counter if not 0]` per stamp, all
/// comma-separated, `wall_ms` as the difference to the previous stamp's.
pub(crate) fn write_head(
    out: &mut Vec<u8>,
    actor: &ActorId,
    hlc: Hlc,
    max_seqs: &VersionVector,
    w: &Workshop,
) {
    let mut enc = Enc::new();
    // About what 5,000 notes take; saves most regrowth of the buffer.
    enc.out
        .reserve(256 * (w.notes.len() + w.blocks.len() + w.agreements.len() + 16));
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
    // One string of comma-separated numbers rather than a JSON array: read by hand in
    // one pass instead of one parser token per number.
    out.push(b'"');
    let mut prev = 0i64;
    for (i, (a, seq, wall, counter)) in enc.stamps.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        // Writing into a Vec cannot fail. Clocks are written as the difference to the
        // previous stamp's: a few digits instead of thirteen. The counter is nearly
        // always 0: it is written only when not, flagged in the low bit of the actor.
        let delta = wall.wrapping_sub(prev);
        let a = u64::from(*a) << 1;
        let _ = if *counter == 0 {
            write!(out, "{a},{seq},{delta}")
        } else {
            write!(out, "{},{seq},{delta},{counter}", a | 1)
        };
        prev = *wall;
    }
    out.push(b'"');
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
        let workshop = Workshop::read(&mut seq, &mut Cx { stamps, next: 0 })?;
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
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for StampTable<'_> {
    type Value = Vec<Stamp>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string of stamps")
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Vec<Stamp>, E> {
        let bad = || E::custom("the stamp table is damaged");
        let mut nums = Numbers(s.as_bytes());
        let mut out = Vec::with_capacity(s.len() / 12);
        let mut wall_ms = 0i64;
        while !nums.0.is_empty() {
            let a = nums.unsigned().ok_or_else(bad)?;
            let actor = usize::try_from(a >> 1)
                .ok()
                .and_then(|i| self.actors.get(i))
                .ok_or_else(bad)?
                .clone();
            let seq = nums.unsigned().ok_or_else(bad)?;
            wall_ms = wall_ms.wrapping_add(nums.signed().ok_or_else(bad)?);
            let counter = if a & 1 == 1 {
                u32::try_from(nums.unsigned().ok_or_else(bad)?).map_err(|_| bad())?
            } else {
                0
            };
            out.push(Stamp {
                hlc: Hlc { wall_ms, counter },
                actor,
                seq,
            });
        }
        Ok(out)
    }
}

/// Comma-separated integers, read one at a time.
struct Numbers<'a>(&'a [u8]);

impl Numbers<'_> {
    /// The next number without a sign, and its comma; `None` if there is none or it
    /// overflows.
    fn unsigned(&mut self) -> Option<u64> {
        let mut n: u64 = 0;
        let mut i = 0;
        while let Some(d) = self.0.get(i).and_then(|b| b.checked_sub(b'0')) {
            if d > 9 {
                break;
            }
            n = n.checked_mul(10)?.checked_add(u64::from(d))?;
            i += 1;
        }
        self.0 = match self.0.get(i..)? {
            _ if i == 0 => return None,
            [] => &[],
            [b',', more @ ..] if !more.is_empty() => more,
            _ => return None,
        };
        Some(n)
    }

    fn signed(&mut self) -> Option<i64> {
        match self.0.split_first() {
            Some((b'-', rest)) => {
                self.0 = rest;
                0i64.checked_sub_unsigned(self.unsigned()?)
            }
            _ => i64::try_from(self.unsigned()?).ok(),
        }
    }
}
