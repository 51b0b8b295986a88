//! `OpBody`'s hand-written reader against serde's derived one: every JSON the derived
//! reader accepts is read to the same value, and what it refuses is refused. The derived
//! reader lives on here as [`Derived`], a copy of `OpBody` with the derive, so the two can
//! be compared on any input.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use bijeen_core::op::{
    AgreementField, BearWallField, BlockField, BoardField, GroupField, MetaField, NoteField,
    ParticipantField, PlanField,
};
use bijeen_core::*;
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// `OpBody` as it was declared before its reader was written out: same names, same
/// types, serde's derive. Must stay a field-for-field copy of `OpBody`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Derived {
    SetMeta(MetaField),
    CreateBlock {
        block: Box<BlockDraft>,
        order: String,
    },
    SetBlock {
        id: BlockId,
        field: BlockField,
    },
    SetTimer(Timer),
    CreateGroup {
        name: String,
        colour: Colour,
        order: String,
    },
    SetGroup {
        id: GroupId,
        field: GroupField,
    },
    SetBoard {
        board: BoardKind,
        field: BoardField,
    },
    OpenVoting {
        board: BoardKind,
        budget: u32,
        allow_multiple: bool,
    },
    SetBearWall(BearWallField),
    CreateNote {
        board: BoardKind,
        group: Option<GroupId>,
        category: Option<Category>,
        text: String,
        colour: Colour,
        order: String,
    },
    SetNote {
        id: NoteId,
        field: NoteField,
    },
    SetVote {
        round: RoundId,
        note: NoteId,
        count: u32,
    },
    CreateAgreement {
        list: AgreementList,
        text: String,
        owner: String,
        due: Option<String>,
        order: String,
        bear: Option<NoteId>,
    },
    SetAgreement {
        id: AgreementId,
        field: AgreementField,
    },
    CreatePlan {
        name: String,
        source_note: Option<NoteId>,
    },
    SetPlan {
        id: PlanId,
        field: PlanField,
    },
    Join {
        name: String,
        group: Option<GroupId>,
    },
    SetParticipant {
        id: ParticipantId,
        field: ParticipantField,
    },
    Refused,
    Withheld,
}

/// What a reader made of `json`: the value written back (both types write the same
/// JSON for the same value), or the error's text.
fn read<T: for<'de> Deserialize<'de> + Serialize>(json: &str) -> Result<String, String> {
    serde_json::from_str::<T>(json)
        .map(|v| serde_json::to_string(&v).expect("writes"))
        .map_err(|e| e.to_string())
}

/// Both readers give the same answer on `json`; returns it. Refusals must both be
/// refusals, in the same words except where serde's derive names the Rust type.
fn same(json: &str) -> Result<String, String> {
    let mine = read::<OpBody>(json);
    let derived = read::<Derived>(json);
    match (&mine, &derived) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "read differently: {json}"),
        (Err(a), Err(b)) => {
            // Only "expected struct variant ..." may be worded differently.
            if !a.contains("struct variant") && !b.contains("struct variant") {
                assert_eq!(a, b, "refused in other words: {json}");
            }
        }
        _ => panic!("{json}\n  hand-written: {mine:?}\n  derived:      {derived:?}"),
    }
    mine
}

fn accepted(json: &str) -> OpBody {
    same(json).unwrap_or_else(|e| panic!("refused {json}: {e}"));
    serde_json::from_str(json).expect("accepted")
}

fn refused(json: &str) -> String {
    match same(json) {
        Ok(v) => panic!("accepted {json} as {v}"),
        Err(e) => e,
    }
}

#[test]
fn keys_in_any_order_read_the_same() {
    let body = accepted(
        r#"{"create_note":{"order":"b","colour":"pink","text":"Hé \"x\"","category":"activiteit","group":"g-1","board":"bears"}}"#,
    );
    assert_eq!(
        body,
        OpBody::CreateNote {
            board: BoardKind::Bears,
            group: Some(GroupId::from("g-1")),
            category: Some(Category::Activiteit),
            text: "Hé \"x\"".into(),
            colour: Colour::Pink,
            order: "b".into(),
        }
    );
    let body = accepted(r#"{"set_block":{"field":{"deleted":true},"id":"b-1"}}"#);
    assert_eq!(
        body,
        OpBody::SetBlock {
            id: BlockId::from("b-1"),
            field: BlockField::Deleted(true),
        }
    );
}

#[test]
fn unknown_keys_inside_a_struct_variant_are_ignored() {
    let body = accepted(
        r#"{"join":{"later":{"deep":[1,{"x":null}]},"name":"Anna","id":5,"field":"x","group":null,"zz":true}}"#,
    );
    assert_eq!(
        body,
        OpBody::Join {
            name: "Anna".into(),
            group: None,
        }
    );
    // A key of another variant, with a value of the wrong type for that variant, too.
    accepted(r#"{"set_vote":{"round":"r-1","note":"n-1","count":2,"text":5,"block":[]}}"#);
    accepted(r#"{"create_plan":{"name":"P","source_note":null,"name2":"x","Name":1}}"#);
}

#[test]
fn unknown_variants_are_refused() {
    let e = refused(r#"{"set_everything":{"id":"x"}}"#);
    assert!(
        e.starts_with("unknown variant `set_everything`, expected one of"),
        "{e}"
    );
    refused(r#""nothing""#);
    refused(r#"{"Join":{"name":"A","group":null}}"#);
    refused(r#"{"":null}"#);
}

#[test]
fn missing_required_fields_are_refused() {
    let e = refused(r#"{"set_block":{"id":"b-1"}}"#);
    assert!(e.starts_with("missing field `field`"), "{e}");
    let e = refused(r#"{"create_note":{"board":"brainstorm","text":"t","order":"a"}}"#);
    assert!(e.starts_with("missing field `colour`"), "{e}");
    refused(r#"{"create_block":{"order":"a"}}"#);
    refused(r#"{"create_block":{"block":{"duration_min":5},"order":"a"}}"#);
    refused(r#"{"open_voting":{}}"#);
}

#[test]
fn wrong_types_are_refused() {
    refused(r#"{"set_vote":{"round":"r-1","note":"n-1","count":"2"}}"#);
    refused(r#"{"set_vote":{"round":"r-1","note":"n-1","count":-1}}"#);
    refused(r#"{"set_vote":{"round":"r-1","note":"n-1","count":4294967296}}"#);
    refused(r#"{"open_voting":{"board":"brainstorm","budget":3,"allow_multiple":"no"}}"#);
    refused(r#"{"create_group":{"name":"G","colour":"red","order":"a"}}"#);
    refused(r#"{"join":{"name":7,"group":null}}"#);
    refused(r#"{"join":{"name":"A","group":7}}"#);
    refused(r#"{"set_note":{"id":"n-1","field":{"hidden":1}}}"#);
    refused(r#"{"set_note":{"id":"n-1","field":{"volume":1}}}"#);
    refused(r#"{"set_note":{"id":"n-1","field":"hidden"}}"#);
    refused(r#"{"set_block":5}"#);
    refused(r#"{"set_block":"b-1"}"#);
    refused(r#"{"set_block":null}"#);
    refused(r#"{"set_meta":null}"#);
    refused(r#""set_block""#);
    refused(r#""set_meta""#);
    refused(r#"["join",{"name":"A"}]"#);
    refused("5");
    refused("null");
    refused("{}");
}

#[test]
fn the_unit_variants_read_as_strings() {
    assert_eq!(accepted(r#""refused""#), OpBody::Refused);
    assert_eq!(accepted(r#""withheld""#), OpBody::Withheld);
    // serde_json's enum reader takes a unit variant as a key with a null value, too.
    assert_eq!(accepted(r#"{"refused":null}"#), OpBody::Refused);
    refused(r#"{"refused":{}}"#);
    refused(r#"{"withheld":1}"#);
}

#[test]
fn null_and_missing_option_fields_read_as_none() {
    let none = OpBody::CreateAgreement {
        list: AgreementList::OpenEnd,
        text: "t".into(),
        owner: "o".into(),
        due: None,
        order: "a".into(),
        bear: None,
    };
    let nulls = r#"{"create_agreement":{"list":"open_end","text":"t","owner":"o","due":null,"order":"a","bear":null}}"#;
    let missing = r#"{"create_agreement":{"list":"open_end","text":"t","owner":"o","order":"a"}}"#;
    assert_eq!(accepted(nulls), none);
    assert_eq!(accepted(missing), none);
    assert_eq!(
        accepted(r#"{"create_plan":{"name":"P"}}"#),
        OpBody::CreatePlan {
            name: "P".into(),
            source_note: None,
        }
    );
    accepted(
        r#"{"create_note":{"board":"brainstorm","group":null,"category":null,"text":"","colour":"blue","order":"a"}}"#,
    );
    // Inside the field enums, null is the value `None`.
    assert_eq!(
        accepted(r#"{"set_block":{"id":"b","field":{"flexible":null}}}"#),
        OpBody::SetBlock {
            id: BlockId::from("b"),
            field: BlockField::Flexible(None),
        }
    );
}

#[test]
fn a_field_given_twice_is_refused_even_as_null() {
    let e = refused(r#"{"set_vote":{"round":"r","note":"n","count":1,"count":1}}"#);
    assert!(e.starts_with("duplicate field `count`"), "{e}");
    refused(r#"{"join":{"name":"A","group":null,"group":"g"}}"#);
    refused(r#"{"create_plan":{"source_note":null,"name":"P","source_note":null}}"#);
    // Unknown keys may repeat: they are skipped, not read.
    accepted(r#"{"join":{"x":1,"name":"A","x":2}}"#);
}

#[test]
fn one_key_per_body() {
    refused(r#"{"refused":null,"withheld":null}"#);
    refused(r#"{"join":{"name":"A"},"join":{"name":"B"}}"#);
    refused(r#"{"join":{"name":"A"},"x":1}"#);
}

#[test]
fn a_struct_variant_may_also_be_an_array_of_its_fields_in_order() {
    // serde_json reads a struct from an array as well; the derived reader took it, so
    // this one does, with every field required (`Option`s too) and none extra.
    assert_eq!(
        accepted(r#"{"set_vote":["r-1","n-1",2]}"#),
        OpBody::SetVote {
            round: RoundId::from("r-1"),
            note: NoteId::from("n-1"),
            count: 2,
        }
    );
    accepted(r#"{"join":["A",null]}"#);
    refused(r#"{"join":["A"]}"#);
    refused(r#"{"join":["A",null,1]}"#);
    refused(r#"{"set_vote":["n-1","r-1"]}"#);
    refused(r#"{"set_vote":[2,"r-1","n-1"]}"#);
    refused(r#"{"create_block":[]}"#);
}

#[test]
fn whitespace_and_escapes_are_the_parsers_business() {
    accepted(" { \"join\" :\n{ \"na\\u006de\" : \"A\\n\" , \"group\" : null } } ");
    accepted(r#"{"set_p\u0061rticipant":{"id":"p","field":{"role":"facilitator"}}}"#);
}

#[test]
fn every_stored_golden_op_reads_the_same() {
    let ops = include_str!("golden/ops.jsonl");
    for line in ops.lines() {
        let op: Value = serde_json::from_str(line).unwrap();
        same(&op["body"].to_string()).expect("golden op");
        let back: Op = serde_json::from_str(line).unwrap();
        assert_eq!(serde_json::to_string(&back).unwrap(), line);
    }
}

// Strategies: every variant of `OpBody` and of every field enum.

fn text() -> impl Strategy<Value = String> {
    "[a-zé\"\\\\\n{}:, -]{0,6}"
}

fn ident() -> impl Strategy<Value = String> {
    "[a-z0-9-]{1,8}"
}

fn texts() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(text(), 0..3)
}

fn colour() -> impl Strategy<Value = Colour> {
    prop::sample::select(Colour::ALL.to_vec())
}

fn category() -> impl Strategy<Value = Category> {
    prop::sample::select(Category::ALL.to_vec())
}

fn board() -> impl Strategy<Value = BoardKind> {
    prop::sample::select(vec![BoardKind::Brainstorm, BoardKind::Bears])
}

fn activity() -> impl Strategy<Value = Activity> {
    prop::sample::select(vec![
        Activity::None,
        Activity::Brainstorm,
        Activity::Bears,
        Activity::Agreements,
    ])
}

fn list() -> impl Strategy<Value = AgreementList> {
    prop::sample::select(vec![
        AgreementList::Agreement,
        AgreementList::OpenEnd,
        AgreementList::FollowUp,
    ])
}

fn note_id() -> impl Strategy<Value = NoteId> {
    ident().prop_map(NoteId)
}

fn group_id() -> impl Strategy<Value = GroupId> {
    ident().prop_map(GroupId)
}

fn meta_field() -> impl Strategy<Value = MetaField> {
    prop_oneof![
        text().prop_map(MetaField::Title),
        text().prop_map(MetaField::Date),
        any::<u16>().prop_map(MetaField::PlannedStart),
        any::<u16>().prop_map(MetaField::PlannedEnd),
        any::<i16>().prop_map(MetaField::UtcOffset),
        prop::sample::select(vec![Lang::Nl, Lang::En]).prop_map(MetaField::Language),
        prop::sample::select(vec![Template::WerkenInNetwerken, Template::Empty])
            .prop_map(MetaField::Template),
        text().prop_map(MetaField::PracticalAssignment),
    ]
}

fn block_draft() -> impl Strategy<Value = BlockDraft> {
    (
        text(),
        any::<u16>(),
        (text(), text(), text(), text()),
        texts(),
        activity(),
    )
        .prop_map(
            |(title, duration_min, (work_form, materials, lead, notes), examples, activity)| {
                BlockDraft {
                    title,
                    duration_min,
                    work_form,
                    materials,
                    lead,
                    notes,
                    examples,
                    activity,
                }
            },
        )
}

fn block_field() -> impl Strategy<Value = BlockField> {
    prop_oneof![
        text().prop_map(BlockField::Title),
        any::<u16>().prop_map(BlockField::DurationMin),
        text().prop_map(BlockField::WorkForm),
        text().prop_map(BlockField::Materials),
        text().prop_map(BlockField::Lead),
        text().prop_map(BlockField::Notes),
        texts().prop_map(BlockField::Examples),
        activity().prop_map(BlockField::Activity),
        text().prop_map(BlockField::Order),
        any::<Option<i64>>().prop_map(BlockField::ActualStart),
        any::<Option<i64>>().prop_map(BlockField::ActualEnd),
        any::<bool>().prop_map(BlockField::Deleted),
        any::<Option<bool>>().prop_map(BlockField::Flexible),
    ]
}

fn timer() -> impl Strategy<Value = Timer> {
    let run = prop_oneof![
        Just(Run::Idle),
        any::<i64>().prop_map(|ends_at_ms| Run::Running { ends_at_ms }),
        any::<i64>().prop_map(|remaining_ms| Run::Paused { remaining_ms }),
    ];
    (prop::option::of(ident().prop_map(BlockId)), run)
        .prop_map(|(current, run)| Timer { current, run })
}

fn group_field() -> impl Strategy<Value = GroupField> {
    prop_oneof![
        text().prop_map(GroupField::Name),
        colour().prop_map(GroupField::Colour),
        text().prop_map(GroupField::Order),
        any::<bool>().prop_map(GroupField::Deleted),
    ]
}

fn board_field() -> impl Strategy<Value = BoardField> {
    let voting = (any::<bool>(), prop::option::of(ident().prop_map(RoundId)))
        .prop_map(|(open, round)| Voting { open, round });
    prop_oneof![
        any::<bool>().prop_map(BoardField::Open),
        any::<bool>().prop_map(BoardField::HideUntilRevealed),
        any::<bool>().prop_map(BoardField::Revealed),
        voting.prop_map(BoardField::Voting),
    ]
}

fn bear_wall_field() -> impl Strategy<Value = BearWallField> {
    prop_oneof![
        prop::sample::select(vec![
            BearPhase::Collect,
            BearPhase::Reveal,
            BearPhase::Cluster,
            BearPhase::Vote,
            BearPhase::Shoot,
            BearPhase::Closed,
        ])
        .prop_map(BearWallField::Phase),
        any::<bool>().prop_map(BearWallField::Anonymous),
        prop::option::of(note_id()).prop_map(BearWallField::Spotlight),
    ]
}

fn note_field() -> impl Strategy<Value = NoteField> {
    prop_oneof![
        text().prop_map(NoteField::Text),
        prop::option::of(group_id()).prop_map(NoteField::Group),
        prop::option::of(category()).prop_map(NoteField::Category),
        colour().prop_map(NoteField::Colour),
        text().prop_map(NoteField::Order),
        prop::option::of(note_id()).prop_map(NoteField::StackedOn),
        text().prop_map(NoteField::ClusterTitle),
        any::<bool>().prop_map(NoteField::Hidden),
        any::<bool>().prop_map(NoteField::Deleted),
        prop::sample::select(vec![
            BearStatus::Open,
            BearStatus::Shot,
            BearStatus::Tamed,
            BearStatus::Parked,
        ])
        .prop_map(NoteField::BearStatus),
        text().prop_map(NoteField::BearAnswer),
    ]
}

fn agreement_field() -> impl Strategy<Value = AgreementField> {
    prop_oneof![
        list().prop_map(AgreementField::List),
        text().prop_map(AgreementField::Text),
        text().prop_map(AgreementField::Owner),
        prop::option::of(text()).prop_map(AgreementField::Due),
        any::<bool>().prop_map(AgreementField::Done),
        text().prop_map(AgreementField::Order),
        any::<bool>().prop_map(AgreementField::Deleted),
    ]
}

fn plan_field() -> impl Strategy<Value = PlanField> {
    prop_oneof![
        text().prop_map(PlanField::Name),
        texts().prop_map(PlanField::Partners),
        text().prop_map(PlanField::Bouwer),
        text().prop_map(PlanField::Verbinder),
        text().prop_map(PlanField::Aanjager),
        texts().prop_map(PlanField::Colleagues),
        any::<Option<u32>>().prop_map(PlanField::TargetMembers),
        any::<Option<u32>>().prop_map(PlanField::TargetActivities),
        prop::option::of(text()).prop_map(PlanField::TargetDate),
        any::<Option<u32>>().prop_map(PlanField::StartPhaseMonths),
        any::<bool>().prop_map(PlanField::Deleted),
    ]
}

fn participant_field() -> impl Strategy<Value = ParticipantField> {
    prop_oneof![
        text().prop_map(ParticipantField::Name),
        prop::option::of(group_id()).prop_map(ParticipantField::Group),
        prop::sample::select(vec![Role::Facilitator, Role::Participant])
            .prop_map(ParticipantField::Role),
    ]
}

fn op_body() -> impl Strategy<Value = OpBody> {
    prop_oneof![
        meta_field().prop_map(OpBody::SetMeta),
        (block_draft(), text()).prop_map(|(b, order)| OpBody::CreateBlock {
            block: Box::new(b),
            order
        }),
        (ident(), block_field()).prop_map(|(id, field)| OpBody::SetBlock {
            id: BlockId(id),
            field
        }),
        timer().prop_map(OpBody::SetTimer),
        (text(), colour(), text()).prop_map(|(name, colour, order)| OpBody::CreateGroup {
            name,
            colour,
            order
        }),
        (group_id(), group_field()).prop_map(|(id, field)| OpBody::SetGroup { id, field }),
        (board(), board_field()).prop_map(|(board, field)| OpBody::SetBoard { board, field }),
        (board(), any::<u32>(), any::<bool>()).prop_map(|(board, budget, allow_multiple)| {
            OpBody::OpenVoting {
                board,
                budget,
                allow_multiple,
            }
        }),
        bear_wall_field().prop_map(OpBody::SetBearWall),
        (
            board(),
            prop::option::of(group_id()),
            prop::option::of(category()),
            text(),
            colour(),
            text()
        )
            .prop_map(|(board, group, category, text, colour, order)| {
                OpBody::CreateNote {
                    board,
                    group,
                    category,
                    text,
                    colour,
                    order,
                }
            }),
        (note_id(), note_field()).prop_map(|(id, field)| OpBody::SetNote { id, field }),
        (ident(), note_id(), any::<u32>()).prop_map(|(round, note, count)| OpBody::SetVote {
            round: RoundId(round),
            note,
            count
        }),
        (
            list(),
            text(),
            text(),
            prop::option::of(text()),
            text(),
            prop::option::of(note_id())
        )
            .prop_map(|(list, text, owner, due, order, bear)| {
                OpBody::CreateAgreement {
                    list,
                    text,
                    owner,
                    due,
                    order,
                    bear,
                }
            }),
        (ident(), agreement_field()).prop_map(|(id, field)| OpBody::SetAgreement {
            id: AgreementId(id),
            field
        }),
        (text(), prop::option::of(note_id()))
            .prop_map(|(name, source_note)| OpBody::CreatePlan { name, source_note }),
        (ident(), plan_field()).prop_map(|(id, field)| OpBody::SetPlan {
            id: PlanId(id),
            field
        }),
        (text(), prop::option::of(group_id()))
            .prop_map(|(name, group)| OpBody::Join { name, group }),
        (ident(), participant_field()).prop_map(|(id, field)| OpBody::SetParticipant {
            id: ParticipantId(id),
            field
        }),
        Just(OpBody::Refused),
        Just(OpBody::Withheld),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    (
        "[a-z0-9]{1,8}",
        any::<u64>(),
        any::<i64>(),
        any::<u32>(),
        op_body(),
    )
        .prop_map(|(actor, seq, wall_ms, counter, body)| Op {
            id: OpId {
                actor: ActorId::new(actor),
                seq,
            },
            hlc: Hlc { wall_ms, counter },
            body,
        })
}

/// One way of spoiling (or harmlessly reshaping) a written body, for comparing the two
/// readers on inputs neither wrote.
#[derive(Clone, Debug)]
enum Spoil {
    /// Re-written with its keys sorted (serde_json's map is ordered by key).
    Resort,
    DropKey(usize),
    AddKey(String, Value),
    SetKey(usize, Value),
    /// A struct variant written as an array of its values in order, less `usize` of them.
    AsArray(usize),
    RenameVariant(String),
}

fn any_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        text().prop_map(Value::from),
        Just(json!([])),
        Just(json!({})),
        Just(json!({"deleted": true})),
        Just(json!({"name": "x"})),
        Just(json!("brainstorm")),
        Just(json!("yellow")),
        Just(json!(["a", 1])),
    ]
}

fn spoil() -> impl Strategy<Value = Spoil> {
    let key = prop_oneof![
        Just("id".to_owned()),
        Just("field".to_owned()),
        Just("name".to_owned()),
        Just("group".to_owned()),
        Just("order".to_owned()),
        Just("block".to_owned()),
        Just("text".to_owned()),
        Just("count".to_owned()),
        "[a-z_]{1,12}",
    ];
    prop_oneof![
        Just(Spoil::Resort),
        (0..8usize).prop_map(Spoil::DropKey),
        (key, any_value()).prop_map(|(k, v)| Spoil::AddKey(k, v)),
        (0..8usize, any_value()).prop_map(|(i, v)| Spoil::SetKey(i, v)),
        (0..2usize).prop_map(Spoil::AsArray),
        prop::sample::select(vec![
            "set_meta",
            "create_block",
            "set_block",
            "set_timer",
            "create_group",
            "set_group",
            "set_board",
            "open_voting",
            "set_bear_wall",
            "create_note",
            "set_note",
            "set_vote",
            "create_agreement",
            "set_agreement",
            "create_plan",
            "set_plan",
            "join",
            "set_participant",
            "refused",
            "withheld",
            "nope",
        ])
        .prop_map(|v| Spoil::RenameVariant(v.to_owned())),
    ]
}

/// `body`'s JSON, spoilt. Keeps the key order of the written JSON where it can (a
/// `Value` map sorts its keys), by splicing strings.
fn spoilt(body: &OpBody, spoil: &Spoil) -> String {
    let written = serde_json::to_string(body).unwrap();
    let v: Value = serde_json::from_str(&written).unwrap();
    let Some((variant, inner)) = v.as_object().and_then(|m| m.iter().next()) else {
        // A unit variant.
        return match spoil {
            Spoil::RenameVariant(name) => json!(name).to_string(),
            Spoil::AddKey(_, value) => format!("{{{written}:{value}}}"),
            _ => written,
        };
    };
    let wrap = |inner: String| format!("{{{}:{inner}}}", json!(variant));
    let fields: Vec<(String, Value)> = match inner {
        Value::Object(m) => {
            // The written order, not the map's.
            let order = key_order(&written, m);
            order
                .into_iter()
                .map(|k| (k.clone(), m[&k].clone()))
                .collect()
        }
        _ => {
            return match spoil {
                Spoil::RenameVariant(name) => {
                    format!("{{{}:{}}}", json!(name), inner)
                }
                Spoil::SetKey(_, value) => wrap(value.to_string()),
                _ => written,
            };
        }
    };
    let object = |fields: &[(String, Value)]| {
        let parts: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{}:{}", json!(k), v))
            .collect();
        format!("{{{}}}", parts.join(","))
    };
    match spoil {
        Spoil::Resort => v.to_string(),
        Spoil::DropKey(i) => {
            let mut f = fields;
            if !f.is_empty() {
                let i = i % f.len();
                f.remove(i);
            }
            wrap(object(&f))
        }
        Spoil::AddKey(k, value) => {
            let mut f = fields;
            let at = k.len() % (f.len() + 1);
            f.insert(at, (k.clone(), value.clone()));
            wrap(object(&f))
        }
        Spoil::SetKey(i, value) => {
            let mut f = fields;
            if !f.is_empty() {
                let i = i % f.len();
                f[i].1 = value.clone();
            }
            wrap(object(&f))
        }
        Spoil::AsArray(less) => {
            let values: Vec<Value> = fields.into_iter().map(|(_, v)| v).collect();
            let keep = values.len().saturating_sub(*less);
            wrap(Value::Array(values[..keep].to_vec()).to_string())
        }
        Spoil::RenameVariant(name) => format!("{{{}:{}}}", json!(name), object(&fields)),
    }
}

/// The keys of `m` in the order they appear in `written` (keys of a struct variant are
/// unique and written once, so their first quoted appearance at depth 2 is theirs).
fn key_order(written: &str, m: &serde_json::Map<String, Value>) -> Vec<String> {
    let mut keys: Vec<(usize, String)> = m
        .keys()
        .map(|k| {
            let needle = format!("{}:", json!(k));
            (
                find_at_depth(written, &needle, 2).unwrap_or(usize::MAX),
                k.clone(),
            )
        })
        .collect();
    keys.sort();
    keys.into_iter().map(|(_, k)| k).collect()
}

/// Where `needle` first occurs in `json` outside strings at object depth `depth`.
fn find_at_depth(json: &str, needle: &str, depth: usize) -> Option<usize> {
    let bytes = json.as_bytes();
    let (mut d, mut in_str, mut esc) = (0usize, false, false);
    for i in 0..bytes.len() {
        let b = bytes[i];
        if in_str {
            if esc {
                esc = false;
            } else if b == b'\\' {
                esc = true;
            } else if b == b'"' {
                in_str = false;
            }
            continue;
        }
        if b == b'"' && d == depth && json[i..].starts_with(needle) {
            return Some(i);
        }
        match b {
            b'"' => in_str = true,
            b'{' | b'[' => d += 1,
            b'}' | b']' => d = d.saturating_sub(1),
            _ => {}
        }
    }
    None
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn every_op_the_writer_writes_reads_back_equal(op in op()) {
        let json = serde_json::to_string(&op).unwrap();
        let back: Op = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(&back, &op);
        // And from a `Value` (another deserializer) as well.
        let value: Value = serde_json::from_str(&json).unwrap();
        let back: Op = serde_json::from_value(value).unwrap();
        prop_assert_eq!(&back, &op);
        let body = serde_json::to_string(&op.body).unwrap();
        prop_assert_eq!(same(&body), Ok(body.clone()));
    }

    #[test]
    fn spoilt_bodies_are_read_as_the_derived_reader_reads_them(
        body in op_body(),
        spoils in prop::collection::vec(spoil(), 1..3),
    ) {
        for s in &spoils {
            same(&spoilt(&body, s)).ok();
        }
    }
}
