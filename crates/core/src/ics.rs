//! The follow-up actions as an iCalendar file (RFC 5545), so each owner gets their action
//! into their own calendar: one all-day event per action on its due date.
//!
//! Which agreements go in: the live items of the follow-up list ([`AgreementList::FollowUp`])
//! that someone owns, that have a real due date and that are not done yet. The other two
//! lists can carry an owner and a date as well, but they mean something else: an agreement
//! (afspraak) is how the network will work together and an open end is a question still to
//! answer; neither is a task to be reminded of on a day. A done action needs no reminder.
//!
//! The file is what a calendar imports as is: CRLF line endings, TEXT values escaped, lines
//! folded at 75 octets without cutting a UTF-8 character in two, a `UID` that stays the same
//! for the same action (so importing a newer file updates the event instead of adding a
//! second one), and the time stamp passed in, as everywhere in the core.

use crate::calendar::{civil_from_days, parse_date};
use crate::ids::AgreementId;
use crate::model::{AgreementList, Lang, Workshop};

/// One action as it goes into the calendar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarAction<'a> {
    pub id: &'a AgreementId,
    pub text: &'a str,
    pub owner: &'a str,
    /// The due date as a day number (see [`crate::calendar`]).
    pub due: i64,
}

/// The follow-up actions that become calendar events, in the list's order (see the module
/// documentation for which ones and why).
pub fn calendar_actions(w: &Workshop) -> Vec<CalendarAction<'_>> {
    w.agreements_in_order(AgreementList::FollowUp)
        .into_iter()
        .filter(|(_, a)| !*a.done)
        .filter_map(|(id, a)| {
            let owner = a.owner.value.trim();
            // The core stores only real dates; parsing again keeps a hand-made state honest.
            let due = a.due.value.as_deref().and_then(parse_date)?;
            (!owner.is_empty()).then_some(CalendarAction {
                id,
                text: &a.text.value,
                owner,
                due,
            })
        })
        .collect()
}

struct Labels {
    /// The language part of the `PRODID`'s formal public identifier.
    prodid_lang: &'static str,
    from_workshop: &'static str,
    owner: &'static str,
}

const NL: Labels = Labels {
    prodid_lang: "NL",
    from_workshop: "Vervolgactie uit de workshop",
    owner: "Wie",
};

const EN: Labels = Labels {
    prodid_lang: "EN",
    from_workshop: "Follow-up action from the workshop",
    owner: "Who",
};

/// The calendar of [`calendar_actions`], with descriptions in `lang` (the language on
/// screen, as for the other reports). `workshop_id` makes each `UID` unique across
/// workshops: an agreement's id is its creating op's `"{actor}-{seq}"`, and one browser
/// window writes every workshop it opens under one actor, so two workshops made in the same
/// window can hold agreements of the same id. `now_ms` becomes every event's `DTSTAMP`.
/// Without actions it is a valid, empty calendar; the app says so instead of offering it.
pub fn follow_up_ics(w: &Workshop, workshop_id: &str, lang: Lang, now_ms: i64) -> String {
    let l = match lang {
        Lang::Nl => &NL,
        Lang::En => &EN,
    };
    let title = w.meta.title.value.as_str();
    let date = w.meta.date.value.as_str();
    let from = if date.is_empty() {
        format!("{} “{title}”", l.from_workshop)
    } else {
        format!("{} “{title}” ({date})", l.from_workshop)
    };
    let stamp = utc_stamp(now_ms);
    let mut o = String::new();
    push_line(&mut o, "BEGIN:VCALENDAR");
    push_line(&mut o, "VERSION:2.0");
    push_line(
        &mut o,
        &format!("PRODID:-//Bijeen//Bijeen//{}", l.prodid_lang),
    );
    push_line(&mut o, "CALSCALE:GREGORIAN");
    // A file to add to one's own calendar, not an invitation to answer.
    push_line(&mut o, "METHOD:PUBLISH");
    for action in calendar_actions(w) {
        push_line(&mut o, "BEGIN:VEVENT");
        push_line(
            &mut o,
            &format!(
                "UID:{}",
                escape_text(&format!("{}.{workshop_id}@bijeen", action.id))
            ),
        );
        push_line(&mut o, &format!("DTSTAMP:{stamp}"));
        // An all-day event: DTEND is exclusive, so the next day (RFC 5545, 3.6.1).
        push_line(
            &mut o,
            &format!("DTSTART;VALUE=DATE:{}", ics_date(action.due)),
        );
        push_line(
            &mut o,
            &format!("DTEND;VALUE=DATE:{}", ics_date(action.due + 1)),
        );
        push_line(&mut o, &format!("SUMMARY:{}", escape_text(action.text)));
        let description = format!("{from}\n{}: {}", l.owner, action.owner);
        push_line(
            &mut o,
            &format!("DESCRIPTION:{}", escape_text(&description)),
        );
        // A reminder, not an appointment: the owner's day must not show as busy.
        push_line(&mut o, "TRANSP:TRANSPARENT");
        push_line(&mut o, "END:VEVENT");
    }
    push_line(&mut o, "END:VCALENDAR");
    o
}

/// A TEXT value (RFC 5545, 3.3.11): backslash, semicolon and comma escaped, every line
/// break (CRLF, CR or LF) as `\n`. Other control characters are not allowed in TEXT and
/// carry nothing a reader sees, so they are left out; a tab is allowed and kept.
fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Longest physical line in octets, the CRLF not counted (RFC 5545, 3.1).
const LINE_OCTETS: usize = 75;

/// Appends one content line, folded: a line longer than 75 octets continues on the next
/// line after a CRLF and one space (the space counts towards that line's 75). A cut always
/// falls between characters, so every physical line is valid UTF-8 on its own.
fn push_line(out: &mut String, line: &str) {
    let mut rest = line;
    let mut room = LINE_OCTETS;
    while rest.len() > room {
        let mut cut = room;
        // At most three steps back: a UTF-8 character is at most four octets.
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        room = LINE_OCTETS - 1;
    }
    out.push_str(rest);
    out.push_str("\r\n");
}

/// `YYYYMMDD` of a day number (the DATE value type).
fn ics_date(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}{m:02}{d:02}")
}

/// `YYYYMMDDTHHMMSSZ` of unix milliseconds (a DATE-TIME in UTC, as `DTSTAMP` must be).
fn utc_stamp(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let seconds = ms.rem_euclid(86_400_000) / 1000;
    format!(
        "{}T{:02}{:02}{:02}Z",
        ics_date(days),
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::parse_date;
    use crate::command::{AgreementEdit, Command};
    use crate::doc::Doc;
    use crate::ids::ActorId;
    use crate::model::{Role, Template};

    /// 2026-12-02T21:30:05Z.
    const NOW: i64 = 1_796_247_005_000;
    const F: Role = Role::Facilitator;

    fn seed() -> Doc {
        let mut d = Doc::from_template(Template::WerkenInNetwerken, ActorId::new("fac"), NOW);
        d.execute(&Command::SetDate("2026-12-02".into()), F, NOW)
            .expect("date");
        d
    }

    fn add(d: &mut Doc, list: AgreementList, text: &str, owner: &str, due: Option<&str>) -> String {
        let ops = d
            .execute(
                &Command::AddAgreement {
                    list,
                    text: text.into(),
                    owner: owner.into(),
                    due: due.map(str::to_owned),
                },
                F,
                NOW,
            )
            .expect("agreement");
        AgreementId::from_op(&ops[0].id).0
    }

    /// The lines as a reader sees them: unfolded (a CRLF followed by a space removed).
    fn unfolded(ics: &str) -> Vec<String> {
        ics.replace("\r\n ", "")
            .split("\r\n")
            .map(str::to_owned)
            .collect()
    }

    fn folded(line: &str) -> String {
        let mut out = String::new();
        push_line(&mut out, line);
        out
    }

    #[test]
    fn text_escapes_backslash_semicolon_comma_and_every_line_break() {
        assert_eq!(
            escape_text("a\\b;c,d\ne\r\nf\rg"),
            "a\\\\b\\;c\\,d\\ne\\nf\\ng"
        );
        assert_eq!(escape_text("tab\there\u{7}"), "tab\there");
        assert_eq!(
            escape_text("Leeuwarden–Fryslân 🎉"),
            "Leeuwarden–Fryslân 🎉"
        );
    }

    #[test]
    fn a_line_of_exactly_75_octets_stays_whole_and_76_folds() {
        let line75 = format!("SUMMARY:{}", "a".repeat(67));
        assert_eq!(line75.len(), 75);
        assert_eq!(folded(&line75), format!("{line75}\r\n"));
        let line76 = format!("{line75}b");
        assert_eq!(folded(&line76), format!("{line75}\r\n b\r\n"));
        // A continuation holds 74 octets after its space: 75 in all.
        let long = format!("SUMMARY:{}", "x".repeat(67 + 74 + 1));
        let out = folded(&long);
        let lengths: Vec<usize> = out.split("\r\n").map(str::len).collect();
        assert_eq!(lengths, [75, 75, 2, 0]);
    }

    #[test]
    fn folding_never_cuts_a_dutch_letter_or_an_emoji_in_two() {
        // "SUMMARY:" is 8 octets; 66 more make 74, and ë (2 octets) would end at 76.
        let dutch = format!("SUMMARY:{}ë en meer", "a".repeat(66));
        let out = folded(&dutch);
        assert!(out.starts_with(&format!("SUMMARY:{}\r\n ë en meer", "a".repeat(66))));
        // 64 more make 72, and 🎉 (4 octets) would end at 76.
        let emoji = format!("SUMMARY:{}🎉!", "a".repeat(64));
        assert_eq!(
            folded(&emoji),
            format!("SUMMARY:{}\r\n 🎉!\r\n", "a".repeat(64))
        );
        // Everywhere a character can fall: every physical line at most 75 octets, and
        // unfolding gives the line back.
        for pad in 0..8 {
            let line = format!("DESCRIPTION:{}{}", "é".repeat(pad), "ë🎉ij—".repeat(40));
            let out = folded(&line);
            for physical in out.split("\r\n") {
                assert!(physical.len() <= LINE_OCTETS, "{physical:?}");
            }
            assert_eq!(unfolded(&out)[0], line);
        }
    }

    #[test]
    fn stamps_and_dates_are_in_the_basic_format() {
        assert_eq!(utc_stamp(NOW), "20261202T213005Z");
        assert_eq!(utc_stamp(0), "19700101T000000Z");
        let day = |s| parse_date(s).expect("date");
        assert_eq!(ics_date(day("2026-12-31") + 1), "20270101");
        assert_eq!(ics_date(day("2028-02-28") + 1), "20280229");
    }

    #[test]
    fn only_open_follow_up_actions_with_an_owner_and_a_due_date_are_events() {
        let mut d = seed();
        let kept = add(
            &mut d,
            AgreementList::FollowUp,
            "Verslag rondsturen",
            "Silvia",
            Some("2026-12-09"),
        );
        add(&mut d, AgreementList::FollowUp, "Geen datum", "Bram", None);
        add(
            &mut d,
            AgreementList::FollowUp,
            "Van niemand",
            "",
            Some("2026-12-09"),
        );
        let done = add(
            &mut d,
            AgreementList::FollowUp,
            "Al gedaan",
            "Anneke",
            Some("2026-12-09"),
        );
        d.execute(&Command::ToggleAgreementDone(done.as_str().into()), F, NOW)
            .expect("done");
        let deleted = add(
            &mut d,
            AgreementList::FollowUp,
            "Weg",
            "Anneke",
            Some("2026-12-09"),
        );
        d.execute(&Command::DeleteAgreement(deleted.as_str().into()), F, NOW)
            .expect("delete");
        add(
            &mut d,
            AgreementList::Agreement,
            "Een afspraak",
            "Anneke",
            Some("2026-12-15"),
        );
        add(
            &mut d,
            AgreementList::OpenEnd,
            "Een vraag",
            "Anneke",
            Some("2026-12-15"),
        );
        let actions = calendar_actions(d.workshop());
        assert_eq!(
            actions.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(),
            [kept.as_str()]
        );
        let ics = follow_up_ics(d.workshop(), "w1", Lang::Nl, NOW);
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1);
        // Giving the action a date later brings it in.
        let later = d
            .workshop()
            .agreements_in_order(AgreementList::FollowUp)
            .into_iter()
            .find(|(_, a)| a.text.value == "Geen datum")
            .map(|(id, _)| id.clone())
            .expect("action");
        d.execute(
            &Command::EditAgreement {
                id: later,
                edit: AgreementEdit::Due(Some("2026-12-20".into())),
            },
            F,
            NOW,
        )
        .expect("due");
        assert_eq!(calendar_actions(d.workshop()).len(), 2);
    }

    #[test]
    fn without_actions_it_is_an_empty_but_valid_calendar() {
        assert_eq!(
            follow_up_ics(seed().workshop(), "w1", Lang::En, NOW),
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Bijeen//Bijeen//EN\r\n\
             CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nEND:VCALENDAR\r\n"
        );
    }

    #[test]
    fn the_seed_workshop_gives_one_all_day_event_per_action_byte_for_byte() {
        let mut d = seed();
        let long = "Pitch aanscherpen met de collega's van Leeuwarden–Fryslân, de muziekschool \
                    en het buurthuis; daarna één netwerkgesprek voeren 🎉";
        let a = add(
            &mut d,
            AgreementList::FollowUp,
            long,
            "Anneke",
            Some("2026-12-31"),
        );
        let b = add(
            &mut d,
            AgreementList::FollowUp,
            "Verslag rondsturen",
            "Silvia",
            Some("2026-12-09"),
        );
        let ics = follow_up_ics(d.workshop(), "9f3a", Lang::Nl, NOW);
        let event = |id: &str, start: &str, end: &str, summary: &str, owner: &str| {
            format!(
                "BEGIN:VEVENT\r\nUID:{id}.9f3a@bijeen\r\nDTSTAMP:20261202T213005Z\r\n\
                 DTSTART;VALUE=DATE:{start}\r\nDTEND;VALUE=DATE:{end}\r\n{summary}\
                 DESCRIPTION:Vervolgactie uit de workshop “Werken in netwerken” (2026-12\r\n \
                 -02)\\nWie: {owner}\r\nTRANSP:TRANSPARENT\r\nEND:VEVENT\r\n"
            )
        };
        let expected = format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Bijeen//Bijeen//NL\r\n\
             CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n{}{}END:VCALENDAR\r\n",
            event(
                &a,
                "20261231",
                "20270101",
                "SUMMARY:Pitch aanscherpen met de collega's van Leeuwarden–Fryslân\\, de m\r\n \
                 uziekschool en het buurthuis\\; daarna één netwerkgesprek voeren 🎉\r\n",
                "Anneke"
            ),
            event(
                &b,
                "20261209",
                "20261210",
                "SUMMARY:Verslag rondsturen\r\n",
                "Silvia"
            ),
        );
        assert_eq!(ics, expected);
        // Read back the way a calendar reads it, the events are the actions.
        let lines = unfolded(&ics);
        assert!(lines.contains(&format!(
            "SUMMARY:{}",
            long.replace(',', "\\,").replace(';', "\\;")
        )));
        assert!(!ics.replace("\r\n", "").contains('\n'), "no bare line feed");
        // The same action keeps its UID in a later export.
        let again = follow_up_ics(d.workshop(), "9f3a", Lang::Nl, NOW + 86_400_000);
        assert!(again.contains(&format!("UID:{a}.9f3a@bijeen\r\n")));
    }

    #[test]
    fn descriptions_follow_the_language_and_the_date_may_be_missing() {
        let mut d = Doc::from_template(Template::Empty, ActorId::new("fac"), NOW);
        add(
            &mut d,
            AgreementList::FollowUp,
            "Send the notes",
            "Sam",
            Some("2026-12-09"),
        );
        let en = follow_up_ics(d.workshop(), "w", Lang::En, NOW);
        let lines = unfolded(&en);
        let description = lines
            .iter()
            .find(|l| l.starts_with("DESCRIPTION:"))
            .expect("description");
        let title = escape_text(&d.workshop().meta.title.value);
        let date = &d.workshop().meta.date.value;
        let when = if date.is_empty() {
            String::new()
        } else {
            format!(" ({date})")
        };
        assert_eq!(
            description,
            &format!("DESCRIPTION:Follow-up action from the workshop “{title}”{when}\\nWho: Sam")
        );
    }
}
