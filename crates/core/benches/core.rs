//! `cargo bench -p bijeen-core`. Budgets (issue 3): at least 500,000 ops applied per
//! second; snapshot of a workshop with 5,000 notes under 20 ms (`snapshot_5000_notes/load`
//! opens it; `load_then_log` adds the log, which is parsed on first need).
//! `phone_view_1000_notes`: what the relay does for every phone in the room after each
//! change (the phone's view, and what changed since the last one), against applying the
//! change itself in the same run.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use bijeen_core::op::{NoteField, OpBody};
use bijeen_core::*;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};

const T0: i64 = 1_741_939_200_000;
const ACTORS: u64 = 10;

/// `n` ops from ten actors: one in five creates a note, the rest edit earlier notes
/// (text, group, order, votes), the mix a busy brainstorm produces.
fn ops(n: u64) -> Vec<Op> {
    ops_with(n, 5)
}

/// As [`ops`], creating a note every `create_every` ops.
fn ops_with(n: u64, create_every: u64) -> Vec<Op> {
    let seed = Doc::from_template(Template::WerkenInNetwerken, ActorId::new("fac"), T0);
    let groups: Vec<GroupId> = seed.workshop().groups.keys().cloned().collect();
    let mut out: Vec<Op> = seed.ops().cloned().collect();
    let mut seqs = vec![0u64; ACTORS as usize];
    let mut notes: Vec<NoteId> = Vec::new();
    for i in 0..n {
        let a = (i % ACTORS) as usize;
        seqs[a] += 1;
        let id = OpId {
            actor: ActorId::new(format!("device-{a:02}")),
            seq: seqs[a],
        };
        let body = if i % create_every == 0 || notes.is_empty() {
            notes.push(NoteId::from_op(&id));
            OpBody::CreateNote {
                board: BoardKind::Brainstorm,
                group: Some(groups[(i % 3) as usize].clone()),
                category: Some(Category::Activiteit),
                text: format!("Idee nummer {i}"),
                colour: Colour::Yellow,
                order: fractional_index::between(None, None),
            }
        } else {
            let note = notes[(i as usize * 7919) % notes.len()].clone();
            let field = match i % 4 {
                0 => NoteField::Text(format!("Beter idee {i}")),
                1 => NoteField::Group(Some(groups[(i % 3) as usize].clone())),
                2 => NoteField::Order("a".into()),
                _ => NoteField::Hidden(i % 2 == 0),
            };
            OpBody::SetNote { id: note, field }
        };
        out.push(Op {
            id,
            hlc: Hlc {
                wall_ms: T0 + i as i64,
                counter: 0,
            },
            body,
        });
    }
    out
}

/// A replica holding a workshop with `n` notes (plus some edits and votes).
fn doc_with_notes(n: u64) -> Doc {
    let all = ops(n * 5);
    Doc::from_ops(ActorId::new("me"), &all).expect("consistent log")
}

fn bench(c: &mut Criterion) {
    let hundred_k = ops(100_000);
    let mut g = c.benchmark_group("apply");
    g.throughput(Throughput::Elements(hundred_k.len() as u64));
    g.sample_size(20);
    g.bench_function("apply_100k_ops", |b| {
        b.iter(|| {
            let mut w = Workshop::default();
            for op in &hundred_k {
                apply(&mut w, op);
            }
            black_box(w)
        })
    });
    g.bench_function("doc_receive_100k_ops", |b| {
        b.iter(|| {
            let mut d = Doc::new(ActorId::new("me"));
            for op in &hundred_k {
                d.receive(op).unwrap();
            }
            black_box(d)
        })
    });
    g.bench_function("doc_receive_owned_100k_ops", |b| {
        b.iter_batched(
            || hundred_k.clone(),
            |ops| {
                let mut d = Doc::new(ActorId::new("me"));
                for op in ops {
                    d.receive_owned(op).unwrap();
                }
                // Dropped inside the timing, as in the benchmarks above.
                drop(black_box(d));
            },
            BatchSize::LargeInput,
        )
    });
    g.finish();

    let full = Doc::from_ops(ActorId::new("me"), &hundred_k).unwrap();
    let half = Doc::from_ops(
        ActorId::new("peer"),
        hundred_k
            .iter()
            .filter(|op| op.id.seq <= 5_000 || op.id.actor.as_str() == "fac"),
    )
    .unwrap();
    let mut g = c.benchmark_group("sync");
    g.sample_size(20);
    g.bench_function("missing_for_half_synced_peer_100k", |b| {
        b.iter(|| black_box(full.missing_for(half.version_vector())))
    });
    g.finish();

    let five_k = doc_with_notes(5_000);
    assert_eq!(five_k.workshop().notes.len(), 5_000);
    let saved = five_k.save();
    println!(
        "snapshot of 5,000 notes: {} bytes, {} ops",
        saved.len(),
        five_k.op_count()
    );
    let mut g = c.benchmark_group("snapshot_5000_notes");
    g.sample_size(20);
    // The same 5,000 notes without edit history: one op per note.
    let plain = Doc::from_ops(ActorId::new("me"), &ops_with(5_000, 1)).unwrap();
    let plain_saved = plain.save();
    println!(
        "snapshot of 5,000 notes without edits: {} bytes, {} ops",
        plain_saved.len(),
        plain.op_count()
    );
    g.bench_function("save_no_edits", |b| b.iter(|| black_box(plain.save())));
    g.bench_function("load_no_edits", |b| {
        b.iter(|| black_box(Doc::load(&plain_saved).unwrap()))
    });
    g.bench_function("save", |b| b.iter(|| black_box(five_k.save())));
    g.bench_function("load", |b| {
        b.iter_batched(
            || saved.clone(),
            |s| black_box(Doc::load(&s).unwrap()),
            BatchSize::LargeInput,
        )
    });
    // What the app saves most: a replica reopened from storage, its log since parsed,
    // with the stored log text written back as read.
    let mut reopened = Doc::load(&saved).unwrap();
    black_box(reopened.missing_for(&VersionVector::default()));
    reopened
        .execute(
            &Command::SetTitle("Na het openen".into()),
            Role::Facilitator,
            T0 + 1_000_000,
        )
        .unwrap();
    g.bench_function("save_reopened", |b| b.iter(|| black_box(reopened.save())));
    // A loaded replica reads its log only when first needed; this is that whole cost:
    // opening, then reading the log (as a first catch-up or received op would).
    g.bench_function("load_then_log", |b| {
        b.iter_batched(
            || saved.clone(),
            |s| {
                let d = Doc::load(&s).unwrap();
                black_box(d.op_count());
                d
            },
            BatchSize::LargeInput,
        )
    });
    g.finish();

    let mut g = c.benchmark_group("export_5000_notes");
    g.sample_size(20);
    g.bench_function("export_json", |b| {
        b.iter(|| black_box(export::export_json(&five_k, "2025-03-14T12:00:00Z")))
    });
    let exported = export::export_json(&five_k, "t");
    g.bench_function("import_json", |b| {
        b.iter(|| black_box(export::import_json(&exported, ActorId::new("x")).unwrap()))
    });
    g.bench_function("notes_csv", |b| {
        b.iter(|| black_box(report::notes_csv(five_k.workshop(), Lang::Nl)))
    });
    g.finish();
}

/// A room as the relay holds it during the brainstorm: ten participants in the seed's
/// theme groups have written `n` notes in all, and `anna`, in the first group, is one
/// more phone. Also the op of one more note, for the changes measured.
fn room_with_notes(n: u64) -> (Doc, Principal, Op) {
    let mut fac = Doc::from_template(Template::WerkenInNetwerken, ActorId::new("fac"), T0);
    fac.execute(
        &Command::SetBoardOpen {
            board: BoardKind::Brainstorm,
            open: true,
        },
        Role::Facilitator,
        T0,
    )
    .unwrap();
    let groups: Vec<GroupId> = fac
        .workshop()
        .groups_in_order()
        .into_iter()
        .map(|(id, _)| id.clone())
        .collect();
    let mut write = |who: &str, group: &GroupId, notes: u64| -> Vec<Op> {
        let mut phone = Doc::new(ActorId::new(who));
        let mut ops = Vec::new();
        for op in fac.missing_for(phone.version_vector()) {
            phone.receive(&op).unwrap();
        }
        ops.extend(
            phone
                .execute(
                    &Command::Join {
                        name: who.into(),
                        group: Some(group.clone()),
                    },
                    Role::Participant,
                    T0 + 1,
                )
                .unwrap(),
        );
        for i in 0..notes {
            ops.extend(
                phone
                    .execute(
                        &Command::AddNote {
                            board: BoardKind::Brainstorm,
                            group: Some(group.clone()),
                            category: Some(Category::Netwerkpartner),
                            text: format!("Idee {i} van {who}"),
                            colour: None,
                        },
                        Role::Participant,
                        T0 + 2 + i as i64,
                    )
                    .unwrap(),
            );
        }
        for op in &ops {
            fac.receive(op).unwrap();
        }
        ops
    };
    for p in 0..ACTORS {
        let group = &groups[p as usize % groups.len()];
        write(&format!("device-{p:02}"), group, n / ACTORS);
    }
    write("anna", &groups[0], 0);
    let one_more = write("device-00", &groups[0], 1).pop().unwrap();
    let anna = Principal::single(ActorId::new("anna"));
    (fac, anna, one_more)
}

fn bench_phone_view(c: &mut Criterion) {
    let (after, anna, one_more) = room_with_notes(1_000);
    let mut before = after.clone();
    before = {
        // The room one note earlier: every op but the last note's.
        let ops: Vec<Op> = before
            .missing_for(&VersionVector::default())
            .into_iter()
            .filter(|op| op.id != one_more.id)
            .collect();
        Doc::from_ops(ActorId::new("relay"), &ops).unwrap()
    };
    let last_view = phone_view::phone_view(before.workshop(), &anna);
    println!(
        "phone view of 1,000 notes: {} of them in anna's group, {} bytes of JSON",
        last_view.notes.len(),
        serde_json::to_string(&last_view).unwrap().len()
    );
    let mut g = c.benchmark_group("phone_view_1000_notes");
    g.sample_size(30);
    // The baseline: the relay takes the op in.
    g.bench_function("apply_the_op", |b| {
        b.iter_batched(
            || before.workshop().clone(),
            |mut w| {
                apply(&mut w, &one_more);
                w
            },
            BatchSize::LargeInput,
        )
    });
    // Then, for each phone: its view now, and what changed since its last.
    g.bench_function("view", |b| {
        b.iter(|| black_box(phone_view::phone_view(after.workshop(), &anna)))
    });
    g.bench_function("view_and_patch", |b| {
        b.iter(|| {
            let next = phone_view::phone_view(after.workshop(), &anna);
            black_box(bijeen_view::ViewPatch::between(&last_view, &next))
        })
    });
    g.finish();
}

criterion_group!(benches, bench, bench_phone_view);
criterion_main!(benches);
