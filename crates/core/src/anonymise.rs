//! Anonymous bears in what leaves the browser.
//!
//! While the bear wall is anonymous, nothing exported may link a bear to a participant's
//! name. The live log does: a bear is created by its author's actor (that is how
//! [`crate::authorize`] lets the author edit it), the same actor's `Join` op carries
//! the display name, and the bear's id (`"{actor}-{seq}"`) repeats the actor.
//!
//! [`anonymous_bears`] rewrites a copy of the log before export: every author's ops on
//! their own bears (creating them, editing them) move to a pseudonymous actor
//! `anon-{k}` that makes no other op, numbered by when that author's first bear was
//! written. Sequence numbers are renumbered so every actor stays contiguous, and every
//! entity id derived from a renumbered op (and every reference to it) is renamed with
//! it. The author is kept only as that opaque id: the bears of one author still share
//! it, so the facilitator of an imported workshop can still see "same writer".
//!
//! What it cannot hide: the clock stamps stay (they decide last-writer-wins), so
//! someone holding the export could still guess from timing which device was busy when
//! a bear was written.
//!
//! An actor whose ops are all bear ops of its own is already opaque and is left alone, so
//! export → import → export gives the same bytes.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::doc::Doc;
use crate::ids::{ActorId, NoteId, OpId};
use crate::model::BoardKind;
use crate::op::{BearWallField, BoardField, NoteField, Op, OpBody, ParticipantField};

const PSEUDONYM_PREFIX: &str = "anon-";

/// The replica as it may leave the browser: the same when the bear wall names its
/// authors (or has no bears), else rebuilt from a log in which no bear is tied to an
/// actor that does anything else.
pub fn anonymous_bears(doc: &Doc) -> Cow<'_, Doc> {
    if !*doc.workshop().bear_wall.anonymous {
        return Cow::Borrowed(doc);
    }
    // The bears each actor created, by id.
    let mut bears_of: BTreeMap<&ActorId, BTreeSet<NoteId>> = BTreeMap::new();
    for op in doc.ops() {
        if let OpBody::CreateNote {
            board: BoardKind::Bears,
            ..
        } = op.body
        {
            bears_of
                .entry(&op.id.actor)
                .or_default()
                .insert(NoteId::from_op(&op.id));
        }
    }
    let own_bear_op = |op: &Op| -> bool {
        let Some(mine) = bears_of.get(&op.id.actor) else {
            return false;
        };
        match &op.body {
            OpBody::CreateNote {
                board: BoardKind::Bears,
                ..
            } => true,
            OpBody::SetNote { id, .. } => mine.contains(id),
            _ => false,
        }
    };
    // Authors that also did something else (joined, voted, wrote a brainstorm note):
    // their bears must move. First bear first, so pseudonyms say nothing about actor ids.
    let mut first_bear: BTreeMap<&ActorId, &Op> = BTreeMap::new();
    let mut linked: BTreeSet<&ActorId> = BTreeSet::new();
    for op in doc.ops() {
        if own_bear_op(op) {
            let first = first_bear.entry(&op.id.actor).or_insert(op);
            if op.stamp() < first.stamp() {
                *first = op;
            }
        } else if bears_of.contains_key(&op.id.actor) {
            linked.insert(&op.id.actor);
        }
    }
    let mut movers: Vec<&Op> = first_bear
        .iter()
        .filter(|(actor, _)| linked.contains(*actor))
        .map(|(_, op)| *op)
        .collect();
    if movers.is_empty() {
        return Cow::Borrowed(doc);
    }
    movers.sort_by_key(|op| op.stamp());
    let taken: BTreeSet<&str> = doc.version_vector().0.keys().map(ActorId::as_str).collect();
    let mut pseudonym: HashMap<&ActorId, ActorId> = HashMap::new();
    let mut k = 0u64;
    for op in movers {
        let name = loop {
            k += 1;
            let name = format!("{PSEUDONYM_PREFIX}{k}");
            if !taken.contains(name.as_str()) {
                break name;
            }
        };
        pseudonym.insert(&op.id.actor, ActorId::new(name));
    }

    // New ids: bear ops of a moved author go to its pseudonym, and every actor's ops
    // are numbered 1, 2, 3, ... again in their old order.
    let mut next_seq: HashMap<ActorId, u64> = HashMap::new();
    let mut renamed: HashMap<String, String> = HashMap::new();
    let mut out: Vec<Op> = Vec::with_capacity(doc.op_count());
    for op in doc.ops() {
        let actor = match pseudonym.get(&op.id.actor) {
            Some(p) if own_bear_op(op) => p.clone(),
            _ => op.id.actor.clone(),
        };
        let seq = next_seq.entry(actor.clone()).or_insert(0);
        *seq += 1;
        let id = OpId { actor, seq: *seq };
        if id != op.id
            && let Some(old) = op.created_id()
        {
            renamed.insert(old, id.to_string());
        }
        out.push(Op {
            id,
            hlc: op.hlc,
            body: op.body.clone(),
        });
    }
    for op in &mut out {
        rename_ids(&mut op.body, &renamed);
    }
    Cow::Owned(Doc::from_unique_ops(doc.actor().clone(), out))
}

/// Rename every entity id in `body` that `renamed` maps (all id kinds share the
/// `"{actor}-{seq}"` space of the op that created them).
fn rename_ids(body: &mut OpBody, renamed: &HashMap<String, String>) {
    let re = |s: &mut String| {
        if let Some(new) = renamed.get(s.as_str()) {
            s.clone_from(new);
        }
    };
    match body {
        OpBody::SetMeta(_)
        | OpBody::Refused
        | OpBody::Withheld
        | OpBody::CreateBlock { .. }
        | OpBody::CreateGroup { .. }
        | OpBody::OpenVoting { .. }
        | OpBody::CreateNote { group: None, .. }
        | OpBody::Join { group: None, .. } => {}
        OpBody::SetBlock { id, .. } => re(&mut id.0),
        OpBody::SetTimer(t) => {
            if let Some(b) = &mut t.current {
                re(&mut b.0);
            }
        }
        OpBody::SetGroup { id, .. } => re(&mut id.0),
        OpBody::SetBoard { field, .. } => match field {
            BoardField::Voting(v) => {
                if let Some(r) = &mut v.round {
                    re(&mut r.0);
                }
            }
            BoardField::Open(_) | BoardField::HideUntilRevealed(_) | BoardField::Revealed(_) => {}
        },
        OpBody::SetBearWall(f) => match f {
            BearWallField::Spotlight(Some(n)) => re(&mut n.0),
            BearWallField::Spotlight(None)
            | BearWallField::Phase(_)
            | BearWallField::Anonymous(_) => {}
        },
        OpBody::CreateNote { group: Some(g), .. } | OpBody::Join { group: Some(g), .. } => {
            re(&mut g.0);
        }
        OpBody::SetNote { id, field } => {
            re(&mut id.0);
            match field {
                NoteField::Group(Some(g)) => re(&mut g.0),
                NoteField::StackedOn(Some(n)) => re(&mut n.0),
                NoteField::Text(_)
                | NoteField::Group(None)
                | NoteField::Category(_)
                | NoteField::Colour(_)
                | NoteField::Order(_)
                | NoteField::StackedOn(None)
                | NoteField::ClusterTitle(_)
                | NoteField::Hidden(_)
                | NoteField::Deleted(_)
                | NoteField::BearStatus(_)
                | NoteField::BearAnswer(_) => {}
            }
        }
        OpBody::SetVote { round, note, .. } => {
            re(&mut round.0);
            re(&mut note.0);
        }
        OpBody::CreateAgreement { bear, .. } => {
            if let Some(n) = bear {
                re(&mut n.0);
            }
        }
        OpBody::SetAgreement { id, .. } => re(&mut id.0),
        OpBody::CreatePlan { source_note, .. } => {
            if let Some(n) = source_note {
                re(&mut n.0);
            }
        }
        OpBody::SetPlan { id, .. } => re(&mut id.0),
        // Participant ids are actor ids, and no actor is renamed (only ops move).
        OpBody::SetParticipant { field, .. } => match field {
            ParticipantField::Group(Some(g)) => re(&mut g.0),
            ParticipantField::Group(None)
            | ParticipantField::Name(_)
            | ParticipantField::Role(_) => {}
        },
    }
}
