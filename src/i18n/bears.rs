//! Strings of the berenschiet wall: console tab, projector phases, participant collect view.
//! A part of the one translation table ([`super::Strings::bears`]).

use bijeen_core::bear_wall::Progress;
use bijeen_core::{BearPhase, BearStatus};

pub struct BearStrings {
    pub tab: &'static str,
    pub phase_hint: fn(BearPhase) -> &'static str,
    // console: phase controls
    pub wall_heading: &'static str,
    pub phase_label: &'static str,
    pub anonymous_label: &'static str,
    // console: the list of bears
    pub list_heading: &'static str,
    pub none_yet: &'static str,
    pub stacking_hint: &'static str,
    pub spotlit_badge: &'static str,
    pub cluster_title_label: &'static str,
    pub cluster_label: &'static str,
    pub spotlight: &'static str,
    pub spotlight_bear: fn(&str) -> String,
    pub stack_bear: fn(&str) -> String,
    pub stack_here_label: fn(&str) -> String,
    pub unstack_bear: fn(&str) -> String,
    pub delete_bear: fn(&str) -> String,
    // console: shooting
    pub shoot_heading: &'static str,
    pub previous_open: &'static str,
    pub next_open: &'static str,
    pub leave_spotlight: &'static str,
    pub no_spotlight: &'static str,
    pub no_open_bears: &'static str,
    pub answer_field: &'static str,
    pub shoot: &'static str,
    pub tame_legend: &'static str,
    pub action_field: &'static str,
    pub owner_field: &'static str,
    pub due_field: &'static str,
    pub tame: &'static str,
    pub park_hint: &'static str,
    pub park: &'static str,
    pub reopen: &'static str,
    /// Keyboard shortcuts of the shoot phase, for the help dialog.
    pub shortcuts_heading: &'static str,
    pub shortcuts: [(&'static str, &'static str); 2],
    // projector
    /// The word under the big number while collecting ("beren binnen").
    pub count_label: fn(usize) -> String,
    pub collect_hint: &'static str,
    pub projector_voting: fn(u32) -> String,
    pub projector_waiting: &'static str,
}

/// The part of [`BearStrings`] a participant's phone shows ([`super::PhoneStrings`]).
pub struct PhoneBearStrings {
    // phases and statuses
    pub phase_collect: &'static str,
    pub phase_reveal: &'static str,
    pub phase_cluster: &'static str,
    pub phase_vote: &'static str,
    pub phase_shoot: &'static str,
    pub phase_closed: &'static str,
    pub status_open: &'static str,
    pub status_shot: &'static str,
    pub status_tamed: &'static str,
    pub status_parked: &'static str,
    /// "14 beren binnen".
    pub count_in: fn(usize) -> String,
    /// "2 geschoten · 1 getemd · 1 geparkeerd · 1 open": each status that has bears.
    pub progress: fn(&Progress) -> String,
    pub text_label: &'static str,
    pub answer_label: &'static str,
    pub action_label: &'static str,
    /// An action as the wall shows it: text, owner, due date (`YYYY-MM-DD`) if any.
    pub action_line: fn(&str, &str, Option<&str>) -> String,
    // participant
    pub participant_heading: &'static str,
    pub question: &'static str,
    pub anonymous_hint: &'static str,
    pub named_hint: &'static str,
    pub add: &'static str,
    pub my_count: fn(usize) -> String,
    pub mine_heading: &'static str,
    pub withdraw: &'static str,
    pub edit_bear: fn(&str) -> String,
    pub withdraw_bear: fn(&str) -> String,
}

/// The statuses that have bears, each with its count, joined by " · "; the words are
/// participles and "open", the same for one bear and for several.
fn progress_parts(p: &Progress, word: fn(BearStatus) -> &'static str) -> String {
    let parts: Vec<String> = p.parts().map(|(s, n)| format!("{n} {}", word(s))).collect();
    parts.join(" · ")
}

fn beren(n: usize) -> &'static str {
    if n == 1 { "beer" } else { "beren" }
}

fn bears(n: usize) -> &'static str {
    if n == 1 { "bear" } else { "bears" }
}

pub const NL: BearStrings = BearStrings {
    tab: "Beren",
    phase_hint: |phase| match phase {
        BearPhase::Collect => {
            "Deelnemers schrijven hun beren op hun telefoon; ieder ziet alleen de eigen beren en het scherm alleen het aantal."
        }
        BearPhase::Reveal => {
            "Alle beren staan op het scherm. Deelnemers kunnen hun beren niet meer wijzigen."
        }
        BearPhase::Cluster => "Stapel dubbele beren op elkaar en geef de stapel een titel.",
        BearPhase::Vote => "Iedereen zet stippen op de grootste beren.",
        BearPhase::Shoot => {
            "Zet één beer of cluster in de schijnwerper, noteer het antwoord en kies: geschoten, getemd (actie met eigenaar en datum) of geparkeerd."
        }
        BearPhase::Closed => "Alleen-lezen overzicht: per status, met antwoorden en acties.",
    },
    wall_heading: "Berenschietmuur",
    phase_label: "Fase van de berenmuur",
    anonymous_label: "Anoniem: geen namen bij de beren (scherm, telefoons, export)",
    list_heading: "Beren",
    none_yet: "Nog geen beren.",
    stacking_hint: "Kies de beer waarop je wilt stapelen.",
    spotlit_badge: "In de schijnwerper",
    cluster_title_label: "Titel van de cluster",
    cluster_label: "Beren in deze cluster",
    spotlight: "In de schijnwerper",
    spotlight_bear: |text| format!("„{text}” in de schijnwerper zetten"),
    stack_bear: |text| format!("Stapelen: „{text}” op een andere beer"),
    stack_here_label: |text| format!("Hierop stapelen: „{text}”"),
    unstack_bear: |text| format!("„{text}” losmaken van de cluster"),
    delete_bear: |text| format!("Beer „{text}” verwijderen"),
    shoot_heading: "Beren schieten",
    previous_open: "Vorige open beer",
    next_open: "Volgende open beer",
    leave_spotlight: "Uit de schijnwerper",
    no_spotlight: "Nog geen beer in de schijnwerper. Kies „Volgende open beer”.",
    no_open_bears: "Alle beren zijn geschoten, getemd of geparkeerd.",
    answer_field: "Antwoord van de groep",
    shoot: "Geschoten",
    tame_legend: "Temmen: wordt een vervolgactie",
    action_field: "Actie (leeg: de tekst van de beer)",
    owner_field: "Eigenaar",
    due_field: "Uiterlijk",
    tame: "Temmen",
    park_hint: "Nu geen antwoord? Zet de beer op de parkeerplaats.",
    park: "Parkeren",
    reopen: "Weer openen",
    shortcuts_heading: "Tabblad Beren, fase Schieten",
    shortcuts: [("]", "Volgende open beer"), ("[", "Vorige open beer")],
    count_label: |n| format!("{} binnen", beren(n)),
    collect_hint: "Schrijf je vragen, belemmeringen en zorgen op je telefoon — anoniem",
    projector_voting: |budget| {
        format!("Stemmen: iedereen heeft {budget} stippen voor de grootste beren")
    },
    projector_waiting: "Welke beer schieten we als eerste?",
};

pub const PHONE_NL: PhoneBearStrings = PhoneBearStrings {
    phase_collect: "Verzamelen",
    phase_reveal: "Onthullen",
    phase_cluster: "Clusteren",
    phase_vote: "Stemmen",
    phase_shoot: "Schieten",
    phase_closed: "Afgesloten",
    status_open: "Open",
    status_shot: "Geschoten",
    status_tamed: "Getemd",
    status_parked: "Geparkeerd",
    count_in: |n| format!("{n} {} binnen", beren(n)),
    progress: |p| {
        progress_parts(p, |s| match s {
            BearStatus::Open => "open",
            BearStatus::Shot => "geschoten",
            BearStatus::Tamed => "getemd",
            BearStatus::Parked => "geparkeerd",
        })
    },
    text_label: "Je beer (vraag, belemmering of zorg)",
    answer_label: "Antwoord",
    action_label: "Actie",
    action_line: |text, owner, due| {
        let mut line = text.to_owned();
        if !owner.is_empty() {
            line.push_str(&format!(" — {owner}"));
        }
        if let Some(due) = due {
            line.push_str(&format!(", uiterlijk {due}"));
        }
        line
    },
    participant_heading: "Beren op de weg",
    question: "Welke vragen, belemmeringen of zorgen heb je nog over ondernemen in netwerken? Eén beer per keer.",
    anonymous_hint: "Anoniem: niemand ziet wie welke beer schreef. Tot het onthullen kun je je beren wijzigen of intrekken.",
    named_hint: "Je naam staat bij je beren. Tot het onthullen kun je ze wijzigen of intrekken.",
    add: "Beer toevoegen",
    my_count: |n| {
        if n == 1 {
            "Je hebt 1 beer ingeleverd".to_owned()
        } else {
            format!("Je hebt {n} beren ingeleverd")
        }
    },
    mine_heading: "Jouw beren",
    withdraw: "Intrekken",
    edit_bear: |text| format!("Beer „{text}” bewerken"),
    withdraw_bear: |text| format!("Beer „{text}” intrekken"),
};

pub const EN: BearStrings = BearStrings {
    tab: "Bears",
    phase_hint: |phase| match phase {
        BearPhase::Collect => {
            "Participants write their bears on their phones; each sees only their own, the screen only the count."
        }
        BearPhase::Reveal => {
            "All bears are on the screen. Participants can no longer change theirs."
        }
        BearPhase::Cluster => "Stack duplicate bears and give the stack a title.",
        BearPhase::Vote => "Everyone puts dots on the biggest bears.",
        BearPhase::Shoot => {
            "Spotlight one bear or cluster, record the answer and choose: shot, tamed (an action with owner and date) or parked."
        }
        BearPhase::Closed => "Read-only summary: per status, with answers and actions.",
    },
    wall_heading: "Bear wall",
    phase_label: "Phase of the bear wall",
    anonymous_label: "Anonymous: no names with the bears (screen, phones, export)",
    list_heading: "Bears",
    none_yet: "No bears yet.",
    stacking_hint: "Choose the bear to stack onto.",
    spotlit_badge: "In the spotlight",
    cluster_title_label: "Cluster title",
    cluster_label: "Bears in this cluster",
    spotlight: "Spotlight",
    spotlight_bear: |text| format!("Put “{text}” in the spotlight"),
    stack_bear: |text| format!("Stack: “{text}” onto another bear"),
    stack_here_label: |text| format!("Stack here: “{text}”"),
    unstack_bear: |text| format!("Take “{text}” out of the cluster"),
    delete_bear: |text| format!("Delete bear “{text}”"),
    shoot_heading: "Shooting bears",
    previous_open: "Previous open bear",
    next_open: "Next open bear",
    leave_spotlight: "Out of the spotlight",
    no_spotlight: "No bear in the spotlight yet. Choose “Next open bear”.",
    no_open_bears: "Every bear is shot, tamed or parked.",
    answer_field: "The group's answer",
    shoot: "Shot",
    tame_legend: "Tame: becomes a follow-up action",
    action_field: "Action (empty: the bear's text)",
    owner_field: "Owner",
    due_field: "Due",
    tame: "Tame",
    park_hint: "No answer now? Put the bear in the car park.",
    park: "Park",
    reopen: "Reopen",
    shortcuts_heading: "Bears tab, shoot phase",
    shortcuts: [("]", "Next open bear"), ("[", "Previous open bear")],
    count_label: |n| format!("{} in", bears(n)),
    collect_hint: "Write your questions, obstacles and worries on your phone — anonymously",
    projector_voting: |budget| format!("Voting: everyone has {budget} dots for the biggest bears"),
    projector_waiting: "Which bear do we shoot first?",
};

pub const PHONE_EN: PhoneBearStrings = PhoneBearStrings {
    phase_collect: "Collect",
    phase_reveal: "Reveal",
    phase_cluster: "Cluster",
    phase_vote: "Vote",
    phase_shoot: "Shoot",
    phase_closed: "Closed",
    status_open: "Open",
    status_shot: "Shot",
    status_tamed: "Tamed",
    status_parked: "Parked",
    count_in: |n| format!("{n} {} in", bears(n)),
    progress: |p| {
        progress_parts(p, |s| match s {
            BearStatus::Open => "open",
            BearStatus::Shot => "shot",
            BearStatus::Tamed => "tamed",
            BearStatus::Parked => "parked",
        })
    },
    text_label: "Your bear (question, obstacle or worry)",
    answer_label: "Answer",
    action_label: "Action",
    action_line: |text, owner, due| {
        let mut line = text.to_owned();
        if !owner.is_empty() {
            line.push_str(&format!(" — {owner}"));
        }
        if let Some(due) = due {
            line.push_str(&format!(", due {due}"));
        }
        line
    },
    participant_heading: "Bears on the road",
    question: "What questions, obstacles or worries do you still have about working in networks? One bear at a time.",
    anonymous_hint: "Anonymous: nobody sees who wrote which bear. Until the reveal you can change or withdraw your bears.",
    named_hint: "Your name is shown with your bears. Until the reveal you can change or withdraw them.",
    add: "Add bear",
    my_count: |n| {
        if n == 1 {
            "You handed in 1 bear".to_owned()
        } else {
            format!("You handed in {n} bears")
        }
    },
    mine_heading: "Your bears",
    withdraw: "Withdraw",
    edit_bear: |text| format!("Edit bear “{text}”"),
    withdraw_bear: |text| format!("Withdraw bear “{text}”"),
};
