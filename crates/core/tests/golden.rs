//! The wire and storage formats, pinned byte for byte: the `Op` JSON every replica and
//! the relay exchange, `Doc::save` (browser storage) and the `bijeen/1` export. A change
//! to any of these files is a format change, not a refactoring.
//!
//! `BIJEEN_BLESS=1 cargo test -p bijeen-core --test golden` rewrites the files; only do
//! that for a deliberate, versioned format change.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use bijeen_core::*;

const T0: i64 = 1_741_939_200_000;

fn run(d: &mut Doc, cmd: Command, role: Role, t: i64) -> Vec<Op> {
    d.execute(&cmd, role, T0 + t).expect("command")
}

/// A small workshop touching every kind of entity, written by a facilitator and a
/// participant, with text that needs escaping.
fn workshop() -> (Doc, Vec<Op>) {
    let mut fac = Doc::new(ActorId::new("fac"));
    let mut all = Vec::new();
    let f = Role::Facilitator;
    all.extend(run(
        &mut fac,
        Command::SetTitle("Werken in netwerken".into()),
        f,
        1,
    ));
    all.extend(run(&mut fac, Command::SetDate("2025-03-14".into()), f, 2));
    all.extend(run(&mut fac, Command::SetPlannedStart(9 * 60), f, 3));
    all.extend(run(&mut fac, Command::SetPlannedEnd(12 * 60), f, 4));
    all.extend(run(
        &mut fac,
        Command::AddBlock {
            place: Place::End,
            block: BlockDraft {
                title: "Kennismaken – wie zit er aan tafel?".into(),
                duration_min: 20,
                work_form: "Kring".into(),
                materials: "Naamkaartjes".into(),
                lead: "Anna".into(),
                notes: "Regel één\nRegel \"twee\"".into(),
                examples: vec!["Bibliotheek".into(), "Buurthuis".into()],
                activity: Activity::Brainstorm,
            },
        },
        f,
        5,
    ));
    all.extend(run(
        &mut fac,
        Command::AddGroup {
            name: "Zorg & welzijn".into(),
            colour: Some(Colour::Green),
        },
        f,
        6,
    ));
    all.extend(run(
        &mut fac,
        Command::SetBoardOpen {
            board: BoardKind::Brainstorm,
            open: true,
        },
        f,
        7,
    ));
    let group = fac.workshop().groups.keys().next().cloned();

    let mut p = Doc::new(ActorId::new("p-1"));
    for op in &all {
        p.receive(op).expect("receive");
    }
    let pr = Role::Participant;
    let mut mine = Vec::new();
    mine.extend(run(
        &mut p,
        Command::Join {
            name: "Bert".into(),
            group: group.clone(),
        },
        pr,
        10,
    ));
    mine.extend(run(
        &mut p,
        Command::AddNote {
            board: BoardKind::Brainstorm,
            group: group.clone(),
            category: Some(Category::Netwerkpartner),
            text: "Leeuwarden–Fryslân, \"komma\"\tén tab".into(),
            colour: None,
        },
        pr,
        11,
    ));
    for op in &mine {
        fac.receive(op).expect("receive");
    }
    all.extend(mine);
    all.extend(run(
        &mut fac,
        Command::OpenVoting {
            board: BoardKind::Brainstorm,
            budget: 3,
            allow_multiple: false,
        },
        f,
        12,
    ));
    all.extend(run(
        &mut fac,
        Command::AddAgreement {
            list: AgreementList::FollowUp,
            text: "Verslag rondsturen".into(),
            owner: "Anna".into(),
            due: Some("2025-03-21".into()),
        },
        f,
        13,
    ));
    all.extend(run(
        &mut fac,
        Command::AddPlan {
            name: "Leesclub".into(),
            source_note: None,
        },
        f,
        14,
    ));
    (fac, all)
}

fn golden(name: &str, actual: &str) {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests", "golden", name]
        .iter()
        .collect();
    if std::env::var_os("BIJEEN_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().expect("dir")).expect("mkdir");
        std::fs::write(&path, actual).expect("write golden");
        return;
    }
    let expected = std::fs::read_to_string(&path).expect("golden file");
    assert!(
        expected == actual,
        "{name} differs from the pinned format (BIJEEN_BLESS=1 rewrites it)"
    );
}

#[test]
fn op_json_is_pinned() {
    let (_, ops) = workshop();
    let lines: Vec<String> = ops
        .iter()
        .map(|op| serde_json::to_string(op).expect("json"))
        .collect();
    golden("ops.jsonl", &(lines.join("\n") + "\n"));
    for (op, line) in ops.iter().zip(&lines) {
        let back: Op = serde_json::from_str(line).expect("parse");
        assert_eq!(&back, op);
    }
}

#[test]
fn doc_save_is_pinned_and_load_save_is_identity() {
    let (fac, _) = workshop();
    let saved = fac.save();
    golden("save.json", &saved);
    let loaded = Doc::load(&saved).expect("load");
    assert_eq!(loaded.workshop(), fac.workshop());
    assert_eq!(loaded.version_vector(), fac.version_vector());
    assert_eq!(loaded, fac);
    // Saved again before its log is parsed, and after.
    let loaded = Doc::load(&saved).expect("load");
    assert_eq!(loaded.save(), saved);
    assert_eq!(loaded.ops().count(), fac.op_count());
    assert_eq!(loaded.save(), saved);
}

#[test]
fn doc_save_with_a_gap_is_pinned() {
    // A replica that has op 1 and op 3 of an actor, not op 2: both are kept, only 1 is
    // counted in the version vector.
    let (_, ops) = workshop();
    let d = with_a_gap(&ops);
    let saved = d.save();
    golden("save_gap.json", &saved);
    let loaded = Doc::load(&saved).expect("load");
    assert_eq!(loaded.save(), saved);
    assert_eq!(loaded.version_vector(), d.version_vector());
    assert_eq!(loaded, d);
}

fn with_a_gap(ops: &[Op]) -> Doc {
    let mut d = Doc::new(ActorId::new("late"));
    for op in ops.iter().filter(|op| op.id.seq != 2) {
        d.receive(op).expect("receive");
    }
    d
}

/// Browsers hold snapshots that older versions saved as `bijeen-snapshot/1` (log and
/// version vector, state replayed): they must keep opening as the same replica, and are
/// saved as `/2` from then on.
#[test]
fn snapshots_saved_as_format_1_still_load_as_the_same_replica() {
    let (fac, ops) = workshop();
    let gap = with_a_gap(&ops);
    for (file, want) in [("save_v1.json", &fac), ("save_gap_v1.json", &gap)] {
        let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests", "golden", file]
            .iter()
            .collect();
        let v1 = std::fs::read_to_string(&path).expect("golden file");
        assert!(v1.starts_with(r#"{"format":"bijeen-snapshot/1""#), "{file}");
        let loaded = Doc::load(&v1).expect("a /1 snapshot loads");
        assert_eq!(&loaded, want, "{file}");
        assert_eq!(loaded.save(), want.save(), "{file}");
    }
}

/// An export written before blocks had the "flexible" flag (no `flexible` in the
/// summary, no op setting it) still imports, and reads every block by the default rule.
#[test]
fn an_export_from_before_the_flexible_flag_still_imports() {
    let (fac, _) = workshop();
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests", "golden"]
        .iter()
        .collect();
    let old = std::fs::read_to_string(path.join("export_before_flexible.json")).expect("file");
    assert!(!old.contains("flexible"));
    let imported = export::import_json(&old, ActorId::new("other")).expect("import");
    assert_eq!(imported.workshop(), fac.workshop());
    let blocks = imported.workshop().blocks_in_order();
    // The one block has a lead (Anna): not flexible until someone says so.
    assert!(blocks.iter().all(|(_, b)| !b.is_flexible()));
    // A value that is there and wrong is still a mismatch.
    let lying = export::export_json(&fac, "2025-03-14T12:00:00Z")
        .replace("\"flexible\": false", "\"flexible\": true");
    let problems = export::import_json(&lying, ActorId::new("other")).expect_err("refused");
    assert!(
        problems.0.iter().any(|p| p.path.ends_with(".flexible")),
        "{problems:?}"
    );
}

/// The flag set by hand travels in the op log and the summary, and round-trips.
#[test]
fn the_flexible_flag_is_exported_and_imported() {
    let (mut fac, _) = workshop();
    let id = fac.workshop().blocks_in_order()[0].0.clone();
    run(
        &mut fac,
        Command::EditBlock {
            id,
            edit: BlockEdit::Flexible(true),
        },
        Role::Facilitator,
        50,
    );
    let exported = export::export_json(&fac, "2025-03-14T12:00:00Z");
    assert!(exported.contains("\"flexible\": true"));
    let imported = export::import_json(&exported, ActorId::new("other")).expect("import");
    assert!(imported.workshop().blocks_in_order()[0].1.is_flexible());
    assert_eq!(imported.workshop(), fac.workshop());
}

#[test]
fn export_is_pinned_and_round_trips() {
    let (fac, _) = workshop();
    let exported = export::export_json(&fac, "2025-03-14T12:00:00Z");
    golden("export.json", &exported);
    let imported = export::import_json(&exported, ActorId::new("other")).expect("import");
    assert_eq!(
        export::export_json(&imported, "2025-03-14T12:00:00Z"),
        exported
    );
}
