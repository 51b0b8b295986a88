//! Built-in templates, built by executing ordinary commands so a template is nothing but
//! the first ops of a workshop's log.

use crate::command::{Command, Place};
use crate::doc::Doc;
use crate::ids::{ActorId, BlockId};
use crate::model::{Activity, BoardKind, Colour, Lang, Role, Template};
use crate::op::{BlockDraft, MetaField, OpBody};

/// The seed programme "Werken in netwerken", faithful to the table in DESIGN.md. The
/// leerdoel of block 2 lists its six examples separately; the practical assignment of
/// block 6 is both its description and the workshop's practical assignment.
pub fn werken_in_netwerken_blocks() -> Vec<BlockDraft> {
    let b =
        |title: &str, duration_min: u16, work_form: &str, materials: &str, lead: &str| BlockDraft {
            title: title.to_owned(),
            duration_min,
            work_form: work_form.to_owned(),
            materials: materials.to_owned(),
            lead: lead.to_owned(),
            ..BlockDraft::default()
        };
    vec![
        b(
            "Waarom werken in netwerken?",
            30,
            "Inleiding door manager, plenair",
            "",
            "manager",
        ),
        BlockDraft {
            examples: [
                "Boekenproeverij",
                "Nederland schrijft",
                "Lezers van STAVAST",
                "Lerendoeje.nu",
                "Walk en talk",
                "Platform Erfgoed Heerhugowaard",
            ]
            .map(str::to_owned)
            .to_vec(),
            ..b(
                "Bespreken van aansprekende voorbeelden",
                25,
                "Interactief plenair",
                "PPT",
                "",
            )
        },
        BlockDraft {
            activity: Activity::Brainstorm,
            ..b(
                "Brainstorm mogelijke netwerkpartners of bestaande netwerken en mogelijke samenwerkingsvormen of activiteiten",
                30,
                "Brainstorm in themagroepen",
                "",
                "",
            )
        },
        BlockDraft {
            activity: Activity::Bears,
            ..b(
                "Welke vragen, belemmeringen of zorgen heb je nog m.b.t. ondernemen in netwerken?",
                30,
                "Op geeltjes in pauze individueel; berenschietsessie door Silvia; plenair",
                "geeltjes, stiften",
                "Silvia",
            )
        },
        b(
            "Opfrissen voorbereiden en uitvoeren netwerkgesprek",
            15,
            "Interactief",
            "PowerPoint",
            "",
        ),
        BlockDraft {
            activity: Activity::Agreements,
            notes: "Praktijkopdracht: aanscherpen eigen pitch en netwerkgesprek".to_owned(),
            ..b(
                "Afspraken, open eindjes, vervolg",
                10,
                "Themagroepen / plenair",
                "",
                "",
            )
        },
        // The seed's closing has a clock time but no duration: it ends the programme.
        b("Afsluiting", 0, "", "", "Katja, Joelle of Anneke"),
    ]
}

pub const SEED_TITLE: &str = "Werken in netwerken";
pub const SEED_PRACTICAL_ASSIGNMENT: &str = "Aanscherpen eigen pitch en netwerkgesprek";
pub const SEED_START_MIN: u16 = 9 * 60 + 45;
pub const SEED_END_MIN: u16 = 12 * 60;

impl Doc {
    /// A new workshop from a template, dated today in UTC. Prefer
    /// [`Doc::from_template_at`] with the browser's UTC offset.
    pub fn from_template(template: Template, actor: ActorId, now_ms: i64) -> Doc {
        Doc::from_template_at(template, actor, now_ms, 0)
    }

    /// A new workshop from a template, dated today in the local time of `utc_offset_min`.
    pub fn from_template_at(
        template: Template,
        actor: ActorId,
        now_ms: i64,
        utc_offset_min: i16,
    ) -> Doc {
        let mut doc = Doc::new(actor);
        let date = crate::calendar::local_date(now_ms, utc_offset_min);
        let mut cmds = Vec::new();
        match template {
            Template::WerkenInNetwerken => {
                cmds.push(Command::SetTitle(SEED_TITLE.to_owned()));
                cmds.push(Command::SetLanguage(Lang::Nl));
                cmds.push(Command::SetPlannedStart(SEED_START_MIN));
                cmds.push(Command::SetPlannedEnd(SEED_END_MIN));
                cmds.push(Command::SetPracticalAssignment(
                    SEED_PRACTICAL_ASSIGNMENT.to_owned(),
                ));
                for block in werken_in_netwerken_blocks() {
                    cmds.push(Command::AddBlock {
                        place: Place::End,
                        block,
                    });
                }
                for (i, colour) in [Colour::Yellow, Colour::Blue, Colour::Green]
                    .into_iter()
                    .enumerate()
                {
                    cmds.push(Command::AddGroup {
                        name: format!("Themagroep {}", i + 1),
                        colour: Some(colour),
                    });
                }
                // Bears are written privately first and shown together at the reveal.
                cmds.push(Command::SetHideUntilReveal {
                    board: BoardKind::Bears,
                    hide: true,
                });
            }
            Template::Empty => {
                cmds.push(Command::SetTitle("Nieuwe workshop".to_owned()));
                cmds.push(Command::SetLanguage(Lang::Nl));
                cmds.push(Command::SetPlannedStart(9 * 60));
                cmds.push(Command::SetPlannedEnd(12 * 60));
            }
        }
        cmds.push(Command::SetDate(date));
        cmds.push(Command::SetUtcOffset(utc_offset_min));
        for cmd in &cmds {
            let result = doc.execute(cmd, Role::Facilitator, now_ms);
            // Every template command is valid on the state built so far; a failure here
            // is a bug in this file, caught by the tests below.
            debug_assert!(
                result.is_ok(),
                "template command {cmd:?} failed: {result:?}"
            );
        }
        // Which template a workshop came from is not a command (nobody changes it later),
        // but it is still an op so that it travels with the log like everything else.
        doc.commit(vec![OpBody::SetMeta(MetaField::Template(template))], now_ms);
        doc
    }
}

/// Ids of the blocks in a doc, in agenda order (handy for the app and tests).
pub fn block_ids(doc: &Doc) -> Vec<BlockId> {
    doc.workshop()
        .blocks_in_order()
        .into_iter()
        .map(|(id, _)| id.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{BearPhase, Template};
    use crate::schedule::{hhmm, schedule};

    const T0: i64 = 1_741_939_200_000;

    #[test]
    fn seed_template_has_the_seven_rows_of_the_design_table() {
        let doc = Doc::from_template(Template::WerkenInNetwerken, ActorId::new("f"), T0);
        let w = doc.workshop();
        let rows: Vec<_> = w.blocks_in_order().into_iter().map(|(_, b)| b).collect();
        assert_eq!(rows.len(), 7);
        let durations: Vec<u16> = rows.iter().map(|b| *b.duration_min).collect();
        assert_eq!(durations, [30, 25, 30, 30, 15, 10, 0]);
        assert_eq!(rows[0].title.as_str(), "Waarom werken in netwerken?");
        assert_eq!(rows[0].lead.as_str(), "manager");
        assert_eq!(rows[1].examples.len(), 6);
        assert_eq!(rows[1].examples[5], "Platform Erfgoed Heerhugowaard");
        assert_eq!(rows[1].materials.as_str(), "PPT");
        assert_eq!(*rows[2].activity, Activity::Brainstorm);
        assert_eq!(*rows[3].activity, Activity::Bears);
        assert_eq!(rows[3].lead.as_str(), "Silvia");
        assert_eq!(rows[3].materials.as_str(), "geeltjes, stiften");
        assert_eq!(rows[4].materials.as_str(), "PowerPoint");
        assert_eq!(*rows[5].activity, Activity::Agreements);
        assert_eq!(rows[6].title.as_str(), "Afsluiting");
        assert_eq!(rows[6].lead.as_str(), "Katja, Joelle of Anneke");
        assert_eq!(
            w.meta.practical_assignment.as_str(),
            SEED_PRACTICAL_ASSIGNMENT
        );
        assert_eq!(*w.meta.language, Lang::Nl);
        assert_eq!(*w.meta.template, Template::WerkenInNetwerken);
        assert_eq!(w.meta.date.as_str(), "2025-03-14");
        let s = schedule(w);
        assert_eq!(hhmm(s.planned_start_min.into()), "09:45");
        assert_eq!(hhmm(s.planned_end_min.into()), "12:00");
    }

    #[test]
    fn seed_brainstorm_board_starts_with_three_theme_groups() {
        let doc = Doc::from_template(Template::WerkenInNetwerken, ActorId::new("f"), T0);
        let names: Vec<&str> = doc
            .workshop()
            .groups_in_order()
            .into_iter()
            .map(|(_, g)| g.name.as_str())
            .collect();
        assert_eq!(names, ["Themagroep 1", "Themagroep 2", "Themagroep 3"]);
        assert_eq!(*doc.workshop().bear_wall.phase, BearPhase::Collect);
        assert!(*doc.workshop().bear_wall.anonymous);
    }

    #[test]
    fn template_state_is_built_by_ordinary_ops() {
        let doc = Doc::from_template(Template::WerkenInNetwerken, ActorId::new("f"), T0);
        let replay = Doc::from_ops(ActorId::new("g"), doc.ops()).expect("replay");
        assert_eq!(replay.workshop(), doc.workshop());
    }

    #[test]
    fn empty_template_has_no_blocks() {
        let doc = Doc::from_template(Template::Empty, ActorId::new("f"), T0);
        assert!(doc.workshop().blocks_in_order().is_empty());
        assert_eq!(*doc.workshop().meta.template, Template::Empty);
    }
}
