//! Property test of the merge: 2 to 8 replicas make random commands while the network
//! drops, duplicates, reorders and partitions their ops, and replicas are saved and
//! reloaded midway. After full delivery every replica must hold the same state, equal to
//! replaying the union log in any order, and the invariants must hold. Some deliveries
//! are placeholders (what the relay sends a participant who may not see an op yet), and
//! the real op arrives later, as the relay sends it after a reveal or on reconnect.
//!
//! `BIJEEN_PROPTEST_CASES` raises the number of cases (default 1000).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};

use bijeen_core::op::{AgreementField, BlockField, GroupField, NoteField, OpBody};
use bijeen_core::*;
use proptest::prelude::*;
use proptest::test_runner::Config;

const T0: i64 = 1_741_939_200_000;

#[derive(Clone, Debug)]
enum Action {
    Cmd {
        replica: usize,
        kind: u8,
        a: u16,
        b: u16,
    },
    Deliver {
        pick: u16,
    },
    Duplicate {
        pick: u16,
    },
    Drop {
        pick: u16,
    },
    Partition {
        a: usize,
        b: usize,
    },
    Heal,
    Sync {
        a: usize,
        b: usize,
    },
    Reload {
        replica: usize,
    },
    /// The relay refuses one of a replica's own ops that nobody else has yet (the relay
    /// refuses before it forwards): the op never arrives anywhere, the replica retracts
    /// it, and the refusal marker goes out to everyone instead.
    Refuse {
        replica: usize,
        pick: u16,
    },
    /// An op in flight arrives as its placeholder; the op itself stays in flight.
    Withhold {
        pick: u16,
    },
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        10 => (0usize..8, 0u8..24, any::<u16>(), any::<u16>())
            .prop_map(|(replica, kind, a, b)| Action::Cmd { replica, kind, a, b }),
        6 => any::<u16>().prop_map(|pick| Action::Deliver { pick }),
        1 => any::<u16>().prop_map(|pick| Action::Duplicate { pick }),
        1 => any::<u16>().prop_map(|pick| Action::Drop { pick }),
        1 => (0usize..8, 0usize..8).prop_map(|(a, b)| Action::Partition { a, b }),
        1 => Just(Action::Heal),
        1 => (0usize..8, 0usize..8).prop_map(|(a, b)| Action::Sync { a, b }),
        1 => (0usize..8).prop_map(|replica| Action::Reload { replica }),
        1 => (0usize..8, any::<u16>()).prop_map(|(replica, pick)| Action::Refuse { replica, pick }),
        2 => any::<u16>().prop_map(|pick| Action::Withhold { pick }),
    ]
}

const TEXTS: [&str; 6] = [
    "Bibliotheek",
    "Leeuwarden–Fryslân",
    "komma, \"quote\"",
    "regel\nnieuw",
    "Buurthuis",
    "Walk en talk",
];

struct Net {
    docs: Vec<Doc>,
    roles: Vec<Role>,
    /// (from, to, op) in flight.
    flight: Vec<(usize, usize, Op)>,
    cut: BTreeSet<(usize, usize)>,
    step: i64,
    skew: Vec<i64>,
}

impl Net {
    fn new(n: usize, skews: &[i64]) -> Net {
        let seed = Doc::from_template(Template::WerkenInNetwerken, ActorId::new("r0"), T0);
        let mut docs = vec![seed];
        let roles: Vec<Role> = (0..n)
            .map(|i| {
                // Two facilitator windows when there are enough replicas, so facilitator
                // edits race each other too.
                if i == 0 || (i == 1 && n >= 4) {
                    Role::Facilitator
                } else {
                    Role::Participant
                }
            })
            .collect();
        let mut net = Net {
            docs: Vec::new(),
            roles,
            flight: Vec::new(),
            cut: BTreeSet::new(),
            step: 0,
            skew: skews.iter().take(n).copied().collect(),
        };
        for i in 1..n {
            let mut d = Doc::new(ActorId::new(format!("r{i}")));
            // Everyone starts from the template (as if they opened the join link).
            for op in docs[0].ops() {
                d.receive(op).unwrap();
            }
            docs.push(d);
        }
        net.docs = docs;
        for i in 1..n {
            net.exec(
                i,
                &Command::Join {
                    name: format!("P{i}"),
                    group: None,
                },
            );
        }
        net
    }

    fn now(&mut self, i: usize) -> i64 {
        self.step += 1;
        T0 + self.step * 1_000 + self.skew[i]
    }

    fn exec(&mut self, i: usize, cmd: &Command) {
        let now = self.now(i);
        let role = self.roles[i];
        if let Ok(ops) = self.docs[i].execute(cmd, role, now) {
            for op in ops {
                // What the relay would do: every op that leaves a replica is authorised
                // against the sender's state... which the sender already did in decide.
                for to in 0..self.docs.len() {
                    if to != i {
                        self.flight.push((i, to, op.clone()));
                    }
                }
            }
        }
    }

    fn deliver(&mut self, pick: u16, keep: bool) {
        if self.flight.is_empty() {
            return;
        }
        let k = usize::from(pick) % self.flight.len();
        let (from, to, _) = &self.flight[k];
        if self.cut.contains(&(*from.min(to), *from.max(to))) {
            return;
        }
        let (_, to, op) = if keep {
            self.flight[k].clone()
        } else {
            self.flight.swap_remove(k)
        };
        self.docs[to].receive(&op).unwrap();
    }

    fn sync(&mut self, a: usize, b: usize) {
        if a == b {
            return;
        }
        let missing = self.docs[a].missing_for(self.docs[b].version_vector());
        for op in missing {
            self.docs[b].receive(&op).unwrap();
        }
    }

    fn command(&self, i: usize, kind: u8, a: u16, b: u16) -> Option<Command> {
        let w = self.docs[i].workshop();
        let a = usize::from(a);
        let b = usize::from(b);
        let pick = |v: Vec<NoteId>, k: usize| (!v.is_empty()).then(|| v[k % v.len()].clone());
        let all_notes: Vec<NoteId> = w.notes.keys().cloned().collect();
        let live_notes = |board: BoardKind| -> Vec<NoteId> {
            w.notes_in_order(board)
                .into_iter()
                .map(|(id, _)| id.clone())
                .collect()
        };
        let groups: Vec<GroupId> = w.groups.keys().cloned().collect();
        let group = (a % 4 != 0 && !groups.is_empty()).then(|| groups[a % groups.len()].clone());
        let blocks: Vec<BlockId> = w.blocks.keys().cloned().collect();
        let block = blocks[a % blocks.len()].clone();
        let agreements: Vec<AgreementId> = w.agreements.keys().cloned().collect();
        let text = TEXTS[b % TEXTS.len()].to_owned();
        Some(match kind {
            0 => Command::AddNote {
                board: BoardKind::Brainstorm,
                group,
                category: (b % 5 < 4).then(|| Category::ALL[b % 4]),
                text,
                colour: None,
            },
            1 => Command::AddNote {
                board: BoardKind::Bears,
                group: None,
                category: None,
                text,
                colour: None,
            },
            2 => Command::EditNote {
                id: pick(all_notes, a)?,
                text,
            },
            3 => Command::DeleteNote(pick(all_notes, a)?),
            4 => {
                let notes = live_notes(BoardKind::Brainstorm);
                let id = pick(notes.clone(), b)?;
                let place = match a % 3 {
                    0 => Place::Start,
                    1 => Place::End,
                    _ => Place::After(pick(notes, a)?),
                };
                Command::MoveNote { id, group, place }
            }
            5 => Command::CastVote {
                note: pick(all_notes, a)?,
            },
            6 => Command::RemoveVote {
                note: pick(all_notes, a)?,
            },
            7 => Command::SetBoardOpen {
                board: BoardKind::Brainstorm,
                open: a % 3 != 0,
            },
            8 => Command::OpenVoting {
                board: if b % 3 == 0 {
                    BoardKind::Bears
                } else {
                    BoardKind::Brainstorm
                },
                budget: 1 + (a % 3) as u32,
                allow_multiple: b % 2 == 0,
            },
            9 => Command::CloseVoting {
                board: BoardKind::Brainstorm,
            },
            10 => Command::AddGroup {
                name: text,
                colour: None,
            },
            11 => Command::DeleteGroup(group?),
            12 => Command::StackNote {
                id: pick(all_notes.clone(), a)?,
                onto: pick(all_notes, b)?,
            },
            13 => Command::Unstack(pick(all_notes, a)?),
            14 => Command::HideNote {
                id: pick(all_notes, a)?,
                hidden: b % 2 == 0,
            },
            15 => Command::RestoreNote(pick(all_notes, a)?),
            16 => Command::SetBearPhase(
                [
                    BearPhase::Collect,
                    BearPhase::Reveal,
                    BearPhase::Cluster,
                    BearPhase::Vote,
                    BearPhase::Shoot,
                    BearPhase::Closed,
                ][a % 6],
            ),
            17 => match a % 4 {
                0 => Command::StartBlock(block),
                1 => Command::NextBlock,
                2 => Command::PauseTimer,
                _ => Command::ResumeTimer,
            },
            18 => Command::MoveBlock {
                id: block,
                place: if b % 2 == 0 {
                    Place::Start
                } else {
                    Place::After(blocks[b % blocks.len()].clone())
                },
            },
            19 => {
                if b % 2 == 0 {
                    Command::DeleteBlock(block)
                } else {
                    Command::RestoreBlock(block)
                }
            }
            20 => {
                if b % 2 == 0 {
                    Command::AddAgreement {
                        list: AgreementList::Agreement,
                        text,
                        owner: "Silvia".into(),
                        due: None,
                    }
                } else {
                    Command::TameBear {
                        id: pick(all_notes, a)?,
                        action: None,
                        owner: "Katja".into(),
                        due: Some("2025-04-01".into()),
                    }
                }
            }
            21 => {
                let id = agreements.get(a % agreements.len().max(1))?.clone();
                match b % 3 {
                    0 => Command::DeleteAgreement(id),
                    1 => Command::RestoreAgreement(id),
                    _ => Command::ToggleAgreementDone(id),
                }
            }
            22 => Command::SetGroup { group },
            _ => Command::AddBlock {
                place: Place::After(block),
                block: BlockDraft {
                    title: text,
                    duration_min: (a % 60) as u16,
                    ..BlockDraft::default()
                },
            },
        })
    }

    fn run(&mut self, act: &Action) {
        let n = self.docs.len();
        match *act {
            Action::Cmd {
                replica,
                kind,
                a,
                b,
            } => {
                let i = replica % n;
                if let Some(cmd) = self.command(i, kind, a, b) {
                    self.exec(i, &cmd);
                }
            }
            Action::Deliver { pick } => self.deliver(pick, false),
            Action::Withhold { pick } => {
                if !self.flight.is_empty() {
                    let k = usize::from(pick) % self.flight.len();
                    let (_, to, op) = &self.flight[k];
                    let placeholder = Op::placeholder_of(&op.id);
                    let to = *to;
                    self.docs[to].receive(&placeholder).unwrap();
                }
            }
            Action::Duplicate { pick } => self.deliver(pick, true),
            Action::Drop { pick } => {
                if !self.flight.is_empty() {
                    let k = usize::from(pick) % self.flight.len();
                    self.flight.swap_remove(k);
                }
            }
            Action::Partition { a, b } => {
                let (a, b) = (a % n, b % n);
                if a != b {
                    self.cut.insert((a.min(b), a.max(b)));
                }
            }
            Action::Heal => self.cut.clear(),
            Action::Sync { a, b } => {
                let (a, b) = (a % n, b % n);
                if !self.cut.contains(&(a.min(b), a.max(b))) {
                    self.sync(a, b);
                }
            }
            Action::Reload { replica } => {
                let i = replica % n;
                let saved = self.docs[i].save();
                self.docs[i] = Doc::load(&saved).expect("snapshot loads");
            }
            Action::Refuse { replica, pick } => {
                let i = replica % n;
                let me = self.docs[i].actor().clone();
                let elsewhere = |id: &OpId| {
                    self.docs
                        .iter()
                        .enumerate()
                        .any(|(k, d)| k != i && d.ops().any(|o| o.id == *id))
                };
                let own: Vec<Op> = self.docs[i]
                    .ops()
                    .filter(|o| o.id.actor == me && !o.is_refusal() && !elsewhere(&o.id))
                    .cloned()
                    .collect();
                if own.is_empty() {
                    return;
                }
                let op = own[usize::from(pick) % own.len()].clone();
                assert!(self.docs[i].refuse(&op.id));
                self.flight.retain(|(_, _, o)| o.id != op.id);
                for to in 0..n {
                    if to != i {
                        self.flight.push((i, to, Op::refusal_of(&op)));
                    }
                }
            }
        }
    }

    fn heal_and_sync_all(&mut self) {
        self.cut.clear();
        let n = self.docs.len();
        // Deliver what is still in flight (stale duplicates included), then gossip by
        // version vector: after everyone has pulled from everyone twice, all have all.
        for (_, to, op) in std::mem::take(&mut self.flight) {
            self.docs[to].receive(&op).unwrap();
        }
        for _ in 0..2 {
            for a in 0..n {
                for b in 0..n {
                    self.sync(a, b);
                }
            }
        }
        // What a reconnecting participant gets for the placeholders it names in its
        // Hello: the real ops (the relay has them all).
        let union: BTreeMap<OpId, Op> = self
            .docs
            .iter()
            .flat_map(|d| d.ops())
            .filter(|o| !o.is_placeholder())
            .map(|o| (o.id.clone(), o.clone()))
            .collect();
        for d in &mut self.docs {
            let waiting: Vec<OpId> = d.placeholders().cloned().collect();
            for id in waiting {
                let real = union
                    .get(&id)
                    .expect("every placeholder stands for a real op");
                assert!(
                    d.receive(real).unwrap(),
                    "the real op replaces its placeholder"
                );
            }
        }
    }
}

/// The value of the latest `Deleted` write per entity, computed from the log directly.
fn expected_deleted(ops: &[Op]) -> BTreeMap<String, bool> {
    let mut latest: BTreeMap<String, (Stamp, bool)> = BTreeMap::new();
    for op in ops {
        let hit = match &op.body {
            OpBody::SetNote {
                id,
                field: NoteField::Deleted(d),
            } => Some((format!("note:{id}"), *d)),
            OpBody::SetBlock {
                id,
                field: BlockField::Deleted(d),
            } => Some((format!("block:{id}"), *d)),
            OpBody::SetGroup {
                id,
                field: GroupField::Deleted(d),
            } => Some((format!("group:{id}"), *d)),
            OpBody::SetAgreement {
                id,
                field: AgreementField::Deleted(d),
            } => Some((format!("agreement:{id}"), *d)),
            _ => None,
        };
        if let Some((k, d)) = hit {
            let s = op.stamp();
            if latest.get(&k).is_none_or(|(old, _)| s > *old) {
                latest.insert(k, (s, d));
            }
        }
    }
    latest.into_iter().map(|(k, (_, d))| (k, d)).collect()
}

fn check_invariants(w: &Workshop, ops: &[Op]) -> Result<(), TestCaseError> {
    // Every live note is in at most one group of its own board, and that group is live.
    let mut placed = 0;
    for (id, n) in &w.notes {
        if !n.is_live() {
            continue;
        }
        placed += 1;
        if let Some(g) = w.note_group(id) {
            prop_assert!(w.group(g).is_some(), "note {id} in dead group {g}");
            prop_assert_eq!(n.board, BoardKind::Brainstorm);
        }
        if let Some(root) = w.stack_root(id) {
            prop_assert!(w.note(root).is_some());
            prop_assert!(w.stack_root(root).is_none(), "stack deeper than one level");
        }
    }
    let by_board =
        w.notes_in_order(BoardKind::Brainstorm).len() + w.notes_in_order(BoardKind::Bears).len();
    prop_assert_eq!(placed, by_board);
    // Votes within the budget of their round.
    for (rid, per) in &w.votes {
        let Some(round) = w.rounds.get(rid) else {
            continue;
        };
        for (who, notes) in per {
            let total: u32 = notes.values().map(|c| **c).sum();
            prop_assert!(
                total <= round.budget,
                "{who} used {total} of {} in {rid}",
                round.budget
            );
            if !round.allow_multiple {
                prop_assert!(notes.values().all(|c| **c <= 1));
            }
        }
    }
    // No resurrected deletions: liveness follows the latest delete/restore write.
    for (k, deleted) in expected_deleted(ops) {
        let (kind, id) = k.split_once(':').unwrap();
        let live = match kind {
            "note" => w.note(&NoteId::from(id)).is_some(),
            "block" => w.block(&BlockId::from(id)).is_some(),
            "group" => w.group(&GroupId::from(id)).is_some(),
            _ => w.agreement(&AgreementId::from(id)).is_some(),
        };
        if deleted {
            prop_assert!(!live, "{k} came back without a restore");
        }
    }
    Ok(())
}

fn cases() -> u32 {
    std::env::var("BIJEEN_PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000)
}

proptest! {
    #![proptest_config(Config {
        cases: cases(),
        // Shrunk counterexamples are printed; no regression files in the source tree.
        failure_persistence: None,
        ..Config::default()
    })]

    #[test]
    fn replicas_converge_under_a_hostile_network(
        n in 2usize..=8,
        skews in proptest::collection::vec(-300_000i64..300_000, 8),
        actions in proptest::collection::vec(action(), 10..120),
    ) {
        let mut net = Net::new(n, &skews);
        for act in &actions {
            net.run(act);
        }
        net.heal_and_sync_all();

        let reference = net.docs[0].workshop().clone();
        for d in &net.docs {
            prop_assert_eq!(d.placeholders().count(), 0);
        }
        for d in &net.docs[1..] {
            prop_assert_eq!(d.version_vector(), net.docs[0].version_vector());
            prop_assert!(d.workshop() == &reference, "replica {} differs", d.actor());
        }
        // Commutativity: replaying the union log forwards and backwards gives the same.
        let log: Vec<Op> = net.docs[0].ops().cloned().collect();
        let mut forward = Workshop::default();
        for op in &log {
            apply(&mut forward, op);
        }
        let mut backward = Workshop::default();
        for op in log.iter().rev() {
            apply(&mut backward, op);
            apply(&mut backward, op);
        }
        prop_assert!(forward == reference);
        prop_assert!(backward == reference);
        check_invariants(&reference, &log)?;
        // A snapshot of the converged state loads to the same replica.
        let again = Doc::load(&net.docs[0].save()).expect("load");
        prop_assert!(again == net.docs[0]);
    }
}
