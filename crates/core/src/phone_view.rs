//! What a participant's phone may show, computed where the whole workshop is (the relay),
//! and what the phone asks for, turned into a [`Command`]. The phone itself holds no
//! replica (see `bijeen-view`), so this is the one place that decides what reaches it:
//! another participant's note only once revealed and not hidden, a bear's author only when
//! the wall is not anonymous, and nothing of the facilitator's own (block notes, plans,
//! agreements, the other participants' names and groups).

use bijeen_view as view;

use crate::bear_wall::{effective_status, progress, wall};
use crate::command::Command;
use crate::error::{DomainError, DomainResult};
use crate::ids::{GroupId, NoteId, ParticipantId};
use crate::model::{
    BearPhase, BearStatus, BoardKind, Category, Colour, Lang, Note, Role, Run, Workshop,
};
use crate::phone::{PhoneLead, phone_lead};
use crate::pseudonym::Principal;

const BRAINSTORM: BoardKind = BoardKind::Brainstorm;
const BEARS: BoardKind = BoardKind::Bears;

/// The view of `who` (their own actor and, once named, their bear pseudonym).
pub fn phone_view(w: &Workshop, who: &Principal) -> view::PhoneView {
    let me = ParticipantId::of(&who.actor);
    let mine: Vec<ParticipantId> = who.actors().map(ParticipantId::of).collect();
    let lead = phone_lead(w);
    let (notes, withheld) = group_notes(w, &me);
    let head = view::Head {
        title: w.meta.title.value.clone(),
        lang: match *w.meta.language {
            Lang::Nl => view::Lang::Nl,
            Lang::En => view::Lang::En,
        },
        now: now(w),
        lead: match lead {
            PhoneLead::NoteForm => view::Lead::NoteForm,
            PhoneLead::Votes => view::Lead::Votes,
            PhoneLead::Bears => view::Lead::Bears,
            PhoneLead::Agreements => view::Lead::Agreements,
            PhoneLead::Assignment => view::Lead::Assignment,
            PhoneLead::BlockContent => view::Lead::BlockContent,
        },
        me: w
            .participant(&me)
            .map(|p| view::Me {
                joined: true,
                name: p.name.value.clone(),
                group: w.default_group_for(&me).map(|g| g.0.clone()),
            })
            .unwrap_or_default(),
        groups: w
            .groups_in_order()
            .into_iter()
            .map(|(id, g)| view::GroupView {
                id: id.0.clone(),
                name: g.name.value.clone(),
                colour: colour_key(*g.colour).to_owned(),
            })
            .collect(),
        brainstorm: view::BoardView {
            open: w.accepts_notes(BRAINSTORM),
            withheld,
            dots: dots(w, BRAINSTORM, std::slice::from_ref(&me)),
            results: results_shown(w, BRAINSTORM),
        },
        bears: view::BearWallView {
            phase: bear_phase(*w.bear_wall.phase),
            open: w.accepts_notes(BEARS),
            anonymous: *w.bear_wall.anonymous,
            dots: (*w.bear_wall.phase == BearPhase::Vote)
                .then(|| dots(w, BEARS, &mine))
                .flatten(),
            progress: {
                let p = progress(w);
                let n = |c: usize| u32::try_from(c).unwrap_or(u32::MAX);
                view::Progress {
                    total: n(p.total),
                    open: n(p.open),
                    shot: n(p.shot),
                    tamed: n(p.tamed),
                    parked: n(p.parked),
                }
            },
        },
        assignment: matches!(lead, PhoneLead::Assignment | PhoneLead::Agreements)
            .then(|| w.meta.practical_assignment.value.clone())
            .filter(|a| !a.trim().is_empty()),
    };
    view::PhoneView {
        head,
        notes,
        bears: bears(w, who, &mine),
    }
}

fn now(w: &Workshop) -> view::Now {
    if w.is_finished() {
        return view::Now::Finished;
    }
    let blocks = w.blocks_in_order();
    let Some(index) = w
        .timer
        .current
        .as_ref()
        .and_then(|current| blocks.iter().position(|(id, _)| *id == current))
    else {
        return view::Now::NotStarted;
    };
    let (id, block) = blocks[index];
    view::Now::Block(view::BlockView {
        id: id.0.clone(),
        title: block.title.value.clone(),
        run: match w.timer.run {
            Run::Idle => view::Run::Idle,
            Run::Running { ends_at_ms } => view::Run::Running { ends_at_ms },
            Run::Paused { remaining_ms } => view::Run::Paused { remaining_ms },
        },
        duration_ms: i64::from(*block.duration_min) * 60_000,
        work_form: block.work_form.value.trim().to_owned(),
        lead: block.lead_beside_work_form().map(str::to_owned),
        examples: block.examples.value.clone(),
        materials: block.materials.value.trim().to_owned(),
        next: blocks.get(index + 1).map(|(_, b)| b.title.value.clone()),
    })
}

/// My group's brainstorm notes I may see (mine always, the others' once revealed and not
/// hidden), most-voted first once results are shown; and how many others wait for the
/// reveal.
fn group_notes(w: &Workshop, me: &ParticipantId) -> (Vec<view::NoteView>, u32) {
    let group = w.default_group_for(me);
    let results = results_shown(w, BRAINSTORM);
    let mut withheld = 0u32;
    let mut notes = Vec::new();
    // Run for every phone after every change: each note is looked up no more than it must.
    let in_group = |id: &NoteId, note: &Note| w.note_group_of(id, note) == group;
    for (id, note) in w.notes_in_order_where(BRAINSTORM, in_group) {
        if !w.note_visible_to(note, me, Role::Participant) {
            if !*note.hidden {
                withheld = withheld.saturating_add(1);
            }
            continue;
        }
        notes.push(view::NoteView {
            id: id.0.clone(),
            text: note.text.value.clone(),
            category: note.category.value.map(|c| category_key(c).to_owned()),
            mine: note.author == *me,
            votes: results.then(|| w.vote_total(id)),
            my_votes: w.my_votes_on(id, me),
        });
    }
    if results {
        notes.sort_by_key(|n| std::cmp::Reverse(n.votes.unwrap_or(0)));
    }
    (notes, withheld)
}

/// My own bears while the wall collects; after that the wall's clusters I may see.
fn bears(w: &Workshop, who: &Principal, mine: &[ParticipantId]) -> Vec<view::BearView> {
    let visible = |id: &NoteId| {
        mine.iter()
            .any(|me| w.visible_to(id, me, Role::Participant))
    };
    let ids: Vec<NoteId> = if *w.bear_wall.phase == BearPhase::Collect {
        w.notes_in_order(BEARS)
            .into_iter()
            .filter(|(_, n)| who.wrote(&n.author))
            .map(|(id, _)| id.clone())
            .collect()
    } else {
        wall(w).roots.into_iter().filter(|id| visible(id)).collect()
    };
    ids.iter()
        .filter_map(|id| {
            let note = w.note(id)?;
            let is_mine = who.wrote(&note.author);
            Some(view::BearView {
                id: id.0.clone(),
                text: note.text.value.clone(),
                mine: is_mine,
                cluster_title: note.cluster_title.value.clone(),
                stacked: w
                    .stacked_onto(id)
                    .into_iter()
                    .filter(|child| visible(child))
                    .filter_map(|child| {
                        w.note(child).map(|n| view::StackedBear {
                            id: child.0.clone(),
                            text: n.text.value.clone(),
                        })
                    })
                    .collect(),
                author_name: author_name(w, id, &note.author),
                status: bear_status(effective_status(w, id)),
                answer: note.bear_answer.value.clone(),
                actions: w
                    .actions_for_bear(id)
                    .into_iter()
                    .map(|(_, a)| view::ActionLine {
                        text: a.text.value.clone(),
                        owner: a.owner.value.clone(),
                        due: a.due.value.clone(),
                    })
                    .collect(),
                my_votes: mine.iter().map(|me| w.my_votes_on(id, me)).sum(),
                by_pseudonym: is_mine
                    && who
                        .pseudonym
                        .as_ref()
                        .is_some_and(|p| p.as_str() == note.author.as_str()),
            })
        })
        .collect()
}

fn author_name(w: &Workshop, id: &NoteId, author: &ParticipantId) -> Option<String> {
    if !w.author_shown(id) {
        return None;
    }
    w.participant(author)
        .map(|p| p.name.value.clone())
        .filter(|name| !name.is_empty())
}

fn dots(w: &Workshop, board: BoardKind, mine: &[ParticipantId]) -> Option<view::Dots> {
    let (id, round) = w.open_round(board)?;
    let used: u32 = mine.iter().map(|me| w.votes_used(id, me)).sum();
    Some(view::Dots {
        left: round.budget.saturating_sub(used),
        budget: round.budget,
    })
}

fn results_shown(w: &Workshop, board: BoardKind) -> bool {
    w.open_round(board).is_none() && w.shown_round(board).is_some()
}

fn bear_phase(p: BearPhase) -> view::BearPhase {
    match p {
        BearPhase::Collect => view::BearPhase::Collect,
        BearPhase::Reveal => view::BearPhase::Reveal,
        BearPhase::Cluster => view::BearPhase::Cluster,
        BearPhase::Vote => view::BearPhase::Vote,
        BearPhase::Shoot => view::BearPhase::Shoot,
        BearPhase::Closed => view::BearPhase::Closed,
    }
}

fn bear_status(s: BearStatus) -> view::BearStatus {
    match s {
        BearStatus::Open => view::BearStatus::Open,
        BearStatus::Shot => view::BearStatus::Shot,
        BearStatus::Tamed => view::BearStatus::Tamed,
        BearStatus::Parked => view::BearStatus::Parked,
    }
}

/// The wire name of a category (its serde name).
pub fn category_key(c: Category) -> &'static str {
    match c {
        Category::Netwerkpartner => "netwerkpartner",
        Category::BestaandNetwerk => "bestaand_netwerk",
        Category::Samenwerkingsvorm => "samenwerkingsvorm",
        Category::Activiteit => "activiteit",
    }
}

fn colour_key(c: Colour) -> &'static str {
    match c {
        Colour::Yellow => "yellow",
        Colour::Pink => "pink",
        Colour::Blue => "blue",
        Colour::Green => "green",
        Colour::Orange => "orange",
        Colour::Purple => "purple",
    }
}

/// The command a phone's intent asks for. Every intent is one a participant may make;
/// `decide` then checks it against the workshop as for any participant.
pub fn command_of(intent: &view::Intent) -> DomainResult<Command> {
    use view::Intent as I;
    let group = |g: &Option<String>| g.as_deref().map(GroupId::from);
    Ok(match intent {
        I::Join { name, group: g } => Command::Join {
            name: name.clone(),
            group: group(g),
        },
        I::Rename { name } => Command::Rename { name: name.clone() },
        I::SetGroup { group: g } => Command::SetGroup { group: group(g) },
        I::AddNote {
            group: g,
            category,
            text,
        } => Command::AddNote {
            board: BRAINSTORM,
            group: group(g),
            category: match category.as_deref() {
                None => None,
                Some(name) => Some(
                    Category::ALL
                        .into_iter()
                        .find(|c| category_key(*c) == name)
                        .ok_or(DomainError::NotAllowedForRole)?,
                ),
            },
            text: text.clone(),
            colour: None,
        },
        I::EditNote { id, text } => Command::EditNote {
            id: NoteId::from(id.as_str()),
            text: text.clone(),
        },
        I::DeleteNote { id } => Command::DeleteNote(NoteId::from(id.as_str())),
        I::AddBear { text } => Command::AddNote {
            board: BEARS,
            group: None,
            category: None,
            text: text.clone(),
            colour: None,
        },
        I::CastVote { note } => Command::CastVote {
            note: NoteId::from(note.as_str()),
        },
        I::RemoveVote { note } => Command::RemoveVote {
            note: NoteId::from(note.as_str()),
        },
    })
}
