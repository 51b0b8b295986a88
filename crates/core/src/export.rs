//! Export and import, format `bijeen/1`.
//!
//! # What an export contains
//! ```text
//! { "format": "bijeen/1",
//!   "exported_at": "<as given by the caller>",
//!   "summary": { ...the derived state in plain words, for people and other tools... },
//!   "ops": [ ...the complete op log, ordered by actor then sequence... ] }
//! ```
//! The op log is the source of truth: import replays it into a fresh replica. The summary
//! is derived from that state; on import it must match the replay exactly, so a file
//! edited by hand (or damaged) is reported rather than silently half-believed. Keys are
//! written in a fixed order (struct fields, sorted maps), so export → import → export
//! gives identical bytes apart from `exported_at`.
//!
//! Privacy: while the bear wall is anonymous, the export is made from
//! [`anonymous_bears`]: the live log ties each bear to its author's device (and so,
//! through the `Join` op, to a name); the exported log ties it only to an opaque
//! pseudonym that does nothing else, and the summary leaves bear authors out.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use thiserror::Error;

use crate::anonymise::anonymous_bears;
use crate::doc::Doc;
use crate::error::DomainError;
use crate::ids::{
    ActorId, AgreementId, BlockId, GroupId, Hlc, NoteId, OpId, ParticipantId, PlanId,
};
use crate::model::{
    Activity, AgreementList, BearStatus, BoardKind, Category, Colour, Lang, LessonWarning, Role,
    Template, Workshop,
};
use crate::op::{Op, OpBody};
use crate::schedule::{hhmm, schedule};
use crate::validate;

pub const FORMAT: &str = "bijeen/1";
const FORMAT_PREFIX: &str = "bijeen/";
const FORMAT_VERSION: u32 = 1;
/// Files above this are refused before parsing.
pub const MAX_IMPORT_BYTES: usize = 10 * 1024 * 1024;
/// Stop listing summary differences after this many; the first ones tell the story.
const MAX_SUMMARY_DIFFS: usize = 20;

#[derive(Serialize)]
struct ExportRef<'a> {
    format: &'static str,
    exported_at: &'a str,
    summary: Summary,
    ops: Vec<&'a Op>,
}

/// The whole workshop as `bijeen/1` JSON (pretty-printed, stable key order).
pub fn export_json(doc: &Doc, exported_at: &str) -> String {
    let doc = anonymous_bears(doc);
    let out = ExportRef {
        format: FORMAT,
        exported_at,
        summary: summary(doc.workshop()),
        ops: doc.ops().collect(),
    };
    // Plain structs, sequences and string-keyed maps: serialising cannot fail.
    serde_json::to_string_pretty(&out).unwrap_or_default()
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub title: String,
    pub date: String,
    pub planned_start: String,
    pub planned_end: String,
    pub computed_end: String,
    pub language: Lang,
    pub template: Template,
    pub practical_assignment: String,
    pub agenda: Vec<SummaryBlock>,
    pub groups: Vec<SummaryGroup>,
    pub notes: Vec<SummaryNote>,
    pub agreements: Vec<SummaryAgreement>,
    pub plans: Vec<SummaryPlan>,
    pub participants: Vec<SummaryParticipant>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryBlock {
    pub id: BlockId,
    pub start: String,
    pub duration_min: u16,
    pub title: String,
    pub work_form: String,
    pub materials: String,
    pub lead: String,
    pub notes: String,
    pub examples: Vec<String>,
    pub activity: Activity,
    /// Whether proposals to get back on schedule may shorten it (the rule's answer when
    /// never set: see [`crate::model::Block::is_flexible`]). Added within `bijeen/1`:
    /// a file without it reads as the replay says ([`ADDED_BLOCK_FIELDS`]).
    pub flexible: bool,
    pub actual_start_ms: Option<i64>,
    pub actual_end_ms: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryGroup {
    pub id: GroupId,
    pub name: String,
    pub colour: Colour,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryNote {
    pub id: NoteId,
    pub board: BoardKind,
    pub group: Option<GroupId>,
    pub category: Option<Category>,
    pub text: String,
    pub author: Option<ParticipantId>,
    pub colour: Colour,
    pub stacked_on: Option<NoteId>,
    pub cluster_title: String,
    pub hidden: bool,
    pub votes: u32,
    pub bear_status: Option<BearStatus>,
    pub bear_answer: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryAgreement {
    pub id: AgreementId,
    pub list: AgreementList,
    pub text: String,
    pub owner: String,
    pub due: Option<String>,
    pub done: bool,
    pub bear: Option<NoteId>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryPlan {
    pub id: PlanId,
    pub name: String,
    pub partners: Vec<String>,
    pub bouwer: String,
    pub verbinder: String,
    pub aanjager: String,
    pub colleagues: Vec<String>,
    pub target_members: Option<u32>,
    pub target_activities: Option<u32>,
    pub target_date: Option<String>,
    pub start_phase_months: Option<u32>,
    pub source_note: Option<NoteId>,
    pub warnings: Vec<LessonWarning>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryParticipant {
    pub id: ParticipantId,
    pub name: String,
    pub group: Option<GroupId>,
    pub role: Role,
}

/// The live state in plain values, in display order.
pub fn summary(w: &Workshop) -> Summary {
    let sched = schedule(w);
    let agenda = w
        .blocks_in_order()
        .into_iter()
        .map(|(id, b)| SummaryBlock {
            id: id.clone(),
            start: sched
                .row(id)
                .map(|r| hhmm(i64::from(r.start_min)))
                .unwrap_or_default(),
            duration_min: *b.duration_min,
            title: b.title.value.clone(),
            work_form: b.work_form.value.clone(),
            materials: b.materials.value.clone(),
            lead: b.lead.value.clone(),
            notes: b.notes.value.clone(),
            examples: b.examples.value.clone(),
            activity: *b.activity,
            flexible: b.is_flexible(),
            actual_start_ms: *b.actual_start_ms,
            actual_end_ms: *b.actual_end_ms,
        })
        .collect();
    let groups = w
        .groups_in_order()
        .into_iter()
        .map(|(id, g)| SummaryGroup {
            id: id.clone(),
            name: g.name.value.clone(),
            colour: *g.colour,
        })
        .collect();
    let notes = [BoardKind::Brainstorm, BoardKind::Bears]
        .into_iter()
        .flat_map(|board| w.notes_in_order(board))
        .map(|(id, n)| SummaryNote {
            id: id.clone(),
            board: n.board,
            group: w.note_group(id).cloned(),
            category: *n.category,
            text: n.text.value.clone(),
            author: w.author_shown(id).then(|| n.author.clone()),
            colour: *n.colour,
            stacked_on: w.stack_root(id).cloned(),
            cluster_title: n.cluster_title.value.clone(),
            hidden: *n.hidden,
            votes: w.vote_total(id),
            bear_status: (n.board == BoardKind::Bears).then_some(*n.bear_status),
            bear_answer: n.bear_answer.value.clone(),
        })
        .collect();
    let agreements = [
        AgreementList::Agreement,
        AgreementList::OpenEnd,
        AgreementList::FollowUp,
    ]
    .into_iter()
    .flat_map(|l| w.agreements_in_order(l))
    .map(|(id, a)| SummaryAgreement {
        id: id.clone(),
        list: *a.list,
        text: a.text.value.clone(),
        owner: a.owner.value.clone(),
        due: a.due.value.clone(),
        done: *a.done,
        bear: a.bear.clone(),
    })
    .collect();
    let plans = w
        .plans_live()
        .into_iter()
        .map(|(id, p)| SummaryPlan {
            id: id.clone(),
            name: p.name.value.clone(),
            partners: p.partners.value.clone(),
            bouwer: p.bouwer.value.clone(),
            verbinder: p.verbinder.value.clone(),
            aanjager: p.aanjager.value.clone(),
            colleagues: p.colleagues.value.clone(),
            target_members: *p.target_members,
            target_activities: *p.target_activities,
            target_date: p.target_date.value.clone(),
            start_phase_months: *p.start_phase_months,
            source_note: p.source_note.clone(),
            warnings: p.lesson_warnings(),
        })
        .collect();
    let participants = w
        .participants_joined()
        .into_iter()
        .map(|(id, p)| SummaryParticipant {
            id: id.clone(),
            name: p.name.value.clone(),
            group: p.group.as_ref().filter(|g| w.group(g).is_some()).cloned(),
            role: *p.role,
        })
        .collect();
    Summary {
        title: w.meta.title.value.clone(),
        date: w.meta.date.value.clone(),
        planned_start: hhmm(i64::from(sched.planned_start_min)),
        planned_end: hhmm(i64::from(sched.planned_end_min)),
        computed_end: hhmm(i64::from(sched.computed_end_min)),
        language: *w.meta.language,
        template: *w.meta.template,
        practical_assignment: w.meta.practical_assignment.value.clone(),
        agenda,
        groups,
        notes,
        agreements,
        plans,
        participants,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JsonType {
    Object,
    Array,
    String,
    /// A whole number in range for the field.
    Integer,
}

/// Why a value is unacceptable although it has the right JSON type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Invalid {
    /// The op body is not one this version knows (unknown kind or fields).
    UnknownOpBody,
    /// An op's values break a domain rule.
    Domain(DomainError),
    /// Sequence numbers start at 1.
    ZeroSeq,
    EmptyActor,
    /// Two different ops share one id.
    DuplicateOp,
    /// The summary does not match the state the op log produces.
    SummaryMismatch,
}

#[derive(Clone, Debug, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportErrorKind {
    #[error("not JSON (line {line}, column {column})")]
    NotJson { line: usize, column: usize },
    #[error("not a Bijeen export (format {found:?})")]
    WrongFormat { found: String },
    #[error("made by a newer Bijeen (format {found:?})")]
    NewerVersion { found: String },
    #[error("missing")]
    MissingField,
    #[error("should be {expected:?}")]
    WrongType { expected: JsonType },
    #[error("file is {bytes} bytes, more than the 10 MB allowed")]
    TooLarge { bytes: usize },
    #[error("invalid value: {problem:?}")]
    InvalidValue { problem: Invalid },
}

/// One problem, at a JSON path like `$.ops[12].body`.
#[derive(Clone, Debug, PartialEq, Eq, Error, Serialize, Deserialize)]
#[error("{path}: {kind}")]
pub struct ImportError {
    pub path: String,
    pub kind: ImportErrorKind,
}

/// Every problem found, in document order.
#[derive(Clone, Debug, PartialEq, Eq, Error, Serialize, Deserialize)]
#[error("{} problem(s) in the import, first: {}", .0.len(), .0.first().map(ToString::to_string).unwrap_or_default())]
pub struct ImportErrors(pub Vec<ImportError>);

struct Problems(Vec<ImportError>);

impl Problems {
    fn add(&mut self, path: impl Into<String>, kind: ImportErrorKind) {
        self.0.push(ImportError {
            path: path.into(),
            kind,
        });
    }
    fn invalid(&mut self, path: impl Into<String>, problem: Invalid) {
        self.add(path, ImportErrorKind::InvalidValue { problem });
    }
}

/// Read a `bijeen/1` export into a fresh replica for `actor` (this device's own actor:
/// never reuse the exporting device's, or sequence numbers would collide). Never
/// panics; reports every problem it can find. The caller decides whether the result
/// replaces anything; this function touches nothing.
pub fn import_json(input: &str, actor: ActorId) -> Result<Doc, ImportErrors> {
    let fail = |path: &str, kind| {
        ImportErrors(vec![ImportError {
            path: path.to_owned(),
            kind,
        }])
    };
    if input.len() > MAX_IMPORT_BYTES {
        return Err(fail("$", ImportErrorKind::TooLarge { bytes: input.len() }));
    }
    let root: Value = serde_json::from_str(input).map_err(|e| {
        fail(
            "$",
            ImportErrorKind::NotJson {
                line: e.line(),
                column: e.column(),
            },
        )
    })?;
    let Some(obj) = root.as_object() else {
        return Err(fail(
            "$",
            ImportErrorKind::WrongType {
                expected: JsonType::Object,
            },
        ));
    };
    let mut p = Problems(Vec::new());

    // The format decides how to read the rest: if it is wrong, say only that.
    match obj.get("format") {
        None => p.add("$.format", ImportErrorKind::MissingField),
        Some(Value::String(f)) if f == FORMAT => {}
        Some(Value::String(f)) => {
            let newer = f
                .strip_prefix(FORMAT_PREFIX)
                .and_then(|v| v.parse::<u32>().ok())
                .is_some_and(|v| v > FORMAT_VERSION);
            let found = f.chars().take(100).collect();
            if newer {
                p.add("$.format", ImportErrorKind::NewerVersion { found });
            } else {
                p.add("$.format", ImportErrorKind::WrongFormat { found });
            }
        }
        Some(_) => p.add(
            "$.format",
            ImportErrorKind::WrongType {
                expected: JsonType::String,
            },
        ),
    }
    if !p.0.is_empty() {
        return Err(ImportErrors(p.0));
    }
    match obj.get("exported_at") {
        None => p.add("$.exported_at", ImportErrorKind::MissingField),
        Some(Value::String(_)) => {}
        Some(_) => p.add(
            "$.exported_at",
            ImportErrorKind::WrongType {
                expected: JsonType::String,
            },
        ),
    }
    let ops = match obj.get("ops") {
        None => {
            p.add("$.ops", ImportErrorKind::MissingField);
            Vec::new()
        }
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .filter_map(|(i, v)| read_op(v, &format!("$.ops[{i}]"), &mut p))
            .collect(),
        Some(_) => {
            p.add(
                "$.ops",
                ImportErrorKind::WrongType {
                    expected: JsonType::Array,
                },
            );
            Vec::new()
        }
    };
    let mut doc = Doc::new(actor);
    for (i, op) in &ops {
        if doc.receive(op).is_err() {
            p.invalid(format!("$.ops[{i}].id"), Invalid::DuplicateOp);
        }
    }
    match obj.get("summary") {
        None => p.add("$.summary", ImportErrorKind::MissingField),
        Some(given) if p.0.is_empty() => {
            let derived = serde_json::to_value(summary(doc.workshop())).unwrap_or(Value::Null);
            let mut given = given.clone();
            fill_added_fields(&mut given, &derived);
            let mut diffs = Vec::new();
            diff_paths(&given, &derived, "$.summary".to_owned(), &mut diffs);
            for path in diffs {
                p.invalid(path, Invalid::SummaryMismatch);
            }
        }
        // With broken ops the replay differs anyway; comparing would only add noise.
        Some(_) => {}
    }
    if p.0.is_empty() {
        Ok(doc)
    } else {
        Err(ImportErrors(p.0))
    }
}

fn wrong(p: &mut Problems, path: String, expected: JsonType) {
    p.add(path, ImportErrorKind::WrongType { expected });
}

fn read_op(v: &Value, path: &str, p: &mut Problems) -> Option<(usize, Op)> {
    let index = path
        .trim_start_matches("$.ops[")
        .trim_end_matches(']')
        .parse()
        .unwrap_or(0);
    let Some(o) = v.as_object() else {
        wrong(p, path.to_owned(), JsonType::Object);
        return None;
    };
    let before = p.0.len();
    let id = match o.get("id") {
        None => {
            p.add(format!("{path}.id"), ImportErrorKind::MissingField);
            None
        }
        Some(Value::Array(a)) if a.len() == 2 => {
            let actor = match &a[0] {
                Value::String(s) if s.is_empty() => {
                    p.invalid(format!("{path}.id[0]"), Invalid::EmptyActor);
                    None
                }
                Value::String(s) => Some(ActorId::new(s.clone())),
                _ => {
                    wrong(p, format!("{path}.id[0]"), JsonType::String);
                    None
                }
            };
            let seq = match a[1].as_u64() {
                Some(0) => {
                    p.invalid(format!("{path}.id[1]"), Invalid::ZeroSeq);
                    None
                }
                Some(s) => Some(s),
                None => {
                    wrong(p, format!("{path}.id[1]"), JsonType::Integer);
                    None
                }
            };
            actor.zip(seq).map(|(actor, seq)| OpId { actor, seq })
        }
        Some(_) => {
            wrong(p, format!("{path}.id"), JsonType::Array);
            None
        }
    };
    let hlc = match o.get("hlc") {
        None => {
            p.add(format!("{path}.hlc"), ImportErrorKind::MissingField);
            None
        }
        Some(Value::Array(a)) if a.len() == 2 => {
            let wall = a[0].as_i64();
            let counter = a[1].as_u64().and_then(|c| u32::try_from(c).ok());
            if wall.is_none() {
                wrong(p, format!("{path}.hlc[0]"), JsonType::Integer);
            }
            if counter.is_none() {
                wrong(p, format!("{path}.hlc[1]"), JsonType::Integer);
            }
            wall.zip(counter)
                .map(|(wall_ms, counter)| Hlc { wall_ms, counter })
        }
        Some(_) => {
            wrong(p, format!("{path}.hlc"), JsonType::Array);
            None
        }
    };
    let body = match o.get("body") {
        None => {
            p.add(format!("{path}.body"), ImportErrorKind::MissingField);
            None
        }
        // Read from its text, not from the `Value`: the same op-reading code as a stored
        // log's (a second copy of it over `Value` would grow the app's wasm).
        Some(b) => match serde_json::from_str::<OpBody>(&b.to_string()) {
            Ok(body) => {
                if let Err(e) = validate::body(&body) {
                    p.invalid(format!("{path}.body"), Invalid::Domain(e));
                }
                Some(body)
            }
            Err(_) => {
                p.invalid(format!("{path}.body"), Invalid::UnknownOpBody);
                None
            }
        },
    };
    if p.0.len() != before {
        return None;
    }
    Some((
        index,
        Op {
            id: id?,
            hlc: hlc?,
            body: body?,
        },
    ))
}

/// Paths where `given` differs from `derived`, leaves first, at most a few.
/// Summary fields of an agenda block that `bijeen/1` files gained after the first ones
/// were written. The op log is the truth and the summary only repeats it, so a file
/// from before simply lacks them: they are taken as the replay says, and only a value
/// that is there and differs is a mismatch.
const ADDED_BLOCK_FIELDS: [&str; 1] = ["flexible"];

fn fill_added_fields(given: &mut Value, derived: &Value) {
    let (Some(given), Some(derived)) = (
        given.pointer_mut("/agenda").and_then(Value::as_array_mut),
        derived.pointer("/agenda").and_then(Value::as_array),
    ) else {
        return;
    };
    for (g, d) in given.iter_mut().zip(derived) {
        let (Some(g), Some(d)) = (g.as_object_mut(), d.as_object()) else {
            continue;
        };
        for key in ADDED_BLOCK_FIELDS {
            if let (false, Some(value)) = (g.contains_key(key), d.get(key)) {
                g.insert(key.to_owned(), value.clone());
            }
        }
    }
}

fn diff_paths(given: &Value, derived: &Value, path: String, out: &mut Vec<String>) {
    if out.len() >= MAX_SUMMARY_DIFFS || given == derived {
        return;
    }
    match (given, derived) {
        (Value::Object(a), Value::Object(b)) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let child = format!("{path}.{k}");
                match (a.get(k), b.get(k)) {
                    (Some(x), Some(y)) => diff_paths(x, y, child, out),
                    _ => out.push(child),
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                diff_paths(x, y, format!("{path}[{i}]"), out);
            }
        }
        _ => out.push(path),
    }
    out.truncate(MAX_SUMMARY_DIFFS);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::Command;
    use crate::model::Role;

    const T0: i64 = 1_741_939_200_000;

    fn sample() -> Doc {
        let mut d = Doc::from_template(Template::WerkenInNetwerken, ActorId::new("fac"), T0);
        for (i, text) in ["Leeuwarden–Fryslân", "komma, \"quote\"", "regel\nnieuw"]
            .into_iter()
            .enumerate()
        {
            d.execute(
                &Command::AddNote {
                    board: BoardKind::Brainstorm,
                    group: None,
                    category: Some(Category::Netwerkpartner),
                    text: text.into(),
                    colour: None,
                },
                Role::Facilitator,
                T0 + i as i64,
            )
            .expect("note");
        }
        d
    }

    fn errors(input: &str) -> Vec<ImportError> {
        match import_json(input, ActorId::new("me")) {
            Ok(_) => Vec::new(),
            Err(e) => e.0,
        }
    }

    #[test]
    fn export_import_export_gives_identical_bytes_apart_from_exported_at() {
        let doc = sample();
        let a = export_json(&doc, "2025-03-14T12:00:00Z");
        let imported = import_json(&a, ActorId::new("other")).expect("import");
        assert_eq!(imported.workshop(), doc.workshop());
        let b = export_json(&imported, "2025-03-15T08:00:00Z");
        assert_eq!(
            a.replace("2025-03-14T12:00:00Z", "X"),
            b.replace("2025-03-15T08:00:00Z", "X")
        );
    }

    #[test]
    fn export_starts_with_format_and_exported_at() {
        let a = export_json(&sample(), "t");
        assert!(a.starts_with("{\n  \"format\": \"bijeen/1\",\n  \"exported_at\": \"t\","));
    }

    #[test]
    fn files_over_ten_megabytes_are_refused_before_parsing() {
        let big = " ".repeat(MAX_IMPORT_BYTES + 1);
        assert_eq!(
            errors(&big)[0].kind,
            ImportErrorKind::TooLarge {
                bytes: MAX_IMPORT_BYTES + 1
            }
        );
    }

    #[test]
    fn not_json_reports_line_and_column() {
        assert_eq!(
            errors("{\n  \"format\": ")[0].kind,
            ImportErrorKind::NotJson {
                line: 2,
                column: 12
            }
        );
    }

    #[test]
    fn another_format_and_a_newer_version_are_named() {
        assert_eq!(
            errors(r#"{"format":"scrumlr"}"#)[0].kind,
            ImportErrorKind::WrongFormat {
                found: "scrumlr".into()
            }
        );
        assert_eq!(
            errors(r#"{"format":"bijeen/2"}"#)[0].kind,
            ImportErrorKind::NewerVersion {
                found: "bijeen/2".into()
            }
        );
        assert_eq!(
            errors("[]")[0].kind,
            ImportErrorKind::WrongType {
                expected: JsonType::Object
            }
        );
    }

    #[test]
    fn every_problem_is_reported_with_its_path() {
        let input = r#"{"format":"bijeen/1","exported_at":5,"summary":{},"ops":[
            {"id":["a",0],"hlc":[1,0],"body":{"set_meta":{"title":"x"}}},
            {"id":["a",1],"hlc":"nu","body":{"set_meta":{"title":"x"}}},
            {"id":["a",2],"hlc":[1,0],"body":{"explode":{}}},
            {"id":["a",3],"hlc":[1,0],"body":{"set_meta":{"title":""}}},
            {"hlc":[1,0],"body":{"set_meta":{"title":"x"}}}
        ]}"#;
        let got: Vec<(String, ImportErrorKind)> = errors(input)
            .into_iter()
            .map(|e| (e.path, e.kind))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "$.exported_at".into(),
                    ImportErrorKind::WrongType {
                        expected: JsonType::String
                    }
                ),
                (
                    "$.ops[0].id[1]".into(),
                    ImportErrorKind::InvalidValue {
                        problem: Invalid::ZeroSeq
                    }
                ),
                (
                    "$.ops[1].hlc".into(),
                    ImportErrorKind::WrongType {
                        expected: JsonType::Array
                    }
                ),
                (
                    "$.ops[2].body".into(),
                    ImportErrorKind::InvalidValue {
                        problem: Invalid::UnknownOpBody
                    }
                ),
                (
                    "$.ops[3].body".into(),
                    ImportErrorKind::InvalidValue {
                        problem: Invalid::Domain(DomainError::Empty {
                            field: crate::error::Field::WorkshopTitle
                        })
                    }
                ),
                ("$.ops[4].id".into(), ImportErrorKind::MissingField),
            ]
        );
    }

    #[test]
    fn missing_fields_are_reported() {
        let got: Vec<String> = errors(r#"{"format":"bijeen/1"}"#)
            .into_iter()
            .map(|e| e.path)
            .collect();
        assert_eq!(got, ["$.exported_at", "$.ops", "$.summary"]);
    }

    #[test]
    fn a_hand_edited_summary_is_reported_where_it_differs() {
        let a = export_json(&sample(), "t");
        let edited = a.replacen(
            "\"title\": \"Werken in netwerken\"",
            "\"title\": \"Anders\"",
            1,
        );
        let errs = errors(&edited);
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].path, "$.summary.title");
    }

    #[test]
    fn conflicting_duplicate_ops_are_reported() {
        let input = r#"{"format":"bijeen/1","exported_at":"t","summary":{},"ops":[
            {"id":["a",1],"hlc":[1,0],"body":{"set_meta":{"title":"x"}}},
            {"id":["a",1],"hlc":[1,0],"body":{"set_meta":{"title":"y"}}}
        ]}"#;
        let errs = errors(input);
        assert_eq!(errs[0].path, "$.ops[1].id");
    }

    #[test]
    fn import_never_panics_on_mangled_exports() {
        let a = export_json(&sample(), "t");
        // Truncations and byte flips at many positions.
        let bytes = a.as_bytes();
        for cut in (0..bytes.len()).step_by(97) {
            let _ = import_json(&String::from_utf8_lossy(&bytes[..cut]), ActorId::new("me"));
            let mut flipped = bytes.to_vec();
            flipped[cut] = b'9';
            let _ = import_json(&String::from_utf8_lossy(&flipped), ActorId::new("me"));
        }
    }
}
