use bijeen_core::export::{ImportError, ImportErrorKind, Invalid, JsonType};
use bijeen_core::{DomainError, Field};

use super::{PhoneStrings, Strings};

pub const EN: Strings = Strings {
    phone: &PHONE_EN,
    relay: &super::relay::EN,
    schedule: &super::schedule::EN,
    remote: &super::remote::EN,
    bears: &super::bears::EN,
    outcomes: &super::outcomes::EN,
    nav_home: "Home",
    home_title: "Bijeen",
    home_intro: "Plan a workshop, project the agenda with a timer per block, collect participants' sticky notes and record the agreements. Everything stays in this browser.",
    home_workshops_heading: "Workshops in this browser",
    home_no_workshops: "No workshops in this browser yet.",
    home_roles_heading: "Who does what",
    role_facilitator: "Facilitator",
    role_facilitator_text: "Builds the agenda, runs the timer per block, opens the boards and projects.",
    role_participant: "Participant",
    role_participant_text: "Joins from a phone or laptop with a link or code and adds sticky notes.",
    role_organiser: "Organiser",
    role_organiser_text: "Exports the outcomes afterwards as JSON, report or CSV.",
    console_title: "Console",
    projector_title: "Projector",
    coming_participant: "This is where you join: your name, your theme group and your notes. This screen arrives with the brainstorm board.",
    not_found_title: "Page not found",
    not_found_text: "This link does not exist (any more).",
    new_heading: "New workshop",
    template_label: "Template",
    template_seed: "Werken in netwerken (library, morning)",
    template_empty: "Empty",
    create_button: "Create workshop",
    import_heading: "Import JSON",
    import_label: "Choose a Bijeen export (.json)",
    import_help: "It is added as a new workshop; existing workshops stay as they are.",
    import_failed: |count| {
        if count == 1 {
            "This file cannot be imported. The problem:".to_owned()
        } else {
            format!("This file cannot be imported. The {count} problems:")
        }
    },
    imported: |title| format!("“{title}” was imported."),
    column_title: "Title",
    column_date: "Date",
    column_changed: "Last changed",
    column_actions: "Actions",
    open_button: "Open",
    duplicate_button: "Duplicate",
    copy_suffix: " (copy)",
    untitled: "Untitled workshop",
    delete_dialog_title: "Delete workshop?",
    delete_dialog_text: |title| {
        format!(
            "“{title}” will be removed from this browser. This cannot be undone. Export it as JSON first if you want to keep it."
        )
    },
    export_first_button: "Export JSON first",
    delete_confirm_button: "Delete for good",
    export_json_button: "Export JSON",
    tab_plan: "Programme",
    workshop_title_label: "Workshop title",
    workshop_date_label: "Date",
    planned_start_label: "Start",
    planned_end_label: "Planned close",
    agenda_heading: "Agenda",
    agenda_fits: |end, planned| {
        format!("The programme ends at {end}, within the planned close of {planned}.")
    },
    agenda_conflict: |end, planned, over| {
        format!("The programme runs until {end}: {over} min past the planned close of {planned}.")
    },
    block_number: |n| format!("Block {n}"),
    block_title_label: "Learning goal",
    block_duration_label: "Duration (min)",
    block_work_form_label: "Work form",
    block_lead_label: "Led by",
    block_notes_label: "Facilitator notes",
    block_examples_label: "Examples (one per line)",
    block_activity_label: "Activity",
    activity_none: "None",
    activity_brainstorm: "Brainstorm board",
    activity_bears: "Bear wall",
    activity_agreements: "Agreements",
    minutes_short: "min",
    move_up: |title| format!("Move “{title}” up"),
    move_down: |title| format!("Move “{title}” down"),
    delete_block: |title| format!("Delete “{title}”"),
    start_this_block: |title| format!("Start “{title}” now"),
    drag_handle: |title| format!("Drag to move “{title}”"),
    add_block: "Add block",
    new_block_title: "New block",
    block_deleted: |title| format!("“{title}” was deleted."),
    undo: "Undo",
    details_toggle: "Details",
    run_heading: "Now",
    start_workshop: "Start workshop",
    pause: "Pause",
    resume: "Resume",
    minus_minute: "−1 min",
    plus_minute: "+1 min",
    plus_five: "+5 min",
    previous_block: "Previous block",
    next_block: "Next block",
    finish_workshop: "Finish workshop",
    finished_thanks: "Thank you for taking part. These are the agreements:",
    reopen_workshop: "Reopen workshop",
    goodbye: "See you!",
    on_schedule: "On schedule",
    minutes_behind: |n| format!("{n} min behind"),
    minutes_ahead: |n| format!("{n} min ahead"),
    projected_end: |time| format!("Expected end {time}"),
    timeline_label: "Timeline: planned against actual",
    timeline_block: |title, planned, actual| match actual {
        Some(actual) => format!("{title}: planned {planned} min, actual {actual} min"),
        None => format!("{title}: planned {planned} min"),
    },
    open_projector: "Open projector",
    sound_on: "Sound on",
    sound_off: "Sound off",
    help_button: "Shortcuts",
    help_title: "Keyboard shortcuts",
    help_close: "Close",
    shortcuts: [
        ("Space", "Start / pause / resume"),
        ("N or →", "Next block"),
        ("P or ←", "Previous block"),
        ("+", "Add one minute"),
        ("−", "Take one minute off"),
        ("?", "Show or close this help"),
    ],
    last_block: "This is the last block",
    starts_at: |time| format!("Starts at {time}"),
    fullscreen: "Full screen",
    agenda_strip_label: "Agenda",
    // brainstorm board and participant view
    bs_tab: "Brainstorm",
    bs_groups_heading: "Theme groups",
    bs_new_group_label: "New theme group",
    bs_add_group: "Add group",
    bs_group_name_label: |n| format!("Name of theme group {n}"),
    bs_group_colour_label: "Colour",
    bs_delete_group: |name| format!("Delete theme group “{name}” (its notes move to No group)"),
    bs_board_heading: "Board and voting",
    bs_board_is_open: "The board is open for notes",
    bs_board_is_closed: "The board is closed",
    bs_hidden_status: "others' notes hidden until reveal",
    bs_revealed_status: "revealed",
    bs_voting_status: |budget, multiple| {
        if multiple {
            format!("voting open: {budget} dots each, several on one note allowed")
        } else {
            format!("voting open: {budget} dots each, one per note")
        }
    },
    bs_open_board: "Open board",
    bs_close_board: "Close board",
    bs_hide_until_reveal: "Hide until reveal",
    bs_reveal: "Reveal",
    bs_voting_heading: "Dot voting",
    bs_budget_label: "Dots per participant",
    bs_allow_multiple: "Allow several dots on one note",
    bs_open_voting: "Open voting",
    bs_close_voting: "Close voting",
    bs_sort_by_votes: "Sort by votes",
    bs_counters_heading: "Counters",
    bs_per_group: "Per theme group",
    bs_per_category: "Per category",
    bs_participants_label: "Participants",
    bs_participants_joined: "Joined",
    bs_participants_contributing: "With notes",
    bs_notes_heading: "Notes",
    bs_note_count: |n| {
        if n == 1 {
            "1 note".to_owned()
        } else {
            format!("{n} notes")
        }
    },
    bs_stacking_hint: "Choose the note to stack onto.",
    bs_anonymous: "Anonymous",
    bs_hidden_badge: "Hidden",
    bs_cluster_title_label: "Cluster title",
    bs_move_note_label: |text| format!("Theme group of “{text}”"),
    bs_hide: "Hide",
    bs_hide_note: |text| format!("Hide “{text}”"),
    bs_stack: "Stack…",
    bs_stack_note: |text| format!("Stack: “{text}” onto another note"),
    bs_stack_here: "Stack here",
    bs_stack_here_label: |text| format!("Stack here: “{text}”"),
    bs_unstack: "Unstack",
    bs_unstack_note: |text| format!("Take “{text}” off the stack"),
    bs_stack_label: "Stacked notes",
    bs_projector_hidden: "Notes stay hidden until the facilitator reveals them",
    bs_projector_open: "Add your notes from your phone",
    bs_projector_voting: |budget| format!("Voting: everyone has {budget} dots"),
};

pub const PHONE_EN: PhoneStrings = PhoneStrings {
    relay: &super::relay::PHONE_EN,
    bears: &super::bears::PHONE_EN,
    outcomes: &super::outcomes::PHONE_EN,
    language_name: "English",
    switch_language_label: "Language",
    app_tagline: "Run workshops live",
    skip_to_content: "Skip to content",
    participant_title: "Join",
    workshop_label: "Workshop",
    back_home: "Back to home",
    storage_unavailable: "This browser keeps nothing (private window or storage switched off). Your work lives only in this window: export it as JSON before you close it.",
    storage_full: "This browser's storage is full. Your last change is still in this window but was not saved: export the workshop as JSON.",
    storage_refused: "The browser refused to save. Your changes are still in this window: export the workshop as JSON.",
    workshop_not_found: "This workshop is not in this browser. Open it on the device where it was made, or import a JSON export.",
    workshop_damaged: "The stored workshop is damaged and cannot be opened.",
    changes_not_taken_in: |n| {
        let what = if n == 1 {
            "1 change".to_owned()
        } else {
            format!("{n} changes")
        };
        format!(
            "{what} from another window or the server clashed with what this window already had and {} not taken in. Export the workshop as JSON and tell whoever runs Bijeen.",
            if n == 1 { "was" } else { "were" }
        )
    },
    delete_button: "Delete",
    cancel_button: "Cancel",
    block_materials_label: "Materials",
    timer_idle: "Not started yet",
    workshop_finished: "Workshop finished",
    timer_paused: "Paused",
    timer_overrun: "Over time",
    timer_warning: "Almost done",
    time_left_label: "Time left",
    block_about_heading: "What this block is about",
    up_next: |title| format!("Up next: {title}"),
    lead_by: |lead| format!("led by {lead}"),
    domain_error,
    bs_colour_yellow: "Yellow",
    bs_colour_pink: "Pink",
    bs_colour_blue: "Blue",
    bs_colour_green: "Green",
    bs_colour_orange: "Orange",
    bs_colour_purple: "Purple",
    bs_no_group: "No group",
    bs_category_partner: "Network partner",
    bs_category_network: "Existing network",
    bs_category_form: "Form of collaboration",
    bs_category_activity: "Activity",
    bs_no_category: "No category",
    bs_category_label: "Kind of note",
    bs_note_text_label: "Note text",
    bs_votes: |n| {
        if n == 1 {
            "1 vote".to_owned()
        } else {
            format!("{n} votes")
        }
    },
    bs_delete_note: |text| format!("Delete “{text}”"),
    bs_withheld: |n| {
        if n == 1 {
            "1 note waits for the reveal".to_owned()
        } else {
            format!("{n} notes wait for the reveal")
        }
    },
    bs_now_label: "Now",
    bs_join_heading: "Join in",
    bs_name_label: "Your name (optional)",
    bs_group_label: "Theme group",
    bs_choose_later: "Choose later",
    bs_join: "Join",
    bs_join_anonymous: "Join anonymously",
    bs_joined_as: |name| format!("You take part as {name}"),
    bs_joined_anonymously: "You take part anonymously",
    bs_dots_left: |left, budget| format!("{left} of {budget} dots left"),
    bs_add_note_heading: "New note",
    bs_board_closed_hint: "The board is closed; you can add notes once the facilitator opens it.",
    bs_add_note: "Add note",
    bs_group_notes_heading: "Your group's notes",
    bs_no_notes_yet: "No notes yet.",
    bs_mine_badge: "Yours",
    bs_save: "Save",
    bs_edit: "Edit",
    bs_edit_note: |text| format!("Edit “{text}”"),
    bs_vote: "+ dot",
    bs_vote_for: |text| format!("+ dot on “{text}”"),
    bs_unvote: "− dot",
    bs_unvote_for: |text| format!("− dot off “{text}”"),
    bs_my_dots: |n| {
        if n == 1 {
            "1 dot of yours".to_owned()
        } else {
            format!("{n} dots of yours")
        }
    },
};

fn domain_error(error: DomainError) -> String {
    use DomainError::*;
    match error {
        Empty { field } => match field {
            Field::WorkshopTitle => "Fill in a title for the workshop.",
            Field::BlockTitle => "Fill in a learning goal.",
            Field::GroupName => "Fill in a name for the theme group.",
            Field::NoteText => "Write something on the note first.",
            Field::BearText => "Write your bear first.",
            Field::AgreementText => "Fill in the item's text.",
            Field::PlanName => "Fill in a name for the plan.",
            Field::Owner => "Fill in an owner.",
            Field::Action => "Fill in an action.",
        }
        .to_owned(),
        EmptyText => "Type something first.".to_owned(),
        TextTooLong { max } => format!("That is too long: at most {max} characters."),
        TooManyItems { max } => format!("Too many items: at most {max}."),
        DurationOutOfRange { min, max } => {
            format!("The duration must be between {min} and {max} minutes.")
        }
        AdjustmentOutOfRange { min, max } => format!("Adjust the time by {min} to {max} minutes."),
        BudgetOutOfRange { min, max } => {
            format!("The number of dots must be between {min} and {max}.")
        }
        NumberOutOfRange { max } => format!("The number can be at most {max}."),
        InvalidDate => "That is not a valid date.".to_owned(),
        TimeOfDayOutOfRange => "Choose a time between 00:00 and 23:59.".to_owned(),
        UtcOffsetOutOfRange => "The time zone is invalid.".to_owned(),
        NotNormalised => "The text has spaces at its start or end.".to_owned(),
        InvalidOrderKey => "The order is damaged.".to_owned(),
        VoteBudgetExhausted { budget } => format!("You have used all your {budget} dots."),
        OneVotePerNote => "You can put only one dot on a note.".to_owned(),
        NoVoteToRemove => "You have no dot here.".to_owned(),
        VotingClosed => "Voting is closed.".to_owned(),
        BoardClosed => "The board is closed.".to_owned(),
        BearWallNotCollecting => "Collecting bears is over.".to_owned(),
        NotYourNote => "This note belongs to someone else.".to_owned(),
        BearsAreAnonymous => {
            "Bears are anonymous: they never go to the server under your name. Reload the page and try again.".to_owned()
        }
        NotYourself => "You can only change your own details.".to_owned(),
        NotAllowedForRole => "Only the facilitator can do that.".to_owned(),
        NotJoined => "Join first.".to_owned(),
        UnknownBlock => "This block does not exist (any more).".to_owned(),
        UnknownGroup => "This theme group does not exist (any more).".to_owned(),
        UnknownNote => "This note does not exist (any more).".to_owned(),
        UnknownRound => "This voting round does not exist.".to_owned(),
        UnknownAgreement => "This agreement does not exist (any more).".to_owned(),
        UnknownPlan => "This community plan does not exist (any more).".to_owned(),
        UnknownParticipant => "This participant does not exist.".to_owned(),
        WrongBoard => "This note is on another board.".to_owned(),
        NotOnBrainstormBoard => "Only brainstorm notes have a theme group and category.".to_owned(),
        NotDeleted => "This is not deleted.".to_owned(),
        NoBlocks => "The agenda has no blocks yet.".to_owned(),
        NoNextBlock => "This is the last block.".to_owned(),
        NoPreviousBlock => "This is the first block.".to_owned(),
        TimerIdle => "No block is running yet.".to_owned(),
        TimerNotRunning => "The timer is not running.".to_owned(),
        TimerNotPaused => "The timer is not paused.".to_owned(),
        StackOntoSelf => "A note cannot be stacked onto itself.".to_owned(),
        NotStacked => "This note is not in a stack.".to_owned(),
    }
}

pub(super) fn import_error(error: &ImportError) -> String {
    let what = match &error.kind {
        ImportErrorKind::NotJson { line, column } => {
            format!("this is not valid JSON (line {line}, column {column})")
        }
        ImportErrorKind::WrongFormat { found } => {
            format!("this is not a Bijeen export (format “{found}”)")
        }
        ImportErrorKind::NewerVersion { found } => {
            format!("made by a newer Bijeen (format “{found}”); update this Bijeen to open it")
        }
        ImportErrorKind::MissingField => "this field is missing".to_owned(),
        ImportErrorKind::WrongType { expected } => format!(
            "this should be {}",
            match expected {
                JsonType::Object => "an object",
                JsonType::Array => "a list",
                JsonType::String => "text",
                JsonType::Integer => "a whole number",
            }
        ),
        ImportErrorKind::TooLarge { bytes } => format!(
            "the file is {:.1} MB; at most 10 MB can be imported",
            *bytes as f64 / 1_000_000.0
        ),
        ImportErrorKind::InvalidValue { problem } => match problem {
            Invalid::UnknownOpBody => "unknown change (made by another version?)".to_owned(),
            Invalid::Domain(domain) => format!("invalid value: {}", domain_error(*domain)),
            Invalid::ZeroSeq => "sequence number 0 does not exist".to_owned(),
            Invalid::EmptyActor => "the author is missing".to_owned(),
            Invalid::DuplicateOp => "two different changes share one number".to_owned(),
            Invalid::SummaryMismatch => {
                "the summary does not match the changes (edited by hand?)".to_owned()
            }
        },
    };
    // The plain sentence first; the JSON path is a detail for whoever fixes the file.
    if error.path.is_empty() || error.path == "$" {
        capitalise(&what)
    } else {
        format!("{} (where in the file: {})", capitalise(&what), error.path)
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
