//! Strings of getting back on schedule and of starting when you start. A part of the one
//! translation table ([`super::Strings::schedule`]).

use bijeen_core::schedule::Span;

pub struct ScheduleStrings {
    pub heading: &'static str,
    /// The planned close the proposals aim for.
    pub intro: fn(&str) -> String,
    pub proportional: &'static str,
    pub flexible: &'static str,
    pub drop: fn(&str) -> String,
    pub merge: fn(&str, &str) -> String,
    /// The end a proposal gives, and minutes still late (0 = on time).
    pub gives_end: fn(&str, i64) -> String,
    pub shortened: fn(&str, u16, u16) -> String,
    pub apply: &'static str,
    pub apply_label: fn(&str) -> String,
    pub applied: &'static str,
    pub none_possible: &'static str,
    pub flexible_label: &'static str,
    pub rebase_title: &'static str,
    /// Now, the planned start, minutes away from it (positive = late).
    pub rebase_question: fn(&str, &str, i64) -> String,
    pub rebase_yes: fn(&str, &str) -> String,
    pub rebase_keep: fn(&str, &str) -> String,
    pub rebase_cancel: &'static str,
}

/// "1 uur 5 min" / "1 h 5 min": whole hours first, so a start the evening before reads;
/// "629 dagen" / "629 days" for a plan of another week ([`bijeen_core::schedule::span`]).
fn span(min: i64, hour: &str, days: &str) -> String {
    match bijeen_core::schedule::span(min) {
        Span::Days(d) => format!("{d} {days}"),
        Span::HoursMinutes { hours: 0, minutes } => format!("{minutes} min"),
        Span::HoursMinutes { hours, minutes: 0 } => format!("{hours} {hour}"),
        Span::HoursMinutes { hours, minutes } => format!("{hours} {hour} {minutes} min"),
    }
}

pub const NL: ScheduleStrings = ScheduleStrings {
    heading: "Terug op schema",
    intro: |planned| format!("Zo eindig je toch om {planned}:"),
    proportional: "Alle komende blokken naar verhouding korter",
    flexible: "Alleen de flexibele blokken korter",
    drop: |title| format!("„{title}” laten vallen"),
    merge: |a, b| format!("„{a}” en „{b}” samenvoegen"),
    gives_end: |end, late| match late {
        0 => format!("Einde {end}"),
        late => format!("Einde {end}, nog {late} min te laat"),
    },
    shortened: |title, from, to| format!("{title}: {from} → {to} min"),
    apply: "Toepassen",
    apply_label: |what| format!("Voorstel toepassen: {what}"),
    applied: "Voorstel toegepast.",
    none_possible: "Geen blok kan nog korter zonder onder de 5 minuten of de helft te komen. Pas de agenda zelf aan.",
    flexible_label: "Flexibel: mag korter om op tijd te eindigen",
    rebase_title: "Nu beginnen?",
    rebase_question: |now, planned, away| {
        let when = if away > 0 {
            format!("{} later", span(away, "uur", "dagen"))
        } else {
            format!("{} eerder", span(-away, "uur", "dagen"))
        };
        format!(
            "Het is {now}, {when} dan het geplande begin van {planned}. Verschuif je de planning van vandaag naar nu? Dan kloppen de voorsprong, achterstand en het verwachte einde weer."
        )
    },
    rebase_yes: |start, end| format!("Planning naar nu verschuiven ({start}–{end}) en starten"),
    rebase_keep: |start, end| format!("Planning houden ({start}–{end}) en starten"),
    rebase_cancel: "Nog niet starten",
};

pub const EN: ScheduleStrings = ScheduleStrings {
    heading: "Back on schedule",
    intro: |planned| format!("Ways to still end at {planned}:"),
    proportional: "Every block still to come shorter, in proportion",
    flexible: "Only the flexible blocks shorter",
    drop: |title| format!("Leave out “{title}”"),
    merge: |a, b| format!("Merge “{a}” and “{b}”"),
    gives_end: |end, late| match late {
        0 => format!("Ends {end}"),
        late => format!("Ends {end}, still {late} min late"),
    },
    shortened: |title, from, to| format!("{title}: {from} → {to} min"),
    apply: "Apply",
    apply_label: |what| format!("Apply proposal: {what}"),
    applied: "Proposal applied.",
    none_possible: "No block can be shorter without going under 5 minutes or half its length. Change the agenda yourself.",
    flexible_label: "Flexible: may be shortened to end on time",
    rebase_title: "Start now?",
    rebase_question: |now, planned, away| {
        let when = if away > 0 {
            format!("{} later", span(away, "h", "days"))
        } else {
            format!("{} earlier", span(-away, "h", "days"))
        };
        format!(
            "It is {now}, {when} than the planned start of {planned}. Move today's plan to now? Then ahead, behind and the expected end are right again."
        )
    },
    rebase_yes: |start, end| format!("Move the plan to now ({start}–{end}) and start"),
    rebase_keep: |start, end| format!("Keep the plan ({start}–{end}) and start"),
    rebase_cancel: "Not yet",
};
