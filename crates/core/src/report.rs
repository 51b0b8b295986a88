//! Reports for people, as pure functions the app only downloads: a Markdown report of the
//! whole workshop and a CSV of all notes, both in the workshop's language (Dutch or
//! English). A stacked bear is shown with its cluster's status everywhere
//! ([`effective_status`]), as on the wall. The JSON export keeps the machine names.

use std::fmt::Write as _;

use crate::bear_wall::effective_status;
use crate::calendar;
use crate::ids::{NoteId, ParticipantId};
use crate::model::{
    AgreementList, BearStatus, BoardKind, Category, CommunityRole, Lang, LessonWarning, Workshop,
};
use crate::pseudonym::Principal;
use crate::schedule::{hhmm, schedule};

struct Labels {
    date: &'static str,
    participants: &'static str,
    planned: &'static str,
    computed_end: &'static str,
    over: &'static str,
    agenda: &'static str,
    col_planned: &'static str,
    col_min: &'static str,
    col_block: &'static str,
    col_form: &'static str,
    col_lead: &'static str,
    col_actual: &'static str,
    col_drift: &'static str,
    examples: &'static str,
    brainstorm: &'static str,
    no_group: &'static str,
    no_category: &'static str,
    vote: &'static str,
    votes: &'static str,
    hidden: &'static str,
    bears: &'static str,
    /// The bear board's name in the CSV's board column.
    board_bears: &'static str,
    yes: &'static str,
    no: &'static str,
    csv_header: [&'static str; CSV_COLUMNS],
    answer: &'static str,
    action: &'static str,
    agreements: &'static str,
    open_ends: &'static str,
    follow_up: &'static str,
    practical: &'static str,
    plans: &'static str,
    partners: &'static str,
    colleagues: &'static str,
    targets: &'static str,
    members: &'static str,
    activities: &'static str,
    by: &'static str,
    start_phase: &'static str,
    months: &'static str,
    none: &'static str,
    my_contributions: &'static str,
    name: &'static str,
    anonymous: &'static str,
}

const NL: Labels = Labels {
    date: "Datum",
    participants: "Deelnemers",
    planned: "Gepland",
    computed_end: "berekend einde",
    over: "min over tijd",
    agenda: "Programma",
    col_planned: "Gepland",
    col_min: "Min",
    col_block: "Leerdoel",
    col_form: "Werkvorm",
    col_lead: "Door",
    col_actual: "Werkelijk",
    col_drift: "Afwijking",
    examples: "voorbeelden",
    brainstorm: "Brainstorm",
    no_group: "Zonder themagroep",
    no_category: "Zonder categorie",
    vote: "stem",
    votes: "stemmen",
    hidden: "verborgen",
    bears: "Berenschieten",
    board_bears: "Beren",
    yes: "ja",
    no: "nee",
    csv_header: [
        "Id",
        "Bord",
        "Themagroep",
        "Categorie",
        "Tekst",
        "Auteur",
        "Stemmen",
        "Gestapeld op",
        "Clustertitel",
        "Verborgen",
        "Status beer",
        "Antwoord",
    ],
    answer: "Antwoord",
    action: "Actie",
    agreements: "Afspraken",
    open_ends: "Open eindjes",
    follow_up: "Vervolgacties",
    practical: "Praktijkopdracht",
    plans: "Communityplannen",
    partners: "Partners",
    colleagues: "Andere collega's",
    targets: "Doelen",
    members: "leden",
    activities: "activiteiten",
    by: "uiterlijk",
    start_phase: "Beginfase",
    months: "maanden",
    none: "geen",
    my_contributions: "Mijn bijdragen",
    name: "Naam",
    anonymous: "anoniem",
};

const EN: Labels = Labels {
    date: "Date",
    participants: "Participants",
    planned: "Planned",
    computed_end: "computed end",
    over: "min over time",
    agenda: "Agenda",
    col_planned: "Planned",
    col_min: "Min",
    col_block: "Learning goal",
    col_form: "Work form",
    col_lead: "Lead",
    col_actual: "Actual",
    col_drift: "Drift",
    examples: "examples",
    brainstorm: "Brainstorm",
    no_group: "No theme group",
    no_category: "No category",
    vote: "vote",
    votes: "votes",
    hidden: "hidden",
    bears: "Bear shooting",
    board_bears: "Bears",
    yes: "yes",
    no: "no",
    csv_header: [
        "Id",
        "Board",
        "Theme group",
        "Category",
        "Text",
        "Author",
        "Votes",
        "Stacked on",
        "Cluster title",
        "Hidden",
        "Bear status",
        "Answer",
    ],
    answer: "Answer",
    action: "Action",
    agreements: "Agreements",
    open_ends: "Open ends",
    follow_up: "Follow-up actions",
    practical: "Practical assignment",
    plans: "Community plans",
    partners: "Partners",
    colleagues: "Other colleagues",
    targets: "Targets",
    members: "members",
    activities: "activities",
    by: "by",
    start_phase: "Start phase",
    months: "months",
    none: "none",
    my_contributions: "My contributions",
    name: "Name",
    anonymous: "anonymous",
};

fn labels(lang: Lang) -> &'static Labels {
    match lang {
        Lang::Nl => &NL,
        Lang::En => &EN,
    }
}

/// "1 stem", "2 stemmen"; "1 vote", "2 votes".
fn votes_text(l: &Labels, n: u32) -> String {
    format!("{n} {}", if n == 1 { l.vote } else { l.votes })
}

pub fn category_label(c: Category, lang: Lang) -> &'static str {
    match (c, lang) {
        (Category::Netwerkpartner, Lang::Nl) => "Netwerkpartners",
        (Category::Netwerkpartner, Lang::En) => "Network partners",
        (Category::BestaandNetwerk, Lang::Nl) => "Bestaande netwerken",
        (Category::BestaandNetwerk, Lang::En) => "Existing networks",
        (Category::Samenwerkingsvorm, Lang::Nl) => "Samenwerkingsvormen",
        (Category::Samenwerkingsvorm, Lang::En) => "Forms of collaboration",
        (Category::Activiteit, Lang::Nl) => "Activiteiten",
        (Category::Activiteit, Lang::En) => "Activities",
    }
}

pub fn bear_status_label(s: BearStatus, lang: Lang) -> &'static str {
    match (s, lang) {
        (BearStatus::Open, Lang::Nl) => "Open",
        (BearStatus::Open, Lang::En) => "Open",
        (BearStatus::Shot, Lang::Nl) => "Geschoten",
        (BearStatus::Shot, Lang::En) => "Shot (answered)",
        (BearStatus::Tamed, Lang::Nl) => "Getemd",
        (BearStatus::Tamed, Lang::En) => "Tamed (became an action)",
        (BearStatus::Parked, Lang::Nl) => "Geparkeerd",
        (BearStatus::Parked, Lang::En) => "Parked",
    }
}

fn role_label(r: CommunityRole, lang: Lang) -> &'static str {
    match (r, lang) {
        (CommunityRole::Bouwer, Lang::Nl) => "bouwer",
        (CommunityRole::Bouwer, Lang::En) => "builder (bouwer)",
        (CommunityRole::Verbinder, Lang::Nl) => "verbinder",
        (CommunityRole::Verbinder, Lang::En) => "connector (verbinder)",
        (CommunityRole::Aanjager, Lang::Nl) => "aanjager",
        (CommunityRole::Aanjager, Lang::En) => "driver (aanjager)",
    }
}

pub fn warning_text(w: LessonWarning, lang: Lang) -> String {
    match (w, lang) {
        (LessonWarning::RoleMissing(r), Lang::Nl) => {
            format!("Geen {} aangewezen (les 1).", role_label(r, lang))
        }
        (LessonWarning::RoleMissing(r), Lang::En) => {
            format!("No {} assigned (lesson 1).", role_label(r, lang))
        }
        (LessonWarning::TooManyLibraryColleagues { count }, Lang::Nl) => {
            format!("{count} bibliotheekmedewerkers; meer dan 3 is niet nodig (les 6).")
        }
        (LessonWarning::TooManyLibraryColleagues { count }, Lang::En) => {
            format!("{count} library staff; more than 3 is not needed (lesson 6).")
        }
        (LessonWarning::NoMeasurableTarget, Lang::Nl) => {
            "Geen meetbaar doel (aantal leden of activiteiten, les 4).".to_owned()
        }
        (LessonWarning::NoMeasurableTarget, Lang::En) => {
            "No measurable target (number of members or activities, lesson 4).".to_owned()
        }
        (LessonWarning::StartPhaseTooShort { months }, Lang::Nl) => {
            format!("Beginfase van {months} maanden; trek minimaal een jaar uit (les 9).")
        }
        (LessonWarning::StartPhaseTooShort { months }, Lang::En) => {
            format!("Start phase of {months} months; plan at least a year (lesson 9).")
        }
    }
}

/// Escape text for Markdown prose and table cells: one line, no active syntax.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '<' | '>' => {
                out.push('\\');
                out.push(c);
            }
            '\r' => {}
            '\n' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

fn signed(n: i64) -> String {
    match n {
        0 => "0".to_owned(),
        n if n > 0 => format!("+{n}"),
        n => format!("−{}", -n),
    }
}

/// The whole workshop as Markdown, with headings in `lang`.
pub fn markdown_report(w: &Workshop, lang: Lang) -> String {
    let l = labels(lang);
    let mut o = String::new();
    let sched = schedule(w);
    let date = w.meta.date.as_str();
    let offset = *w.meta.utc_offset_min;
    let _ = writeln!(o, "# {}\n", md(&w.meta.title));
    let _ = writeln!(o, "- {}: {}", l.date, md(date));
    let _ = writeln!(o, "- {}: {}", l.participants, w.participants_joined().len());
    let _ = write!(
        o,
        "- {}: {}–{} ({} {}",
        l.planned,
        hhmm(sched.planned_start_min.into()),
        hhmm(sched.planned_end_min.into()),
        l.computed_end,
        hhmm(sched.computed_end_min.into()),
    );
    if sched.over_min > 0 {
        let _ = write!(o, ", {} {}", sched.over_min, l.over);
    }
    let _ = writeln!(o, ")\n");

    let _ = writeln!(o, "## {}\n", l.agenda);
    let _ = writeln!(
        o,
        "| {} | {} | {} | {} | {} | {} | {} |",
        l.col_planned, l.col_min, l.col_block, l.col_form, l.col_lead, l.col_actual, l.col_drift
    );
    let _ = writeln!(o, "|---|---|---|---|---|---|---|");
    for (id, b) in w.blocks_in_order() {
        let Some(row) = sched.row(id) else { continue };
        let local =
            |ms: Option<i64>| ms.and_then(|ms| calendar::ms_to_local_minutes(date, ms, offset));
        let start = local(*b.actual_start_ms);
        let end = local(*b.actual_end_ms);
        let actual = match (start, end) {
            (Some(s), Some(e)) => format!("{}–{}", hhmm(s), hhmm(e)),
            (Some(s), None) => format!("{}–", hhmm(s)),
            _ => String::new(),
        };
        let drift = start
            .map(|s| signed(s - i64::from(row.start_min)))
            .unwrap_or_default();
        let mut title = md(&b.title);
        if !b.examples.is_empty() {
            let ex: Vec<String> = b.examples.iter().map(|e| md(e)).collect();
            let _ = write!(title, " ({}: {})", l.examples, ex.join("; "));
        }
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} | {} |",
            hhmm(row.start_min.into()),
            row.duration_min,
            title,
            md(&b.work_form),
            md(&b.lead),
            actual,
            drift
        );
    }
    o.push('\n');

    brainstorm_section(w, lang, &mut o);
    bears_section(w, lang, &mut o);

    for (list, heading) in [
        (AgreementList::Agreement, l.agreements),
        (AgreementList::OpenEnd, l.open_ends),
        (AgreementList::FollowUp, l.follow_up),
    ] {
        let items = w.agreements_in_order(list);
        let _ = writeln!(o, "## {heading}\n");
        if items.is_empty() {
            let _ = writeln!(o, "_{}_\n", l.none);
            continue;
        }
        for (_, a) in items {
            let mut line = format!("- [{}] {}", if *a.done { "x" } else { " " }, md(&a.text));
            let who: Vec<String> = [Some(md(&a.owner)), a.due.as_deref().map(md)]
                .into_iter()
                .flatten()
                .filter(|s| !s.is_empty())
                .collect();
            if !who.is_empty() {
                let _ = write!(line, " — {}", who.join(", "));
            }
            let _ = writeln!(o, "{line}");
        }
        o.push('\n');
    }
    if !w.meta.practical_assignment.is_empty() {
        let _ = writeln!(
            o,
            "**{}:** {}\n",
            l.practical,
            md(&w.meta.practical_assignment)
        );
    }

    let plans = w.plans_live();
    if !plans.is_empty() {
        let _ = writeln!(o, "## {}\n", l.plans);
        for (_, p) in plans {
            let _ = writeln!(o, "### {}\n", md(&p.name));
            if !p.partners.is_empty() {
                let v: Vec<String> = p.partners.iter().map(|s| md(s)).collect();
                let _ = writeln!(o, "- {}: {}", l.partners, v.join(", "));
            }
            for (role, holder) in [
                (CommunityRole::Bouwer, &p.bouwer),
                (CommunityRole::Verbinder, &p.verbinder),
                (CommunityRole::Aanjager, &p.aanjager),
            ] {
                let _ = writeln!(o, "- {}: {}", role_label(role, lang), md(holder));
            }
            if !p.colleagues.is_empty() {
                let v: Vec<String> = p.colleagues.iter().map(|s| md(s)).collect();
                let _ = writeln!(o, "- {}: {}", l.colleagues, v.join(", "));
            }
            let mut t = Vec::new();
            if let Some(n) = *p.target_members {
                t.push(format!("{n} {}", l.members));
            }
            if let Some(n) = *p.target_activities {
                t.push(format!("{n} {}", l.activities));
            }
            if let Some(d) = p.target_date.as_deref() {
                t.push(format!("{} {}", l.by, md(d)));
            }
            if !t.is_empty() {
                let _ = writeln!(o, "- {}: {}", l.targets, t.join(", "));
            }
            if let Some(m) = *p.start_phase_months {
                let _ = writeln!(o, "- {}: {m} {}", l.start_phase, l.months);
            }
            for warning in p.lesson_warnings() {
                let _ = writeln!(o, "- ⚠ {}", warning_text(warning, lang));
            }
            o.push('\n');
        }
    }
    o
}

/// One participant's own export: the workshop, their name, the practical assignment, and
/// every note they wrote (brainstorm notes with group, category and votes; bears with what
/// became of them). Nobody else's notes are in it, so it can be shared freely.
/// A participant's own contributions (their notes, and their bears whether written under
/// their name or their pseudonym), with the practical assignment.
pub fn participant_report(w: &Workshop, who: &Principal, lang: Lang) -> String {
    let ids: Vec<ParticipantId> = who.actors().map(ParticipantId::of).collect();
    let me = &ParticipantId::of(&who.actor);
    let l = labels(lang);
    let mut o = String::new();
    let _ = writeln!(o, "# {}\n", md(&w.meta.title));
    let _ = writeln!(o, "- {}: {}", l.date, md(&w.meta.date));
    let name = w
        .participant(me)
        .map(|p| p.name.value.clone())
        .filter(|n| !n.is_empty());
    let _ = writeln!(
        o,
        "- {}: {}\n",
        l.name,
        name.as_deref().map_or_else(|| l.anonymous.to_owned(), md)
    );
    if !w.meta.practical_assignment.is_empty() {
        let _ = writeln!(o, "## {}\n", l.practical);
        let _ = writeln!(o, "{}\n", md(&w.meta.practical_assignment));
    }
    let _ = writeln!(o, "## {}\n", l.my_contributions);
    let mine: Vec<(&NoteId, &crate::model::Note)> = [BoardKind::Brainstorm, BoardKind::Bears]
        .into_iter()
        .flat_map(|board| w.notes_in_order(board))
        .filter(|(_, n)| ids.contains(&n.author))
        .collect();
    if mine.is_empty() {
        let _ = writeln!(o, "_{}_", l.none);
        return o;
    }
    for (id, n) in mine {
        let mut context = Vec::new();
        if n.board == BoardKind::Bears {
            context.push(format!(
                "{}: {}",
                l.bears,
                bear_status_label(effective_status(w, id), lang)
            ));
        } else {
            if let Some(g) = w.note_group(id).and_then(|g| w.group(g)) {
                context.push(md(&g.name));
            }
            if let Some(c) = *n.category {
                context.push(category_label(c, lang).to_owned());
            }
        }
        let votes = w.vote_total(id);
        if votes > 0 {
            context.push(votes_text(l, votes));
        }
        let mut line = format!("- {}", md(&n.text));
        if !context.is_empty() {
            let _ = write!(line, " ({})", context.join(", "));
        }
        let _ = writeln!(o, "{line}");
        if !n.bear_answer.is_empty() {
            let _ = writeln!(o, "  - {}: {}", l.answer, md(&n.bear_answer));
        }
    }
    o
}

fn note_line(w: &Workshop, id: &NoteId, lang: Lang, indent: &str, o: &mut String) {
    let l = labels(lang);
    let Some(n) = w.note(id) else { return };
    let mut line = format!("{indent}- {}", md(&n.text));
    let votes = w.vote_total(id);
    if votes > 0 {
        let _ = write!(line, " ({})", votes_text(l, votes));
    }
    if *n.hidden {
        let _ = write!(line, " _({})_", l.hidden);
    }
    let _ = writeln!(o, "{line}");
}

fn brainstorm_section(w: &Workshop, lang: Lang, o: &mut String) {
    let l = labels(lang);
    let notes = w.notes_in_order(BoardKind::Brainstorm);
    if notes.is_empty() {
        return;
    }
    let _ = writeln!(o, "## {}\n", l.brainstorm);
    let mut sections: Vec<(Option<&crate::ids::GroupId>, String)> = w
        .groups_in_order()
        .into_iter()
        .map(|(id, g)| (Some(id), md(&g.name)))
        .collect();
    sections.push((None, l.no_group.to_owned()));
    let stacks = w.stacks(BoardKind::Brainstorm);
    for (group, name) in sections {
        // Roots only; stacked notes are listed under their root.
        let in_group: Vec<&NoteId> = notes
            .iter()
            .map(|(id, _)| *id)
            .filter(|id| w.note_group(id) == group && w.stack_root(id).is_none())
            .collect();
        if in_group.is_empty() {
            continue;
        }
        let _ = writeln!(o, "### {name}\n");
        let cats: Vec<Option<Category>> = Category::ALL
            .into_iter()
            .map(Some)
            .chain(std::iter::once(None))
            .collect();
        for cat in cats {
            let here: Vec<&NoteId> = in_group
                .iter()
                .copied()
                .filter(|id| w.note(id).is_some_and(|n| *n.category == cat))
                .collect();
            if here.is_empty() {
                continue;
            }
            let label = cat.map_or(l.no_category, |c| category_label(c, lang));
            let _ = writeln!(o, "**{label}**\n");
            for id in here {
                let stacked = stacks.get(id).cloned().unwrap_or_default();
                if let Some(n) = w.note(id)
                    && !stacked.is_empty()
                    && !n.cluster_title.is_empty()
                {
                    let _ = writeln!(o, "- **{}**", md(&n.cluster_title));
                    note_line(w, id, lang, "  ", o);
                    for s in stacked {
                        note_line(w, s, lang, "  ", o);
                    }
                } else {
                    note_line(w, id, lang, "", o);
                    for s in stacked {
                        note_line(w, s, lang, "  ", o);
                    }
                }
            }
            o.push('\n');
        }
    }
}

fn bears_section(w: &Workshop, lang: Lang, o: &mut String) {
    let l = labels(lang);
    let bears = w.notes_in_order(BoardKind::Bears);
    if bears.is_empty() {
        return;
    }
    let _ = writeln!(o, "## {}\n", l.bears);
    let stacks = w.stacks(BoardKind::Bears);
    for status in [
        BearStatus::Open,
        BearStatus::Shot,
        BearStatus::Tamed,
        BearStatus::Parked,
    ] {
        // Clusters by their roots; the stacked bears go with them, as on the wall.
        let here: Vec<_> = bears
            .iter()
            .filter(|(id, _)| w.stack_root(id).is_none() && effective_status(w, id) == status)
            .collect();
        if here.is_empty() {
            continue;
        }
        let _ = writeln!(o, "### {}\n", bear_status_label(status, lang));
        for (id, n) in here {
            if n.cluster_title.is_empty() {
                note_line(w, id, lang, "", o);
            } else {
                let _ = writeln!(o, "- **{}**", md(&n.cluster_title));
                note_line(w, id, lang, "  ", o);
            }
            for s in stacks.get(id).into_iter().flatten() {
                note_line(w, s, lang, "  ", o);
            }
            if !n.bear_answer.is_empty() {
                let _ = writeln!(o, "  - {}: {}", l.answer, md(&n.bear_answer));
            }
            for (_, a) in w.actions_for_bear(id) {
                let mut line = format!("  - {}: {}", l.action, md(&a.text));
                if !a.owner.is_empty() {
                    let _ = write!(line, " — {}", md(&a.owner));
                }
                if let Some(d) = a.due.as_deref() {
                    let _ = write!(line, ", {}", md(d));
                }
                let _ = writeln!(o, "{line}");
            }
        }
        o.push('\n');
    }
}

/// RFC 4180 field: quoted when it holds a quote, comma or line break; quotes doubled.
fn csv_field(s: &str) -> String {
    if s.contains(['"', ',', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

const CSV_COLUMNS: usize = 12;

/// The CSV's header row in `lang`.
pub fn csv_header(lang: Lang) -> [&'static str; CSV_COLUMNS] {
    labels(lang).csv_header
}

/// All live notes (brainstorm, then bears) as UTF-8 CSV with a header row, RFC 4180
/// quoting and CRLF line ends, headers and values (board, category, hidden, bear status)
/// in `lang`; a stacked bear has its cluster's status. Authors of anonymous bears are left out, and so are their
/// ids: a note id repeats its author's device id (`"{actor}-{seq}"`), which the author's
/// named brainstorm notes would give away. Anonymous bears are numbered `bear-1`, ... in
/// wall order instead (also where another bear is stacked on them).
pub fn notes_csv(w: &Workshop, lang: Lang) -> String {
    let l = labels(lang);
    let anonymous_ids: std::collections::HashMap<&NoteId, String> = if *w.bear_wall.anonymous {
        w.notes_in_order(BoardKind::Bears)
            .into_iter()
            .enumerate()
            .map(|(i, (id, _))| (id, format!("bear-{}", i + 1)))
            .collect()
    } else {
        std::collections::HashMap::new()
    };
    let shown_id = |id: &NoteId| {
        anonymous_ids
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.0.clone())
    };
    let mut o = String::new();
    o.push_str(&l.csv_header.join(","));
    o.push_str("\r\n");
    for board in [BoardKind::Brainstorm, BoardKind::Bears] {
        for (id, n) in w.notes_in_order(board) {
            let group = w
                .note_group(id)
                .and_then(|g| w.group(g))
                .map(|g| g.name.value.clone())
                .unwrap_or_default();
            let author = if w.author_shown(id) {
                w.participant(&n.author)
                    .map(|p| p.name.value.clone())
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| n.author.0.clone())
            } else {
                String::new()
            };
            let fields = [
                shown_id(id),
                match n.board {
                    BoardKind::Brainstorm => l.brainstorm,
                    BoardKind::Bears => l.board_bears,
                }
                .to_owned(),
                group,
                n.category
                    .map(|c| category_label(c, lang).to_owned())
                    .unwrap_or_default(),
                n.text.value.clone(),
                author,
                w.vote_total(id).to_string(),
                w.stack_root(id).map(shown_id).unwrap_or_default(),
                n.cluster_title.value.clone(),
                if *n.hidden { l.yes } else { l.no }.to_owned(),
                if board == BoardKind::Bears {
                    bear_status_label(effective_status(w, id), lang).to_owned()
                } else {
                    String::new()
                },
                n.bear_answer.value.clone(),
            ];
            let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
            o.push_str(&line.join(","));
            o.push_str("\r\n");
        }
    }
    o
}

/// A file name from a workshop title and date: "werken-in-netwerken-2026-11-26.json".
pub fn file_name(title: &str, date: &str, extension: &str) -> String {
    format!("{}.{extension}", file_stem(title, date))
}

/// A file name without its extension, from a workshop title and date:
/// "werken-in-netwerken-2026-11-26", so an export of a part can add what it holds.
pub fn file_stem(title: &str, date: &str) -> String {
    let mut slug = String::new();
    for character in title.to_lowercase().chars() {
        if character.is_alphanumeric() {
            slug.push(character);
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_matches('-');
    let slug = if slug.is_empty() { "workshop" } else { slug };
    if date.is_empty() {
        slug.to_owned()
    } else {
        format!("{slug}-{date}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::Command;
    use crate::doc::Doc;
    use crate::ids::ActorId;
    use crate::model::{Role, Template};

    const T0: i64 = 1_741_939_200_000;
    const F: Role = Role::Facilitator;

    /// A strict RFC 4180 reader, only for checking what `notes_csv` writes.
    fn parse_csv(s: &str) -> Vec<Vec<String>> {
        let mut rows = Vec::new();
        let mut row = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            if quoted {
                match c {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    '"' => quoted = false,
                    _ => field.push(c),
                }
            } else {
                match c {
                    '"' => quoted = true,
                    ',' => row.push(std::mem::take(&mut field)),
                    '\r' => {
                        assert_eq!(chars.next(), Some('\n'), "CR without LF");
                        row.push(std::mem::take(&mut field));
                        rows.push(std::mem::take(&mut row));
                    }
                    _ => field.push(c),
                }
            }
        }
        assert!(
            field.is_empty() && row.is_empty(),
            "last line not terminated"
        );
        rows
    }

    fn workshop() -> (Doc, Vec<NoteId>) {
        let mut d = Doc::from_template_at(Template::WerkenInNetwerken, ActorId::new("fac"), T0, 60);
        let g = d.workshop().groups_in_order()[0].0.clone();
        let mut ids = Vec::new();
        for (board, text) in [
            (BoardKind::Brainstorm, "Leeuwarden–Fryslân"),
            (BoardKind::Brainstorm, "komma, en \"aanhalingstekens\""),
            (BoardKind::Brainstorm, "twee\nregels"),
            (BoardKind::Bears, "Wie | trekt *dit*?"),
        ] {
            let ops = d
                .execute(
                    &Command::AddNote {
                        board,
                        group: (board == BoardKind::Brainstorm).then(|| g.clone()),
                        category: (board == BoardKind::Brainstorm).then_some(Category::Activiteit),
                        text: text.into(),
                        colour: None,
                    },
                    F,
                    T0,
                )
                .expect("note");
            ids.push(NoteId(ops[0].created_id().expect("id")));
        }
        d.execute(
            &Command::TameBear {
                id: ids[3].clone(),
                action: Some("Trekker zoeken".into()),
                owner: "Silvia".into(),
                due: Some("2025-04-01".into()),
            },
            F,
            T0 + 1,
        )
        .expect("tame");
        (d, ids)
    }

    #[test]
    fn csv_survives_quotes_commas_newlines_and_non_ascii() {
        let (d, _) = workshop();
        let rows = parse_csv(&notes_csv(d.workshop(), Lang::Nl));
        assert_eq!(rows[0], csv_header(Lang::Nl).map(str::to_owned).to_vec());
        let texts: Vec<&str> = rows[1..].iter().map(|r| r[4].as_str()).collect();
        assert_eq!(
            texts,
            [
                "Leeuwarden–Fryslân",
                "komma, en \"aanhalingstekens\"",
                "twee\nregels",
                "Wie | trekt *dit*?"
            ]
        );
        assert!(rows.iter().all(|r| r.len() == CSV_COLUMNS));
        assert_eq!(rows[1][2], "Themagroep 1");
        // Bears are anonymous by default.
        assert_eq!(rows[4][5], "");
    }

    #[test]
    fn csv_headers_and_values_follow_the_language() {
        let (d, _) = workshop();
        let nl = parse_csv(&notes_csv(d.workshop(), Lang::Nl));
        assert_eq!(nl[0][1], "Bord");
        assert_eq!(nl[0][10], "Status beer");
        assert_eq!(
            [&nl[1][1], &nl[1][3], &nl[1][9]],
            ["Brainstorm", "Activiteiten", "nee"]
        );
        assert_eq!([&nl[4][1], &nl[4][10]], ["Beren", "Getemd"]);
        let en = parse_csv(&notes_csv(d.workshop(), Lang::En));
        assert_eq!(en[0][1], "Board");
        assert_eq!(en[0][10], "Bear status");
        assert_eq!(
            [&en[1][1], &en[1][3], &en[1][9]],
            ["Brainstorm", "Activities", "no"]
        );
        assert_eq!(
            [&en[4][1], &en[4][10]],
            ["Bears", "Tamed (became an action)"]
        );
    }

    /// Two bears stacked into a named cluster that is shot, and one open bear.
    fn shot_cluster() -> (Doc, [NoteId; 3]) {
        let (mut d, _) = workshop();
        let mut bear = |text: &str| {
            let ops = d
                .execute(
                    &Command::AddNote {
                        board: BoardKind::Bears,
                        group: None,
                        category: None,
                        text: text.into(),
                        colour: None,
                    },
                    F,
                    T0 + 2,
                )
                .expect("bear");
            NoteId(ops[0].created_id().expect("id"))
        };
        let ids = [bear("Geen tijd"), bear("Geen uren"), bear("Geen geld")];
        for command in [
            Command::StackNote {
                id: ids[1].clone(),
                onto: ids[0].clone(),
            },
            Command::SetClusterTitle {
                id: ids[0].clone(),
                title: "Tijd voor netwerkwerk".into(),
            },
            Command::ShootBear {
                id: ids[0].clone(),
                answer: "Plan het in".into(),
            },
        ] {
            d.execute(&command, F, T0 + 3).expect("cluster");
        }
        (d, ids)
    }

    #[test]
    fn csv_gives_a_stacked_bear_its_clusters_status() {
        let (d, _) = shot_cluster();
        let rows = parse_csv(&notes_csv(d.workshop(), Lang::Nl));
        let status = |text: &str| {
            rows.iter()
                .find(|r| r[4] == text)
                .map(|r| r[10].clone())
                .unwrap_or_default()
        };
        assert_eq!(status("Geen tijd"), "Geschoten");
        assert_eq!(status("Geen uren"), "Geschoten");
        assert_eq!(status("Geen geld"), "Open");
    }

    #[test]
    fn markdown_lists_a_stacked_bear_under_its_named_cluster_and_its_status() {
        let (d, _) = shot_cluster();
        let nl = markdown_report(d.workshop(), Lang::Nl);
        let shot = nl
            .split("### Geschoten\n\n")
            .nth(1)
            .and_then(|rest| rest.split("\n\n").next())
            .unwrap_or_default();
        assert_eq!(
            shot,
            "- **Tijd voor netwerkwerk**\n  - Geen tijd\n  - Geen uren\n  - Antwoord: Plan het in"
        );
        let open = nl
            .split("### Open\n\n")
            .nth(1)
            .and_then(|rest| rest.split("\n\n").next());
        assert_eq!(open, Some("- Geen geld"));
    }

    #[test]
    fn markdown_says_one_vote_and_two_votes() {
        let (mut d, ids) = workshop();
        d.execute(
            &Command::OpenVoting {
                board: BoardKind::Brainstorm,
                budget: 3,
                allow_multiple: true,
            },
            F,
            T0 + 2,
        )
        .expect("voting");
        for note in [&ids[0], &ids[1], &ids[1]] {
            let vote = Command::CastVote { note: note.clone() };
            d.execute(&vote, F, T0 + 3).expect("vote");
        }
        let nl = markdown_report(d.workshop(), Lang::Nl);
        assert!(nl.contains("- Leeuwarden–Fryslân (1 stem)\n"), "{nl}");
        assert!(nl.contains("(2 stemmen)\n"), "{nl}");
        let en = markdown_report(d.workshop(), Lang::En);
        assert!(en.contains("- Leeuwarden–Fryslân (1 vote)\n"), "{en}");
        assert!(en.contains("(2 votes)\n"), "{en}");
    }

    #[test]
    fn markdown_report_has_agenda_with_drift_and_every_section() {
        let (mut d, _) = workshop();
        // Started 7 minutes late (09:52 local, UTC+1).
        d.execute(&Command::StartWorkshop, F, T0 + 52 * 60_000)
            .expect("start");
        d.execute(
            &Command::AddAgreement {
                list: AgreementList::Agreement,
                text: "Pitch aanscherpen".into(),
                owner: "Anneke".into(),
                due: Some("2025-04-15".into()),
            },
            F,
            T0,
        )
        .expect("agreement");
        d.execute(
            &Command::AddPlan {
                name: "Leesclub".into(),
                source_note: None,
            },
            F,
            T0,
        )
        .expect("plan");
        let nl = markdown_report(d.workshop(), Lang::Nl);
        assert!(nl.starts_with("# Werken in netwerken\n"));
        assert!(nl.contains("berekend einde 12:05, 5 min over tijd"));
        assert!(nl.contains("| 09:45 | 30 | Waarom werken in netwerken? |"));
        assert!(nl.contains("| 09:52– | +7 |"));
        assert!(nl.contains("voorbeelden: Boekenproeverij; Nederland schrijft"));
        assert!(nl.contains("### Themagroep 1"));
        assert!(nl.contains("**Activiteiten**"));
        assert!(nl.contains("- Leeuwarden–Fryslân"));
        assert!(nl.contains("- twee regels"));
        assert!(nl.contains("### Getemd"));
        assert!(nl.contains("Wie \\| trekt \\*dit\\*?"));
        assert!(nl.contains("  - Actie: Trekker zoeken — Silvia, 2025-04-01"));
        assert!(nl.contains("- [ ] Pitch aanscherpen — Anneke, 2025-04-15"));
        assert!(nl.contains("**Praktijkopdracht:** Aanscherpen eigen pitch en netwerkgesprek"));
        assert!(nl.contains("## Communityplannen"));
        assert!(nl.contains("Geen bouwer aangewezen (les 1)."));
        let en = markdown_report(d.workshop(), Lang::En);
        assert!(en.contains("## Agenda"));
        assert!(en.contains("## Follow-up actions"));
        assert!(en.contains("No builder (bouwer) assigned (lesson 1)."));
    }

    #[test]
    fn participant_report_has_the_assignment_and_only_their_own_notes() {
        let (mut d, ids) = workshop();
        let mut phone = Doc::new(ActorId::new("phone"));
        let _ = ids;
        d.execute(
            &Command::SetBoardOpen {
                board: BoardKind::Brainstorm,
                open: true,
            },
            F,
            T0,
        )
        .expect("open");
        for op in d.missing_for(phone.version_vector()) {
            let _ = phone.receive(&op);
        }
        phone
            .execute(
                &Command::Join {
                    name: "Jan, bieb".into(),
                    group: None,
                },
                Role::Participant,
                T0,
            )
            .expect("join");
        phone
            .execute(
                &Command::AddNote {
                    board: BoardKind::Brainstorm,
                    group: None,
                    category: Some(Category::Netwerkpartner),
                    text: "Muziekschool".into(),
                    colour: None,
                },
                Role::Participant,
                T0,
            )
            .expect("note");
        // A bear written under the phone's pseudonym is theirs too.
        phone.set_pseudonym(ActorId::new("anon1"));
        let bear = phone
            .execute(
                &Command::AddNote {
                    board: BoardKind::Bears,
                    group: None,
                    category: None,
                    text: "Geen tijd voor netwerken".into(),
                    colour: None,
                },
                Role::Participant,
                T0,
            )
            .expect("bear");
        assert_eq!(bear[0].id.actor.as_str(), "anon1");
        let text = participant_report(phone.workshop(), &phone.principal(), Lang::Nl);
        assert!(text.contains("Geen tijd voor netwerken"), "{text}");
        assert!(text.contains("- Naam: Jan, bieb"));
        assert!(text.contains("## Praktijkopdracht\n\nAanscherpen eigen pitch en netwerkgesprek"));
        assert!(text.contains("- Muziekschool (Netwerkpartners)"));
        assert!(
            !text.contains("Leeuwarden"),
            "another participant's note leaked:\n{text}"
        );
    }

    #[test]
    fn a_file_is_named_after_the_title_and_date() {
        assert_eq!(
            file_name("Werken in netwerken: Fryslân!", "2026-11-26", "md"),
            "werken-in-netwerken-fryslân-2026-11-26.md"
        );
        assert_eq!(file_stem("  ", ""), "workshop");
    }
}
