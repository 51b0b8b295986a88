use bijeen_core::export::{ImportError, ImportErrorKind, Invalid, JsonType};
use bijeen_core::{DomainError, Field};

use super::{PhoneStrings, Strings};

pub const NL: Strings = Strings {
    phone: &PHONE_NL,
    relay: &super::relay::NL,
    schedule: &super::schedule::NL,
    remote: &super::remote::NL,
    bears: &super::bears::NL,
    outcomes: &super::outcomes::NL,
    nav_home: "Start",
    home_title: "Bijeen",
    home_intro: "Plan een workshop, projecteer de agenda met een timer per blok, verzamel geeltjes van deelnemers en leg de afspraken vast. Alles blijft in deze browser.",
    home_workshops_heading: "Workshops in deze browser",
    home_no_workshops: "Nog geen workshops in deze browser.",
    home_roles_heading: "Wie doet wat",
    role_facilitator: "Begeleider",
    role_facilitator_text: "Maakt de agenda, start de timer per blok, opent de borden en projecteert.",
    role_participant: "Deelnemer",
    role_participant_text: "Doet mee vanaf telefoon of laptop met een link of code en plakt geeltjes.",
    role_organiser: "Organisator",
    role_organiser_text: "Exporteert na afloop de uitkomsten als JSON, verslag of CSV.",
    console_title: "Regiekamer",
    projector_title: "Projectie",
    coming_participant: "Hier doe je mee: je naam, je themagroep en je geeltjes. Dit scherm komt met het brainstormbord.",
    not_found_title: "Pagina niet gevonden",
    not_found_text: "Deze link bestaat niet (meer).",
    new_heading: "Nieuwe workshop",
    template_label: "Sjabloon",
    template_seed: "Werken in netwerken (bibliotheek, ochtend)",
    template_empty: "Leeg",
    create_button: "Workshop maken",
    import_heading: "JSON importeren",
    import_label: "Kies een Bijeen-export (.json)",
    import_help: "De workshop wordt als nieuwe workshop toegevoegd; bestaande workshops blijven zoals ze zijn.",
    import_failed: |count| {
        if count == 1 {
            "Dit bestand kan niet worden geïmporteerd. Het probleem:".to_owned()
        } else {
            format!("Dit bestand kan niet worden geïmporteerd. De {count} problemen:")
        }
    },
    imported: |title| format!("„{title}” is geïmporteerd."),
    column_title: "Titel",
    column_date: "Datum",
    column_changed: "Laatst gewijzigd",
    column_actions: "Acties",
    open_button: "Openen",
    duplicate_button: "Dupliceren",
    copy_suffix: " (kopie)",
    untitled: "Naamloze workshop",
    delete_dialog_title: "Workshop verwijderen?",
    delete_dialog_text: |title| {
        format!(
            "„{title}” wordt uit deze browser verwijderd. Dat kan niet ongedaan worden gemaakt. Exporteer hem eerst als JSON als je hem wilt bewaren."
        )
    },
    export_first_button: "Eerst JSON exporteren",
    delete_confirm_button: "Definitief verwijderen",
    export_json_button: "JSON exporteren",
    tab_plan: "Programma",
    workshop_title_label: "Titel van de workshop",
    workshop_date_label: "Datum",
    planned_start_label: "Begin",
    planned_end_label: "Geplande afsluiting",
    agenda_heading: "Agenda",
    agenda_fits: |end, planned| {
        format!("Het programma eindigt om {end}, binnen de geplande afsluiting van {planned}.")
    },
    agenda_conflict: |end, planned, over| {
        format!(
            "Het programma loopt tot {end}: {over} min na de geplande afsluiting van {planned}."
        )
    },
    block_number: |n| format!("Blok {n}"),
    block_title_label: "Leerdoel",
    block_duration_label: "Duur (min)",
    block_work_form_label: "Werkvorm",
    block_lead_label: "Door",
    block_notes_label: "Notities voor de begeleider",
    block_examples_label: "Voorbeelden (één per regel)",
    block_activity_label: "Activiteit",
    activity_none: "Geen",
    activity_brainstorm: "Brainstormbord",
    activity_bears: "Berenschietmuur",
    activity_agreements: "Afspraken",
    minutes_short: "min",
    move_up: |title| format!("„{title}” omhoog"),
    move_down: |title| format!("„{title}” omlaag"),
    delete_block: |title| format!("„{title}” verwijderen"),
    start_this_block: |title| format!("„{title}” nu starten"),
    drag_handle: |title| format!("Sleep om „{title}” te verplaatsen"),
    add_block: "Blok toevoegen",
    new_block_title: "Nieuw blok",
    block_deleted: |title| format!("„{title}” is verwijderd."),
    undo: "Ongedaan maken",
    details_toggle: "Details",
    run_heading: "Nu",
    start_workshop: "Workshop starten",
    pause: "Pauzeren",
    resume: "Hervatten",
    minus_minute: "−1 min",
    plus_minute: "+1 min",
    plus_five: "+5 min",
    previous_block: "Vorig blok",
    next_block: "Volgend blok",
    finish_workshop: "Workshop afronden",
    finished_thanks: "Bedankt voor jullie inbreng. Dit zijn de afspraken:",
    reopen_workshop: "Workshop heropenen",
    goodbye: "Tot ziens!",
    on_schedule: "Op schema",
    minutes_behind: |n| format!("{n} min achter"),
    minutes_ahead: |n| format!("{n} min voor"),
    projected_end: |time| format!("Verwacht einde {time}"),
    timeline_label: "Tijdlijn: gepland tegenover werkelijk",
    timeline_block: |title, planned, actual| match actual {
        Some(actual) => format!("{title}: gepland {planned} min, werkelijk {actual} min"),
        None => format!("{title}: gepland {planned} min"),
    },
    open_projector: "Projectie openen",
    sound_on: "Geluid aan",
    sound_off: "Geluid uit",
    help_button: "Sneltoetsen",
    help_title: "Sneltoetsen",
    help_close: "Sluiten",
    shortcuts: [
        ("Spatie", "Starten / pauzeren / hervatten"),
        ("N of →", "Volgend blok"),
        ("P of ←", "Vorig blok"),
        ("+", "Eén minuut erbij"),
        ("−", "Eén minuut eraf"),
        ("?", "Deze hulp tonen of sluiten"),
    ],
    last_block: "Dit is het laatste blok",
    starts_at: |time| format!("Begint om {time}"),
    fullscreen: "Volledig scherm",
    agenda_strip_label: "Agenda",
    // brainstorm board and participant view
    bs_tab: "Brainstorm",
    bs_groups_heading: "Themagroepen",
    bs_new_group_label: "Nieuwe themagroep",
    bs_add_group: "Groep toevoegen",
    bs_group_name_label: |n| format!("Naam van themagroep {n}"),
    bs_group_colour_label: "Kleur",
    bs_delete_group: |name| {
        format!("Themagroep „{name}” verwijderen (geeltjes gaan naar Zonder groep)")
    },
    bs_board_heading: "Bord en stemmen",
    bs_board_is_open: "Het bord is open voor geeltjes",
    bs_board_is_closed: "Het bord is gesloten",
    bs_hidden_status: "geeltjes van anderen verborgen tot onthullen",
    bs_revealed_status: "onthuld",
    bs_voting_status: |budget, multiple| {
        if multiple {
            format!("stemmen open: {budget} stippen per deelnemer, meer stippen op één geeltje mag")
        } else {
            format!("stemmen open: {budget} stippen per deelnemer, één per geeltje")
        }
    },
    bs_open_board: "Bord openen",
    bs_close_board: "Bord sluiten",
    bs_hide_until_reveal: "Verbergen tot onthullen",
    bs_reveal: "Onthullen",
    bs_voting_heading: "Stippen stemmen",
    bs_budget_label: "Stippen per deelnemer",
    bs_allow_multiple: "Meer stippen op één geeltje toestaan",
    bs_open_voting: "Stemmen openen",
    bs_close_voting: "Stemmen sluiten",
    bs_sort_by_votes: "Sorteren op stemmen",
    bs_counters_heading: "Tellers",
    bs_per_group: "Per themagroep",
    bs_per_category: "Per soort",
    bs_participants_label: "Deelnemers",
    bs_participants_joined: "Aangemeld",
    bs_participants_contributing: "Met geeltjes",
    bs_notes_heading: "Geeltjes",
    bs_note_count: |n| {
        if n == 1 {
            "1 geeltje".to_owned()
        } else {
            format!("{n} geeltjes")
        }
    },
    bs_stacking_hint: "Kies het geeltje waarop je wilt stapelen.",
    bs_anonymous: "Anoniem",
    bs_hidden_badge: "Verborgen",
    bs_cluster_title_label: "Titel van de stapel",
    bs_move_note_label: |text| format!("Themagroep van „{text}”"),
    bs_hide: "Verbergen",
    bs_hide_note: |text| format!("„{text}” verbergen"),
    bs_stack: "Stapelen…",
    bs_stack_note: |text| format!("Stapelen: „{text}” op een ander geeltje"),
    bs_stack_here: "Hierop stapelen",
    bs_stack_here_label: |text| format!("Hierop stapelen: „{text}”"),
    bs_unstack: "Losmaken",
    bs_unstack_note: |text| format!("„{text}” losmaken van de stapel"),
    bs_stack_label: "Gestapelde geeltjes",
    bs_projector_hidden: "Geeltjes blijven verborgen tot de begeleider ze onthult",
    bs_projector_open: "Plak je geeltjes via je telefoon",
    bs_projector_voting: |budget| format!("Stemmen: iedereen heeft {budget} stippen"),
};

pub const PHONE_NL: PhoneStrings = PhoneStrings {
    relay: &super::relay::PHONE_NL,
    bears: &super::bears::PHONE_NL,
    outcomes: &super::outcomes::PHONE_NL,
    language_name: "Nederlands",
    switch_language_label: "Taal",
    app_tagline: "Workshops live begeleiden",
    skip_to_content: "Naar de inhoud",
    participant_title: "Meedoen",
    workshop_label: "Workshop",
    back_home: "Terug naar start",
    storage_unavailable: "Deze browser bewaart niets (privévenster of opslag uitgeschakeld). Je werk staat alleen in dit venster: exporteer het als JSON voordat je het sluit.",
    storage_full: "De opslag van deze browser is vol. Je laatste wijziging staat nog in dit venster maar is niet bewaard: exporteer de workshop als JSON.",
    storage_refused: "De browser weigerde op te slaan. Je wijzigingen staan nog in dit venster: exporteer de workshop als JSON.",
    workshop_not_found: "Deze workshop staat niet in deze browser. Open hem op het apparaat waar hij gemaakt is, of importeer een JSON-export.",
    workshop_damaged: "De opgeslagen workshop is beschadigd en kan niet worden geopend.",
    changes_not_taken_in: |n| {
        let (what, clashed, was) = if n == 1 {
            ("1 wijziging".to_owned(), "botste", "is")
        } else {
            (format!("{n} wijzigingen"), "botsten", "zijn")
        };
        format!(
            "{what} van een ander venster of van de server {clashed} met wat dit venster al had en {was} niet overgenomen. Exporteer de workshop als JSON en meld het aan wie Bijeen beheert."
        )
    },
    delete_button: "Verwijderen",
    cancel_button: "Annuleren",
    block_materials_label: "Materiaal",
    timer_idle: "Nog niet gestart",
    workshop_finished: "Workshop afgerond",
    timer_paused: "Gepauzeerd",
    timer_overrun: "Uitgelopen",
    timer_warning: "Bijna klaar",
    time_left_label: "Resterende tijd",
    block_about_heading: "Waar dit blok over gaat",
    up_next: |title| format!("Hierna: {title}"),
    lead_by: |lead| format!("door {lead}"),
    domain_error,
    bs_colour_yellow: "Geel",
    bs_colour_pink: "Roze",
    bs_colour_blue: "Blauw",
    bs_colour_green: "Groen",
    bs_colour_orange: "Oranje",
    bs_colour_purple: "Paars",
    bs_no_group: "Zonder groep",
    bs_category_partner: "Netwerkpartner",
    bs_category_network: "Bestaand netwerk",
    bs_category_form: "Samenwerkingsvorm",
    bs_category_activity: "Activiteit",
    bs_no_category: "Geen soort",
    bs_category_label: "Soort geeltje",
    bs_note_text_label: "Tekst van het geeltje",
    bs_votes: |n| {
        if n == 1 {
            "1 stem".to_owned()
        } else {
            format!("{n} stemmen")
        }
    },
    bs_delete_note: |text| format!("„{text}” verwijderen"),
    bs_withheld: |n| {
        if n == 1 {
            "1 geeltje wacht op onthullen".to_owned()
        } else {
            format!("{n} geeltjes wachten op onthullen")
        }
    },
    bs_now_label: "Nu bezig",
    bs_join_heading: "Doe mee",
    bs_name_label: "Je naam (mag leeg)",
    bs_group_label: "Themagroep",
    bs_choose_later: "Later kiezen",
    bs_join: "Meedoen",
    bs_join_anonymous: "Anoniem meedoen",
    bs_joined_as: |name| format!("Je doet mee als {name}"),
    bs_joined_anonymously: "Je doet anoniem mee",
    bs_dots_left: |left, budget| format!("{left} van {budget} stippen over"),
    bs_add_note_heading: "Nieuw geeltje",
    bs_board_closed_hint: "Het bord is nog gesloten; je kunt plakken zodra de begeleider het opent.",
    bs_add_note: "Geeltje plakken",
    bs_group_notes_heading: "Geeltjes van je groep",
    bs_no_notes_yet: "Nog geen geeltjes.",
    bs_mine_badge: "Van jou",
    bs_save: "Opslaan",
    bs_edit: "Bewerken",
    bs_edit_note: |text| format!("„{text}” bewerken"),
    bs_vote: "+ stip",
    bs_vote_for: |text| format!("+ stip op „{text}”"),
    bs_unvote: "− stip",
    bs_unvote_for: |text| format!("− stip van „{text}”"),
    bs_my_dots: |n| {
        if n == 1 {
            "1 stip van jou".to_owned()
        } else {
            format!("{n} stippen van jou")
        }
    },
};

fn domain_error(error: DomainError) -> String {
    use DomainError::*;
    match error {
        Empty { field } => match field {
            Field::WorkshopTitle => "Vul een titel voor de workshop in.",
            Field::BlockTitle => "Vul een leerdoel in.",
            Field::GroupName => "Vul een naam voor de themagroep in.",
            Field::NoteText => "Schrijf eerst iets op het geeltje.",
            Field::BearText => "Schrijf eerst je beer op.",
            Field::AgreementText => "Vul de tekst van het punt in.",
            Field::PlanName => "Vul een naam voor het plan in.",
            Field::Owner => "Vul een eigenaar in.",
            Field::Action => "Vul een actie in.",
        }
        .to_owned(),
        EmptyText => "Vul eerst iets in.".to_owned(),
        TextTooLong { max } => format!("Dat is te lang: hoogstens {max} tekens."),
        TooManyItems { max } => format!("Te veel onderdelen: hoogstens {max}."),
        DurationOutOfRange { min, max } => {
            format!("De duur moet tussen {min} en {max} minuten liggen.")
        }
        AdjustmentOutOfRange { min, max } => {
            format!("Pas de tijd aan met {min} tot {max} minuten.")
        }
        BudgetOutOfRange { min, max } => {
            format!("Het aantal stippen moet tussen {min} en {max} liggen.")
        }
        NumberOutOfRange { max } => format!("Het getal mag hoogstens {max} zijn."),
        InvalidDate => "Dat is geen geldige datum.".to_owned(),
        TimeOfDayOutOfRange => "Kies een tijd tussen 00:00 en 23:59.".to_owned(),
        UtcOffsetOutOfRange => "De tijdzone is ongeldig.".to_owned(),
        NotNormalised => "De tekst heeft spaties aan het begin of eind.".to_owned(),
        InvalidOrderKey => "De volgorde is beschadigd.".to_owned(),
        VoteBudgetExhausted { budget } => format!("Je hebt al je {budget} stippen gebruikt."),
        OneVotePerNote => "Je kunt maar één stip op een geeltje zetten.".to_owned(),
        NoVoteToRemove => "Je hebt hier geen stip staan.".to_owned(),
        VotingClosed => "Stemmen is gesloten.".to_owned(),
        BoardClosed => "Het bord is gesloten.".to_owned(),
        BearWallNotCollecting => "Beren verzamelen is voorbij.".to_owned(),
        NotYourNote => "Dit geeltje is van iemand anders.".to_owned(),
        BearsAreAnonymous => {
            "Beren zijn anoniem: ze gaan niet onder je naam naar de server. Laad de pagina opnieuw en probeer het nog eens.".to_owned()
        }
        NotYourself => "Je kunt alleen je eigen gegevens wijzigen.".to_owned(),
        NotAllowedForRole => "Dat mag alleen de begeleider.".to_owned(),
        NotJoined => "Meld je eerst aan.".to_owned(),
        UnknownBlock => "Dit blok bestaat niet (meer).".to_owned(),
        UnknownGroup => "Deze themagroep bestaat niet (meer).".to_owned(),
        UnknownNote => "Dit geeltje bestaat niet (meer).".to_owned(),
        UnknownRound => "Deze stemronde bestaat niet.".to_owned(),
        UnknownAgreement => "Deze afspraak bestaat niet (meer).".to_owned(),
        UnknownPlan => "Dit communityplan bestaat niet (meer).".to_owned(),
        UnknownParticipant => "Deze deelnemer bestaat niet.".to_owned(),
        WrongBoard => "Dit geeltje hangt op een ander bord.".to_owned(),
        NotOnBrainstormBoard => {
            "Alleen brainstormgeeltjes hebben een themagroep en soort.".to_owned()
        }
        NotDeleted => "Dit is niet verwijderd.".to_owned(),
        NoBlocks => "De agenda heeft nog geen blokken.".to_owned(),
        NoNextBlock => "Dit is het laatste blok.".to_owned(),
        NoPreviousBlock => "Dit is het eerste blok.".to_owned(),
        TimerIdle => "Er loopt nog geen blok.".to_owned(),
        TimerNotRunning => "De timer loopt niet.".to_owned(),
        TimerNotPaused => "De timer staat niet op pauze.".to_owned(),
        StackOntoSelf => "Een geeltje kan niet op zichzelf gestapeld worden.".to_owned(),
        NotStacked => "Dit geeltje ligt niet op een stapel.".to_owned(),
    }
}

pub(super) fn import_error(error: &ImportError) -> String {
    let what = match &error.kind {
        ImportErrorKind::NotJson { line, column } => {
            format!("dit is geen geldige JSON (regel {line}, kolom {column})")
        }
        ImportErrorKind::WrongFormat { found } => {
            format!("dit is geen Bijeen-export (formaat „{found}”)")
        }
        ImportErrorKind::NewerVersion { found } => format!(
            "gemaakt met een nieuwere Bijeen (formaat „{found}”); werk deze Bijeen bij om het te openen"
        ),
        ImportErrorKind::MissingField => "dit veld ontbreekt".to_owned(),
        ImportErrorKind::WrongType { expected } => format!(
            "dit moet {} zijn",
            match expected {
                JsonType::Object => "een object",
                JsonType::Array => "een lijst",
                JsonType::String => "tekst",
                JsonType::Integer => "een geheel getal",
            }
        ),
        ImportErrorKind::TooLarge { bytes } => format!(
            "het bestand is {:.1} MB; hoogstens 10 MB kan worden geïmporteerd",
            *bytes as f64 / 1_000_000.0
        ),
        ImportErrorKind::InvalidValue { problem } => match problem {
            Invalid::UnknownOpBody => {
                "onbekende wijziging (gemaakt met een andere versie?)".to_owned()
            }
            Invalid::Domain(domain) => format!("ongeldige waarde: {}", domain_error(*domain)),
            Invalid::ZeroSeq => "volgnummer 0 bestaat niet".to_owned(),
            Invalid::EmptyActor => "de maker ontbreekt".to_owned(),
            Invalid::DuplicateOp => {
                "twee verschillende wijzigingen met hetzelfde nummer".to_owned()
            }
            Invalid::SummaryMismatch => {
                "de samenvatting klopt niet met de wijzigingen (met de hand bewerkt?)".to_owned()
            }
        },
    };
    // The plain sentence first; the JSON path is a detail for whoever fixes the file.
    if error.path.is_empty() || error.path == "$" {
        capitalise(&what)
    } else {
        format!(
            "{} (plek in het bestand: {})",
            capitalise(&what),
            error.path
        )
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
