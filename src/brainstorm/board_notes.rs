//! Each note of the brainstorm board as a card shows it, in a signal of its own.

use std::collections::HashMap;
use std::sync::Arc;

use bijeen_core::{Category, GroupId, Note, NoteId, ParticipantId, Workshop};
use leptos::prelude::{
    GetUntracked, Memo, SetValue, Signal, StoredValue, WithUntracked, WithValue,
};

use crate::brainstorm::{BOARD, placement, vote_totals};
use crate::workshop::keyed_signals::KeyedSignals;
use crate::workshop::replica::Touched;
use crate::workshop::session::WorkshopSession;

/// What a card shows of one note. Compared by its `Memo`, so a card updates only when its
/// own note (or its votes) changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoteSnapshot {
    pub text: String,
    pub category: Option<Category>,
    pub group: Option<GroupId>,
    pub author: ParticipantId,
    pub author_name: String,
    pub hidden: bool,
    pub stacked: bool,
    pub cluster_title: String,
    /// Votes in the round shown for the board (open or last closed).
    pub votes: u32,
    /// The viewer's own dots on this note in the open round.
    pub my_votes: u32,
}

/// A [`NoteSnapshot`] borrowed from the workshop: compared with a card's last snapshot
/// first, so an unchanged note costs no allocation.
struct NoteView<'a> {
    text: &'a str,
    category: Option<Category>,
    group: Option<&'a GroupId>,
    author: &'a ParticipantId,
    author_name: &'a str,
    hidden: bool,
    stacked: bool,
    cluster_title: &'a str,
    votes: u32,
    my_votes: u32,
}

fn view_of<'a>(
    w: &'a Workshop,
    id: &NoteId,
    note: &'a Note,
    votes: u32,
    my_votes: u32,
) -> NoteView<'a> {
    let (root, group) = placement(w, id, note);
    NoteView {
        text: &note.text.value,
        category: *note.category,
        group,
        author: &note.author,
        author_name: w
            .participant(&note.author)
            .map(|p| p.name.value.as_str())
            .unwrap_or_default(),
        hidden: *note.hidden,
        stacked: root.is_some(),
        cluster_title: &note.cluster_title.value,
        votes,
        my_votes,
    }
}

impl NoteView<'_> {
    fn matches(&self, s: &NoteSnapshot) -> bool {
        self.text == s.text
            && self.category == s.category
            && self.group == s.group.as_ref()
            && *self.author == s.author
            && self.author_name == s.author_name
            && self.hidden == s.hidden
            && self.stacked == s.stacked
            && self.cluster_title == s.cluster_title
            && self.votes == s.votes
            && self.my_votes == s.my_votes
    }

    fn to_snapshot(&self) -> NoteSnapshot {
        NoteSnapshot {
            text: self.text.to_owned(),
            category: self.category,
            group: self.group.cloned(),
            author: self.author.clone(),
            author_name: self.author_name.to_owned(),
            hidden: self.hidden,
            stacked: self.stacked,
            cluster_title: self.cluster_title.to_owned(),
            votes: self.votes,
            my_votes: self.my_votes,
        }
    }
}

/// What changed in a board's notes since `shown` (what the cards show now): a new
/// snapshot for each note that is new or changed, `None` for each note that is gone.
/// Votes are tallied once here instead of once per note, and an unchanged note costs a
/// comparison, no allocation.
fn note_changes(
    w: &Workshop,
    me: Option<&ParticipantId>,
    shown: &HashMap<NoteId, Option<Arc<NoteSnapshot>>>,
) -> Vec<(NoteId, Option<Option<Arc<NoteSnapshot>>>)> {
    let totals = vote_totals(w);
    let mine: HashMap<&NoteId, u32> = match (me, w.open_round(BOARD)) {
        (Some(me), Some((round, _))) => w.votes_of(round, me).into_iter().collect(),
        _ => HashMap::new(),
    };
    let mut changes = Vec::new();
    let mut live = 0;
    let mut new = 0;
    for (id, note) in &w.notes {
        if !note.is_live() || note.board != BOARD {
            continue;
        }
        live += 1;
        let count = |map: &HashMap<&NoteId, u32>| map.get(id).copied().unwrap_or(0);
        let view = view_of(w, id, note, count(&totals), count(&mine));
        match shown.get(id) {
            Some(Some(snapshot)) if view.matches(snapshot) => continue,
            Some(_) => {}
            None => new += 1,
        }
        changes.push((id.clone(), Some(Some(Arc::new(view.to_snapshot())))));
    }
    // Every live note is shown now, so any more shown notes are gone.
    if shown.len() + new != live {
        changes.extend(
            shown
                .keys()
                .filter(|id| !w.note(id).is_some_and(|n| n.is_live() && n.board == BOARD))
                .map(|id| (id.clone(), None)),
        );
    }
    changes
}

/// [`note_changes`] for the notes in `ids` only, when no other note can have changed (a
/// change that [`Touched`] only these): each note is looked up and its votes counted over
/// the shown round's ballots, instead of walking the board and tallying every ballot.
/// Gives the same changes the full pass would for these notes, so with a correct
/// [`Touched`] the cards end up exactly as after a full pass.
fn note_changes_for<'i>(
    w: &Workshop,
    me: Option<&ParticipantId>,
    shown: &HashMap<NoteId, Option<Arc<NoteSnapshot>>>,
    ids: impl IntoIterator<Item = &'i NoteId>,
) -> Vec<(NoteId, Option<Option<Arc<NoteSnapshot>>>)> {
    let mut changes = Vec::new();
    for id in ids {
        let Some(note) = w.note(id).filter(|note| note.board == BOARD) else {
            // Deleted, not created yet, or another board's note: not a card here.
            if shown.contains_key(id) {
                changes.push((id.clone(), None));
            }
            continue;
        };
        // The counts `vote_totals` and `votes_of` give the full pass, for one note.
        let my_votes = me.map_or(0, |me| w.my_votes_on(id, me));
        let view = view_of(w, id, note, w.vote_total(id), my_votes);
        if let Some(Some(snapshot)) = shown.get(id)
            && view.matches(snapshot)
        {
            continue;
        }
        changes.push((id.clone(), Some(Some(Arc::new(view.to_snapshot())))));
    }
    changes
}

/// Every live note of the brainstorm board as the viewer sees it, each note in a signal
/// of its own that a workshop listener sets only when that note changed: a new note wakes
/// its own card and the lists it is in, not the other cards.
#[derive(Clone, Copy)]
pub struct BoardNotes(KeyedSignals<NoteId, Option<Arc<NoteSnapshot>>>);

impl BoardNotes {
    /// The notes of `session`'s brainstorm board as `me` sees them (my dots included).
    pub fn new(session: WorkshopSession, me: Option<Memo<Option<ParticipantId>>>) -> Self {
        let notes = KeyedSignals::new(HashMap::new());
        // The viewer the cards were last computed for: "my dots" of every note depend on
        // it, so when it changes (a participant's id arrives) every card is redone.
        let viewer = StoredValue::new(me.and_then(|me| me.get_untracked()));
        let refresh = move |w: &Workshop, touched: &Touched| {
            let viewer_changed =
                me.is_some_and(|me| me.with_untracked(|now| viewer.with_value(|last| last != now)));
            if viewer_changed {
                viewer.set_value(me.and_then(|me| me.get_untracked()));
            }
            let only = match touched {
                Touched::Nothing => return,
                Touched::Notes(ids) if !viewer_changed => {
                    // A timer tick, an agenda edit: no card to look at.
                    if ids.is_empty() {
                        return;
                    }
                    Some(ids)
                }
                Touched::Notes(_) | Touched::Everything => None,
            };
            let changes = viewer.with_value(|me| {
                notes.with_values(|shown| match only {
                    Some(ids) => note_changes_for(w, me.as_ref(), shown, ids),
                    None => note_changes(w, me.as_ref(), shown),
                })
            });
            if let Some(changes) = changes
                && !changes.is_empty()
            {
                notes.apply(changes);
            }
        };
        session.with_untracked(|w| refresh(w, &Touched::Everything));
        session.listen_touched(refresh);
        Self(notes)
    }

    /// One note, woken only when it changes.
    pub fn note(&self, id: &NoteId) -> Signal<Option<Arc<NoteSnapshot>>> {
        self.0.get(id)
    }
}

/// The incremental pass against the full one, over a workshop built op by op in several
/// orders of delivery (out-of-order ops are what makes one note's reach subtle).
#[cfg(test)]
mod tests {
    use bijeen_core::{ActorId, BlockDraft, BoardKind, Command, Doc, Op, Place, Role};
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

    use super::*;

    wasm_bindgen_test_configure!(run_in_browser);

    const NOW: i64 = 1_741_939_200_000;

    type Shown = HashMap<NoteId, Option<Arc<NoteSnapshot>>>;

    fn apply_changes(shown: &mut Shown, changes: Vec<(NoteId, Option<Option<Arc<NoteSnapshot>>>)>) {
        for (id, value) in changes {
            match value {
                Some(value) => shown.insert(id, value),
                None => shown.remove(&id),
            };
        }
    }

    /// The cards from scratch: what the board shows after this workshop.
    fn from_scratch(w: &Workshop, me: Option<&ParticipantId>) -> Shown {
        let mut shown = Shown::new();
        apply_changes(&mut shown, note_changes(w, me, &Shown::new()));
        shown
    }

    /// Replicas that pass every op on to each other at once, so each command is decided
    /// on a state that has the others' ops; `log` is every op in the order made.
    struct World {
        docs: Vec<(Doc, Role)>,
        log: Vec<Op>,
    }

    const FAC: usize = 0;
    const ANNA: usize = 1;
    const BERT: usize = 2;

    impl World {
        fn new() -> Self {
            let doc = |actor: &str| Doc::new(ActorId::new(actor));
            Self {
                docs: vec![
                    (doc("fac"), Role::Facilitator),
                    (doc("anna"), Role::Participant),
                    (doc("bert"), Role::Participant),
                ],
                log: Vec::new(),
            }
        }

        fn run(&mut self, who: usize, command: Command) -> Vec<Op> {
            let (doc, role) = &mut self.docs[who];
            let ops = doc
                .execute(&command, *role, NOW)
                .unwrap_or_else(|e| panic!("{command:?} refused: {e:?}"));
            for (other, (doc, _)) in self.docs.iter_mut().enumerate() {
                if other != who {
                    for op in &ops {
                        doc.receive(op).expect("an op made by a replica");
                    }
                }
            }
            self.log.extend(ops.iter().cloned());
            ops
        }

        fn note(&mut self, who: usize, group: Option<&GroupId>, text: &str) -> NoteId {
            let ops = self.run(
                who,
                Command::AddNote {
                    board: BOARD,
                    group: group.cloned(),
                    category: None,
                    text: text.to_owned(),
                    colour: None,
                },
            );
            NoteId::from_op(&ops[0].id)
        }

        fn group(&mut self, name: &str) -> GroupId {
            let ops = self.run(
                FAC,
                Command::AddGroup {
                    name: name.to_owned(),
                    colour: None,
                },
            );
            GroupId::from_op(&ops[0].id)
        }
    }

    /// A workshop that goes through every kind of change a board's cards show.
    fn workshop_history() -> Vec<Op> {
        let mut world = World::new();
        world.run(FAC, Command::SetTitle("Samen sterker".to_owned()));
        world.run(
            FAC,
            Command::SetBoardOpen {
                board: BOARD,
                open: true,
            },
        );
        world.run(
            ANNA,
            Command::Join {
                name: "Anna".to_owned(),
                group: None,
            },
        );
        world.run(
            BERT,
            Command::Join {
                name: "Bert".to_owned(),
                group: None,
            },
        );
        let g1 = world.group("Partners");
        let g2 = world.group("Activiteiten");
        let n1 = world.note(ANNA, Some(&g1), "Bibliotheek");
        let n2 = world.note(ANNA, None, "Buurthuis");
        let n3 = world.note(BERT, Some(&g2), "Leesclub");
        let n4 = world.note(BERT, None, "Taalcafé");
        let n5 = world.note(BERT, Some(&g1), "School");
        world.run(
            FAC,
            Command::StackNote {
                id: n2.clone(),
                onto: n1.clone(),
            },
        );
        world.run(
            FAC,
            Command::StackNote {
                id: n4.clone(),
                onto: n3.clone(),
            },
        );
        world.run(
            FAC,
            Command::EditNote {
                id: n1.clone(),
                text: "De bibliotheek".to_owned(),
            },
        );
        world.run(
            FAC,
            Command::SetNoteCategory {
                id: n3.clone(),
                category: Some(Category::Activiteit),
            },
        );
        world.run(
            FAC,
            Command::HideNote {
                id: n5.clone(),
                hidden: true,
            },
        );
        world.run(
            FAC,
            Command::SetClusterTitle {
                id: n1.clone(),
                title: "Plekken".to_owned(),
            },
        );
        world.run(
            FAC,
            Command::OpenVoting {
                board: BOARD,
                budget: 3,
                allow_multiple: true,
            },
        );
        world.run(ANNA, Command::CastVote { note: n1.clone() });
        world.run(ANNA, Command::CastVote { note: n3.clone() });
        world.run(BERT, Command::CastVote { note: n1.clone() });
        world.run(ANNA, Command::RemoveVote { note: n3.clone() });
        world.run(
            ANNA,
            Command::Rename {
                name: "Anne".to_owned(),
            },
        );
        world.run(
            FAC,
            Command::MoveNote {
                id: n3.clone(),
                group: Some(g1.clone()),
                place: Place::End,
            },
        );
        world.run(FAC, Command::DeleteGroup(g2));
        world.run(FAC, Command::CloseVoting { board: BOARD });
        world.run(FAC, Command::Unstack(n2.clone()));
        world.run(
            FAC,
            Command::StackNote {
                id: n5.clone(),
                onto: n1.clone(),
            },
        );
        world.run(FAC, Command::DeleteNote(n1.clone()));
        world.run(FAC, Command::RestoreNote(n1.clone()));
        world.run(
            FAC,
            Command::AddBlock {
                place: Place::End,
                block: BlockDraft {
                    title: "Verkennen".to_owned(),
                    duration_min: 20,
                    ..BlockDraft::default()
                },
            },
        );
        world.run(FAC, Command::StartWorkshop);
        world.run(
            FAC,
            Command::OpenVoting {
                board: BOARD,
                budget: 2,
                allow_multiple: false,
            },
        );
        world.run(BERT, Command::CastVote { note: n3.clone() });
        // A participant votes only on notes they can see: shown again before Anna votes.
        world.run(
            FAC,
            Command::HideNote {
                id: n5.clone(),
                hidden: false,
            },
        );
        world.run(ANNA, Command::CastVote { note: n5 });
        world.run(
            ANNA,
            Command::AddNote {
                board: BoardKind::Bears,
                group: None,
                category: None,
                text: "Geen tijd".to_owned(),
                colour: None,
            },
        );
        world.run(FAC, Command::DeleteNote(n4));
        world.log
    }

    /// A fixed shuffle (no randomness crate in the app): the same orders on every run.
    fn shuffled(ops: &[Op], seed: u64) -> Vec<Op> {
        let mut ops = ops.to_vec();
        let mut state = seed;
        for i in (1..ops.len()).rev() {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let j = usize::try_from((state >> 33) % (i as u64 + 1)).unwrap_or(0);
            ops.swap(i, j);
        }
        ops
    }

    /// Delivers `ops` in batches of `batch` as a window receives them, redoing after each
    /// batch only what it touched, and checks the cards against a full pass every time.
    fn check_delivery(ops: &[Op], batch: usize, me: Option<&ParticipantId>, label: &str) {
        let mut doc = Doc::new(ActorId::new("projector"));
        let mut shown = Shown::new();
        for (step, chunk) in ops.chunks(batch).enumerate() {
            let mut touched = Touched::Nothing;
            for op in chunk {
                if doc.receive(op).expect("an op made by a replica") {
                    touched.add_op(op, doc.workshop());
                }
            }
            let w = doc.workshop();
            let changes = match &touched {
                Touched::Nothing => Vec::new(),
                Touched::Notes(ids) => note_changes_for(w, me, &shown, ids),
                Touched::Everything => note_changes(w, me, &shown),
            };
            apply_changes(&mut shown, changes);
            assert_eq!(
                shown,
                from_scratch(w, me),
                "{label}, step {step}: {chunk:#?} touched {touched:?}"
            );
            // Nothing left over: a full pass now finds nothing to change.
            assert!(
                note_changes(w, me, &shown).is_empty(),
                "{label}, step {step}"
            );
        }
    }

    #[wasm_bindgen_test]
    fn redoing_only_touched_notes_gives_the_cards_of_a_full_pass() {
        let history = workshop_history();
        let anna = ParticipantId::from("anna");
        let mut orders = vec![
            ("in order", history.clone()),
            ("reversed", history.iter().rev().cloned().collect()),
        ];
        for seed in 1..=12 {
            orders.push(("shuffled", shuffled(&history, seed)));
        }
        for (name, ops) in &orders {
            for batch in [1, 3] {
                for me in [None, Some(&anna)] {
                    let label = format!("{name} in batches of {batch}, viewer {me:?}");
                    check_delivery(ops, batch, me, &label);
                }
            }
        }
    }

    #[wasm_bindgen_test]
    fn a_note_created_after_a_note_was_stacked_onto_it_restacks_that_note() {
        let mut world = World::new();
        world.run(
            FAC,
            Command::SetBoardOpen {
                board: BOARD,
                open: true,
            },
        );
        let root = world.note(FAC, None, "Bibliotheek");
        let child = world.note(FAC, None, "Buurthuis");
        world.run(
            FAC,
            Command::StackNote {
                id: child.clone(),
                onto: root.clone(),
            },
        );
        // The root's creating op arrives last.
        let (create_root, rest): (Vec<Op>, Vec<Op>) = world
            .log
            .iter()
            .cloned()
            .partition(|op| op.created_id().as_deref() == Some(root.as_str()));
        let mut doc = Doc::new(ActorId::new("projector"));
        for op in &rest {
            doc.receive(op).expect("an op made by a replica");
        }
        let before = from_scratch(doc.workshop(), None);
        assert_eq!(
            before
                .get(&child)
                .and_then(|s| s.as_ref())
                .map(|s| s.stacked),
            Some(false)
        );
        let mut touched = Touched::Nothing;
        for op in &create_root {
            assert!(doc.receive(op).expect("an op made by a replica"));
            touched.add_op(op, doc.workshop());
        }
        assert_eq!(touched, Touched::Everything);
        let mut shown = before;
        let changes = note_changes(doc.workshop(), None, &shown);
        apply_changes(&mut shown, changes);
        assert_eq!(
            shown
                .get(&child)
                .and_then(|s| s.as_ref())
                .map(|s| s.stacked),
            Some(true)
        );
    }
}
