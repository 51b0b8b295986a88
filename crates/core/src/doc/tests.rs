use super::snapshot::{V2_LOG, V2_PREFIX, V2_VV};
use super::*;
use crate::ids::Hlc;
use crate::op::{MetaField, OpBody};

fn op(actor: &str, seq: u64, title: &str) -> Op {
    Op {
        id: OpId {
            actor: ActorId::new(actor),
            seq,
        },
        hlc: Hlc {
            wall_ms: i64::try_from(seq).unwrap_or(0),
            counter: 0,
        },
        body: OpBody::SetMeta(MetaField::Title(title.into())),
    }
}

#[test]
fn receive_owned_answers_as_receive_does() {
    let mut a = Doc::new(ActorId::new("a"));
    let mut b = Doc::new(ActorId::new("b"));
    for o in [op("x", 1, "t"), op("x", 3, "u"), op("y", 2, "v")] {
        assert_eq!(a.receive(&o), b.receive_owned(o.clone()));
        assert_eq!(a.receive(&o), b.receive_owned(o));
    }
    for o in [op("x", 0, "t"), op("x", 3, "other")] {
        assert_eq!(a.receive(&o), b.receive_owned(o.clone()));
        assert!(a.receive(&o).is_err());
    }
    assert_eq!(a.workshop(), b.workshop());
    assert_eq!(a.version_vector(), b.version_vector());
    assert_eq!(a.save().replace("\"a\"", "\"b\""), b.save());
}

#[test]
fn streaming_load_answers_as_from_snapshot_in_any_field_order() {
    let mut d = Doc::new(ActorId::new("me"));
    for o in [op("me", 1, "a"), op("x", 1, "b"), op("me", 3, "c")] {
        d.receive(&o).expect("receive");
    }
    let snap = d.snapshot();
    let log = serde_json::to_string(&snap.log).expect("json");
    let state = serde_json::to_string(&snap.workshop).expect("json");
    let vv = serde_json::to_string(&snap.vv).expect("json");
    // Log first, actor last, an unknown field, and a state after the log.
    let reordered = format!(
        r#"{{"log":{log},"extra":[1,2],"vv":{vv},"workshop":{state},"format":"{SNAPSHOT_FORMAT}","actor":"me"}}"#
    );
    let loaded = Doc::load(&reordered).expect("load");
    assert_eq!(loaded, Doc::from_snapshot(snap).expect("from_snapshot"));
    assert_eq!(loaded.seq, 3, "never reuses a number seen before the actor");
    for (json, want) in [
        (
            r#"{"format":"other/1","actor":"me","log":[],"vv":{}}"#,
            "format",
        ),
        (
            r#"{"format":"bijeen-snapshot/1","actor":"me","vv":{}}"#,
            "unreadable",
        ),
        (
            r#"{"format":"bijeen-snapshot/1","actor":"me","log":[{"id":["x",0],"hlc":[1,0],"body":"refused"}],"vv":{}}"#,
            "zero",
        ),
    ] {
        let got = Doc::load(json);
        let ok = matches!(
            (want, &got),
            ("format", Err(SnapshotError::WrongFormat(_)))
                | ("unreadable", Err(SnapshotError::Unreadable { .. }))
                | ("zero", Err(SnapshotError::BadLog(ReceiveError::ZeroSeq)))
        );
        assert!(ok, "{json}: {got:?}");
    }
}

/// A replica with ops of two actors, one of them with a gap.
fn busy() -> Doc {
    let mut d = Doc::new(ActorId::new("me"));
    for o in [
        op("me", 1, "a"),
        op("x", 1, "b"),
        op("me", 3, "c"),
        op("x", 2, "d"),
    ] {
        d.receive(&o).expect("receive");
    }
    d
}

#[test]
fn a_saved_replica_opens_with_its_state_before_its_log_is_read() {
    let d = busy();
    let saved = d.save();
    assert!(saved.starts_with(V2_PREFIX));
    let loaded = Doc::load(&saved).expect("load");
    assert!(loaded.log.unparsed().is_some(), "log still text");
    assert_eq!(loaded.workshop(), d.workshop());
    assert_eq!(loaded.hlc(), d.hlc());
    assert_eq!(loaded.seq, 3, "never reuses a number of the log");
    // Written back as read, then read on first need, with the same answers.
    assert_eq!(loaded.save(), saved);
    assert_eq!(
        loaded.missing_for(&VersionVector::default()),
        d.missing_for(&VersionVector::default())
    );
    assert!(loaded.log.unparsed().is_none());
    assert_eq!(loaded.version_vector(), d.version_vector());
    assert_eq!(loaded, d);
    assert_eq!(loaded.save(), saved);
}

#[test]
fn a_reopened_replica_saves_its_stored_log_and_the_ops_added_since() {
    let mut d = busy();
    let mut loaded = Doc::load(&d.save()).expect("load");
    // A new actor, a gap filled, an op beyond a new gap: all after the stored text.
    for o in [op("y", 1, "e"), op("me", 2, "f"), op("x", 5, "g")] {
        assert_eq!(loaded.receive(&o), d.receive(&o));
    }
    assert!(loaded.log.stored.is_some(), "text kept");
    let saved = loaded.save();
    assert!(saved.contains(r#"{"id":["x",5],"hlc":[5,0],"body":{"set_meta":{"title":"g"}}}]"#));
    let again = Doc::load(&saved).expect("load");
    assert_eq!(again, d);
    assert_eq!(again.ops().collect::<Vec<_>>(), d.ops().collect::<Vec<_>>());
    // Changing a stored op in place drops the text: the log is written op by op.
    assert!(loaded.refuse(&OpId {
        actor: ActorId::new("x"),
        seq: 1
    }));
    assert!(d.refuse(&OpId {
        actor: ActorId::new("x"),
        seq: 1
    }));
    assert!(loaded.log.stored.is_none());
    assert_eq!(loaded.save(), d.save());
    assert_eq!(Doc::load(&loaded.save()).expect("load"), d);
}

#[test]
fn load_as_continues_as_another_actor_like_a_replay_of_the_log() {
    let d = busy();
    let ops: Vec<Op> = d.ops().cloned().collect();
    for actor in ["me", "x", "window-2"] {
        let want = Doc::from_ops(ActorId::new(actor), &ops).expect("replay");
        let v2 = Doc::load_as(&d.save(), ActorId::new(actor)).expect("load_as");
        assert_eq!(v2.seq, want.seq, "{actor}");
        assert_eq!(v2, want, "{actor}");
        let v1 = serde_json::to_string(&Snapshot {
            workshop: None,
            ..d.snapshot()
        })
        .expect("json");
        assert_eq!(Doc::load_as(&v1, ActorId::new(actor)), Ok(want), "{actor}");
    }
}

#[test]
fn a_damaged_stored_log_keeps_the_state_and_asks_peers_for_everything_again() {
    let d = busy();
    let saved = d.save();
    let log_at = saved.find(V2_LOG).expect("log");
    let (head, log) = saved.split_at(log_at);
    let damaged = format!("{head}{}", log.replacen("set_meta", "set_mtea", 1));
    let mut loaded = Doc::load(&damaged).expect("the state still opens");
    assert_eq!(loaded.workshop(), d.workshop());
    assert_eq!(loaded.op_count(), 0);
    assert_eq!(loaded.version_vector(), &VersionVector::default());
    for o in d.missing_for(loaded.version_vector()) {
        assert_eq!(loaded.receive(&o), Ok(true));
    }
    assert_eq!(loaded, d);
}

#[test]
fn a_format_2_snapshot_not_laid_out_as_saved_is_refused_with_a_typed_error() {
    let saved = busy().save();
    let log_at = saved.find(V2_LOG).expect("log");
    let vv_at = saved.rfind(V2_VV).expect("vv");
    let cases = [
        // Cut short: the version vector is then no JSON.
        (saved[..saved.len() - 1].to_owned(), "unreadable"),
        (format!("{saved} "), "layout"),
        (format!("{}{}", &saved[..log_at], &saved[vv_at..]), "layout"),
        (saved.replacen(V2_LOG, ",\"log\":{", 1), "layout"),
        (saved.replacen(V2_LOG, " ,\"log\":", 1), "layout"),
        (
            format!("{V2_PREFIX}[\"me\",[1,0]]{V2_LOG}[]{V2_VV}{{}}}}"),
            "unreadable",
        ),
        (
            format!("{}{{]}}", &saved[..vv_at + V2_VV.len()]),
            "unreadable",
        ),
        (V2_PREFIX.to_owned(), "layout"),
    ];
    for (json, want) in cases {
        let got = Doc::load(&json);
        let ok = matches!(
            (want, &got),
            ("layout", Err(SnapshotError::BadLayout(_)))
                | ("unreadable", Err(SnapshotError::Unreadable { .. }))
        );
        assert!(ok, "{json}: {got:?}");
    }
}

#[test]
fn ops_beyond_a_gap_are_kept_counted_once_the_gap_fills_and_sent_on() {
    let mut d = Doc::new(ActorId::new("me"));
    for seq in [1, 3, 5, 4] {
        d.receive(&op("x", seq, "t")).expect("receive");
    }
    assert_eq!(d.version_vector().get(&ActorId::new("x")), 1);
    let seqs = |ops: Vec<Op>| ops.iter().map(|o| o.id.seq).collect::<Vec<_>>();
    assert_eq!(seqs(d.missing_for(&VersionVector::default())), [1, 3, 4, 5]);
    let mut peer = VersionVector::default();
    peer.0.insert(ActorId::new("x"), 3);
    assert_eq!(seqs(d.missing_for(&peer)), [4, 5]);
    d.receive(&op("x", 2, "t")).expect("receive");
    assert_eq!(d.version_vector().get(&ActorId::new("x")), 5);
    assert_eq!(seqs(d.missing_for(&peer)), [4, 5]);
    assert_eq!(seqs(d.ops().cloned().collect()), [1, 2, 3, 4, 5]);
    assert_eq!(d.op_count(), 5);
    let loaded = Doc::load(&d.save()).expect("load");
    assert_eq!(loaded, d);
}

#[test]
fn a_save_is_the_whole_replica_as_text_whatever_script_its_notes_use() {
    let mut d = Doc::new(ActorId::new("me"));
    for (seq, t) in [
        (1, "Één café — “naïef”"),
        (2, "🐻 beren 🐻‍❄️ 日本語 𝄞"),
        (3, "tab\tnew\nline \"q\" \\ \u{1}\u{7f}"),
    ] {
        d.receive(&op("me", seq, t)).expect("receive");
    }
    let saved = d.save();
    assert!(saved.starts_with(V2_PREFIX) && saved.ends_with('}'));
    let log = serde_json::to_string(&d.ops().collect::<Vec<_>>()).expect("json");
    assert!(saved.contains(&format!("{V2_LOG}{log}{V2_VV}")), "{saved}");
    let mut loaded = Doc::load(&saved).expect("load");
    assert_eq!(loaded, d);
    // Reopened, one op added: the stored text is written back, then the new op.
    let more = op("x", 1, "ŉ ǆ ﬃ");
    assert_eq!(loaded.receive(&more), d.receive(&more));
    let again = loaded.save();
    assert!(again.contains(&serde_json::to_string(&more).expect("json")));
    assert_eq!(Doc::load(&again).expect("load"), d);
}

#[test]
fn a_stored_version_vector_is_the_one_the_loaded_replica_counts_in_either_format() {
    let d = busy();
    let mut reopened = Doc::load(&d.save()).expect("load");
    reopened.receive(&op("y", 1, "e")).expect("receive");
    let v1 = |d: &Doc, state: bool| {
        let snap = Snapshot {
            workshop: if state {
                Some(d.workshop().clone())
            } else {
                None
            },
            ..d.snapshot()
        };
        serde_json::to_string(&snap).expect("json")
    };
    for d in [&d, &reopened] {
        for text in [d.save(), v1(d, true), v1(d, false)] {
            let loaded = Doc::load(&text).expect("load");
            assert_eq!(
                stored_version_vector(&text).as_ref(),
                Ok(loaded.version_vector()),
                "{text}"
            );
        }
    }
    assert_eq!(
        stored_version_vector(&reopened.save()).map(|vv| vv.get(&ActorId::new("y"))),
        Ok(1),
        "counts the ops added after the stored text"
    );
}

#[test]
fn a_stored_version_vector_of_malformed_text_is_a_typed_error() {
    let saved = busy().save();
    let vv_at = saved.rfind(V2_VV).expect("vv");
    let v1 = serde_json::to_string(&busy().snapshot()).expect("json");
    let cases = [
        (String::new(), "unreadable"),
        ("not json".to_owned(), "unreadable"),
        (V2_PREFIX.to_owned(), "layout"),
        (saved[..saved.len() - 1].to_owned(), "unreadable"),
        (format!("{saved} "), "layout"),
        (saved[..vv_at].to_owned() + "}", "layout"),
        (
            format!("{}{{]}}", &saved[..vv_at + V2_VV.len()]),
            "unreadable",
        ),
        (
            format!("{}[1]}}", &saved[..vv_at + V2_VV.len()]),
            "unreadable",
        ),
        (v1.replace(SNAPSHOT_FORMAT, "other/1"), "format"),
        (v1.replace("\"vv\":", "\"vw\":"), "unreadable"),
        (v1[..v1.len() - 1].to_owned(), "unreadable"),
    ];
    for (text, want) in cases {
        let got = stored_version_vector(&text);
        let ok = matches!(
            (want, &got),
            ("layout", Err(SnapshotError::BadLayout(_)))
                | ("unreadable", Err(SnapshotError::Unreadable { .. }))
                | ("format", Err(SnapshotError::WrongFormat(_)))
        );
        assert!(ok, "{text}: {got:?}");
    }
}

/// An actor may be named anything, `vv` too: its key inside the version vector is then a
/// second `,"vv":` after the field's own.
#[test]
fn a_snapshot_of_an_actor_named_vv_reopens_and_tells_its_version_vector() {
    let mut d = Doc::new(ActorId::new("vv"));
    for o in [op("a", 1, "x"), op("vv", 1, "y"), op("vv", 2, "z")] {
        d.receive(&o).expect("receive");
    }
    let saved = d.save();
    assert!(saved.ends_with(r#","vv":{"a":1,"vv":2}}"#), "{saved}");
    assert_eq!(
        stored_version_vector(&saved).as_ref(),
        Ok(d.version_vector())
    );
    let loaded = Doc::load(&saved).expect("load");
    assert_eq!(loaded, d);
    assert_eq!(loaded.save(), saved);
}

/// Timings, not a check of speed: `cargo test -p bijeen-core --release -- --ignored
/// --nocapture stored_version_vector_timing`.
#[test]
#[ignore = "prints timings; run in release"]
fn stored_version_vector_timing() {
    use crate::ids::NoteId;
    use crate::model::{BoardKind, Colour};
    use crate::op::NoteField;
    use std::time::Instant;

    let mut d = Doc::new(ActorId::new("me"));
    let mut notes = Vec::new();
    let mut seqs = [0u64; 10];
    for i in 0..25_000u64 {
        let a = usize::try_from(i % 10).unwrap_or(0);
        seqs[a] += 1;
        let id = OpId {
            actor: ActorId::new(format!("device-{a:02}")),
            seq: seqs[a],
        };
        let body = if i % 5 == 0 {
            notes.push(NoteId::from_op(&id));
            OpBody::CreateNote {
                board: BoardKind::Brainstorm,
                group: None,
                category: None,
                text: format!("Idee nummer {i}"),
                colour: Colour::Yellow,
                order: crate::fractional_index::between(None, None),
            }
        } else {
            let n = notes[usize::try_from(i * 7919).unwrap_or(0) % notes.len()].clone();
            OpBody::SetNote {
                id: n,
                field: NoteField::Text(format!("Beter idee {i}")),
            }
        };
        let hlc = Hlc {
            wall_ms: 1_741_939_200_000 + i64::try_from(i).unwrap_or(0),
            counter: 0,
        };
        d.receive(&Op { id, hlc, body }).expect("receive");
    }
    assert_eq!(d.op_count(), 25_000);
    let v2 = d.save();
    let v1 = serde_json::to_string(&d.snapshot()).expect("json");
    let time = |label: &str, f: &dyn Fn() -> VersionVector| {
        let runs = 20u32;
        let start = Instant::now();
        let mut vv = VersionVector::default();
        for _ in 0..runs {
            vv = f();
        }
        let per = start.elapsed() / runs;
        println!("{label:<48} {per:>10.2?}");
        vv
    };
    println!(
        "25,000 ops: /2 text {} bytes, /1 text {} bytes",
        v2.len(),
        v1.len()
    );
    let want = d.version_vector().clone();
    for (name, text) in [("/2", &v2), ("/1", &v1)] {
        let fast = time(&format!("{name} stored_version_vector"), &|| {
            stored_version_vector(text).expect("vv")
        });
        time(&format!("{name} Doc::load"), &|| {
            let _ = Doc::load(text).expect("load");
            VersionVector::default()
        });
        let full = time(&format!("{name} Doc::load + version_vector"), &|| {
            Doc::load(text).expect("load").version_vector().clone()
        });
        assert_eq!((&fast, &full), (&want, &want));
    }
}
