//! Strings of the outcomes: agreements, open ends, follow-up, community plans, and export.
//! A part of the one translation table ([`super::Strings::outcomes`]).

use bijeen_core::{CommunityRole, LessonWarning};

pub struct OutcomeStrings {
    pub tab_agreements: &'static str,
    pub tab_export: &'static str,
    pub practical_label: &'static str,
    pub practical_hint: &'static str,
    pub saved: &'static str,
    // the three lists
    pub list_agreements: &'static str,
    pub list_open_ends: &'static str,
    pub list_follow_up: &'static str,
    pub new_item_label: &'static str,
    pub owner_label: &'static str,
    pub due_label: &'static str,
    pub add_item: &'static str,
    pub empty_list: &'static str,
    pub item_text_label: &'static str,
    pub done_label: fn(&str) -> String,
    pub move_to_list: fn(&str) -> String,
    pub delete_item: fn(&str) -> String,
    pub item_deleted: fn(&str) -> String,
    pub from_bear: fn(&str) -> String,
    pub done_badge: &'static str,
    // community plans
    pub plans_heading: &'static str,
    pub plans_intro: &'static str,
    pub new_plan_label: &'static str,
    pub add_plan: &'static str,
    pub from_board_heading: &'static str,
    pub from_board_hint: &'static str,
    pub no_board_notes: &'static str,
    pub plan_from_button: &'static str,
    pub plan_from: fn(&str) -> String,
    pub votes: fn(u32) -> String,
    pub no_plans: &'static str,
    pub plan_name_label: &'static str,
    pub plan_source: fn(&str) -> String,
    pub partners_label: &'static str,
    pub list_hint: &'static str,
    pub bouwer_label: &'static str,
    pub verbinder_label: &'static str,
    pub aanjager_label: &'static str,
    pub colleagues_label: &'static str,
    pub target_members_label: &'static str,
    pub target_activities_label: &'static str,
    pub target_date_label: &'static str,
    pub start_phase_label: &'static str,
    pub not_a_number: &'static str,
    pub plan_follows_lessons: &'static str,
    pub lessons_broken: &'static str,
    pub warning: fn(LessonWarning) -> String,
    pub delete_plan: fn(&str) -> String,
    // export
    pub export_heading: &'static str,
    pub export_intro: &'static str,
    pub json_button: &'static str,
    pub json_hint: &'static str,
    pub report_button: &'static str,
    pub report_hint: &'static str,
    pub csv_button: &'static str,
    pub csv_hint: &'static str,
    pub print_link: &'static str,
    pub print_hint: &'static str,
    pub ics_button: &'static str,
    /// What the calendar file holds, with how many actions are in it now.
    pub ics_hint: fn(usize) -> String,
    /// Said instead of a download when no action can go into a calendar.
    pub ics_nothing: &'static str,
    // print view
    pub report_title: &'static str,
    pub print_button: &'static str,
    pub back_to_console: &'static str,
    // projector and participant
    pub projector_empty: &'static str,
    // home
    pub report_link: &'static str,
}

/// The part of [`OutcomeStrings`] a participant's phone shows ([`super::PhoneStrings`]).
pub struct PhoneOutcomeStrings {
    pub download_failed: &'static str,
    pub downloaded: fn(&str) -> String,
    // practical assignment
    pub practical_heading: &'static str,
    pub my_export_heading: &'static str,
    pub my_export_hint: &'static str,
    pub my_export_button: &'static str,
}

fn role_nl(role: CommunityRole) -> &'static str {
    match role {
        CommunityRole::Bouwer => "bouwer",
        CommunityRole::Verbinder => "verbinder",
        CommunityRole::Aanjager => "aanjager",
    }
}

fn role_en(role: CommunityRole) -> &'static str {
    match role {
        CommunityRole::Bouwer => "builder (bouwer)",
        CommunityRole::Verbinder => "connector (verbinder)",
        CommunityRole::Aanjager => "driver (aanjager)",
    }
}

pub const NL: OutcomeStrings = OutcomeStrings {
    tab_agreements: "Afspraken",
    tab_export: "Export",
    practical_label: "Opdracht voor de deelnemers",
    practical_hint: "Deelnemers zien dit op hun telefoon zodra het slotblok loopt, en in hun eigen export.",
    saved: "Opgeslagen.",
    list_agreements: "Afspraken",
    list_open_ends: "Open eindjes",
    list_follow_up: "Vervolg",
    new_item_label: "Nieuw punt",
    owner_label: "Wie",
    due_label: "Wanneer klaar",
    add_item: "Toevoegen",
    empty_list: "Nog niets.",
    item_text_label: "Tekst",
    done_label: |text| format!("Afgerond: {text}"),
    move_to_list: |text| format!("Naar lijst: {text}"),
    delete_item: |text| format!("Verwijder: {text}"),
    item_deleted: |text| format!("“{text}” verwijderd."),
    from_bear: |bear| format!("Getemde beer: “{bear}”"),
    done_badge: "afgerond",
    plans_heading: "Communityplannen",
    plans_intro: "Een plan per community of netwerkidee. Het plan zegt welke lessen uit de pilot het breekt.",
    new_plan_label: "Naam van een nieuw plan",
    add_plan: "Plan maken",
    from_board_heading: "Uit de brainstorm",
    from_board_hint: "De geeltjes en clusters met de meeste stemmen.",
    no_board_notes: "Nog geen geeltjes op het brainstormbord.",
    plan_from_button: "Plan maken",
    plan_from: |text| format!("Plan maken van: {text}"),
    votes: |n| {
        if n == 1 {
            "1 stem".to_owned()
        } else {
            format!("{n} stemmen")
        }
    },
    no_plans: "Nog geen plannen.",
    plan_name_label: "Naam",
    plan_source: |text| format!("Uit de brainstorm: “{text}”"),
    partners_label: "Partners",
    list_hint: "Komma's ertussen.",
    bouwer_label: "Bouwer (collega)",
    verbinder_label: "Verbinder (collega)",
    aanjager_label: "Aanjager (collega)",
    colleagues_label: "Andere bibliotheekcollega's",
    target_members_label: "Doel: aantal leden",
    target_activities_label: "Doel: aantal activiteiten",
    target_date_label: "Doelen halen vóór",
    start_phase_label: "Beginfase in maanden",
    not_a_number: "Vul een heel getal in, of laat het leeg.",
    plan_follows_lessons: "Dit plan volgt de lessen uit de pilot.",
    lessons_broken: "Lessen die dit plan breekt",
    warning: |warning| {
        match warning {
        LessonWarning::RoleMissing(role) => format!(
            "Niemand is {}. Elke community heeft een bouwer, een verbinder en een aanjager nodig.",
            role_nl(role)
        ),
        LessonWarning::TooManyLibraryColleagues { count } => format!(
            "Er doen {count} bibliotheekcollega's mee. Meer dan 3 in één community is niet nodig."
        ),
        LessonWarning::NoMeasurableTarget => {
            "Er is geen meetbaar doel. Spreek vooraf af hoeveel leden of activiteiten het moet opleveren.".to_owned()
        }
        LessonWarning::StartPhaseTooShort { months } => format!(
            "Een beginfase van {months} maanden is te kort. Trek er minstens een jaar voor uit."
        ),
    }
    },
    delete_plan: |name| format!("Plan verwijderen: {name}"),
    export_heading: "Exporteren",
    export_intro: "Bestandsnamen bevatten de titel en de datum van de workshop.",
    json_button: "JSON exporteren",
    json_hint: "De hele workshop (bijeen/1). Op elke andere computer weer te importeren.",
    report_button: "Verslag downloaden (Markdown)",
    report_hint: "Een leesbaar verslag: programma met tijden, brainstorm, beren, afspraken en plannen.",
    csv_button: "Geeltjes als CSV",
    csv_hint: "Alle geeltjes met bord, groep, categorie, stemmen, status en cluster; opent in een spreadsheet.",
    print_link: "Afdrukweergave openen",
    print_hint: "Het verslag als A4-document; kies in het afdrukvenster “Opslaan als PDF”.",
    ics_button: "Agenda-bestand (.ics)",
    ics_hint: |n| {
        let actions = match n {
            0 => "nog geen".to_owned(),
            1 => "1 actie".to_owned(),
            n => format!("{n} acties"),
        };
        format!(
            "Elke open vervolgactie met wie en wanneer klaar, als afspraak van een hele dag op die datum, met de workshop en wie het doet. Te importeren in Outlook, Google Agenda of Apple Agenda. Nu {actions}."
        )
    },
    ics_nothing: "Niets gedownload: er is nog geen open vervolgactie met wie en wanneer klaar. Vul die in bij Afspraken, onder Vervolg.",
    report_title: "Verslag",
    print_button: "Afdrukken of opslaan als PDF",
    back_to_console: "Terug naar de console",
    projector_empty: "Nog geen afspraken.",
    report_link: "Verslag",
};

pub const PHONE_NL: PhoneOutcomeStrings = PhoneOutcomeStrings {
    download_failed: "De browser wilde het bestand niet maken. Probeer het opnieuw.",
    downloaded: |name| format!("Gedownload: {name}"),
    practical_heading: "Praktijkopdracht",
    my_export_heading: "Je eigen bijdragen",
    my_export_hint: "Je geeltjes, je beren en de praktijkopdracht, als bestand.",
    my_export_button: "Mijn bijdragen downloaden",
};

pub const EN: OutcomeStrings = OutcomeStrings {
    tab_agreements: "Agreements",
    tab_export: "Export",
    practical_label: "Assignment for the participants",
    practical_hint: "Participants see this on their phones once the closing block runs, and in their own export.",
    saved: "Saved.",
    list_agreements: "Agreements",
    list_open_ends: "Open ends",
    list_follow_up: "Follow-up",
    new_item_label: "New item",
    owner_label: "Who",
    due_label: "Due",
    add_item: "Add",
    empty_list: "Nothing yet.",
    item_text_label: "Text",
    done_label: |text| format!("Done: {text}"),
    move_to_list: |text| format!("Move to list: {text}"),
    delete_item: |text| format!("Delete: {text}"),
    item_deleted: |text| format!("“{text}” deleted."),
    from_bear: |bear| format!("Tamed bear: “{bear}”"),
    done_badge: "done",
    plans_heading: "Community plans",
    plans_intro: "One plan per community or network idea. The plan says which lessons from the pilot it breaks.",
    new_plan_label: "Name of a new plan",
    add_plan: "Create plan",
    from_board_heading: "From the brainstorm",
    from_board_hint: "The notes and clusters with the most votes.",
    no_board_notes: "No notes on the brainstorm board yet.",
    plan_from_button: "Create plan",
    plan_from: |text| format!("Create a plan from: {text}"),
    votes: |n| {
        if n == 1 {
            "1 vote".to_owned()
        } else {
            format!("{n} votes")
        }
    },
    no_plans: "No plans yet.",
    plan_name_label: "Name",
    plan_source: |text| format!("From the brainstorm: “{text}”"),
    partners_label: "Partners",
    list_hint: "Separate with commas.",
    bouwer_label: "Builder – bouwer (colleague)",
    verbinder_label: "Connector – verbinder (colleague)",
    aanjager_label: "Driver – aanjager (colleague)",
    colleagues_label: "Other library colleagues",
    target_members_label: "Target: number of members",
    target_activities_label: "Target: number of activities",
    target_date_label: "Targets met by",
    start_phase_label: "Start phase in months",
    not_a_number: "Enter a whole number, or leave it empty.",
    plan_follows_lessons: "This plan follows the lessons from the pilot.",
    lessons_broken: "Lessons this plan breaks",
    warning: |warning| {
        match warning {
        LessonWarning::RoleMissing(role) => format!(
            "Nobody is the {}. Every community needs a builder, a connector and a driver.",
            role_en(role)
        ),
        LessonWarning::TooManyLibraryColleagues { count } => format!(
            "{count} library colleagues take part. More than 3 in one community is not needed."
        ),
        LessonWarning::NoMeasurableTarget => {
            "There is no measurable target. Agree up front how many members or activities it must bring.".to_owned()
        }
        LessonWarning::StartPhaseTooShort { months } => format!(
            "A start phase of {months} months is too short. Allow at least a year."
        ),
    }
    },
    delete_plan: |name| format!("Delete plan: {name}"),
    export_heading: "Export",
    export_intro: "File names carry the workshop's title and date.",
    json_button: "Export JSON",
    json_hint: "The whole workshop (bijeen/1). Can be imported again on any other computer.",
    report_button: "Download report (Markdown)",
    report_hint: "A readable report: agenda with times, brainstorm, bears, agreements and plans.",
    csv_button: "Notes as CSV",
    csv_hint: "Every note with board, group, category, votes, status and cluster; opens in a spreadsheet.",
    print_link: "Open print view",
    print_hint: "The report as an A4 document; choose “Save as PDF” in the print dialog.",
    ics_button: "Calendar file (.ics)",
    ics_hint: |n| {
        let actions = match n {
            0 => "none yet".to_owned(),
            1 => "1 action".to_owned(),
            n => format!("{n} actions"),
        };
        format!(
            "Every open follow-up action with a who and a due date, as an all-day event on that date, with the workshop and who does it. Imports into Outlook, Google Calendar or Apple Calendar. Now {actions}."
        )
    },
    ics_nothing: "Nothing downloaded: there is no open follow-up action with a who and a due date yet. Fill them in under Agreements, in Follow-up.",
    report_title: "Report",
    print_button: "Print or save as PDF",
    back_to_console: "Back to the console",
    projector_empty: "No agreements yet.",
    report_link: "Report",
};

pub const PHONE_EN: PhoneOutcomeStrings = PhoneOutcomeStrings {
    download_failed: "The browser refused to create the file. Please try again.",
    downloaded: |name| format!("Downloaded: {name}"),
    practical_heading: "Practical assignment",
    my_export_heading: "Your own contributions",
    my_export_hint: "Your notes, your bears and the practical assignment, as a file.",
    my_export_button: "Download my contributions",
};
