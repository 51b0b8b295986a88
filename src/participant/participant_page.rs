use bijeen_core::{ParticipantId, PhoneLead, Role, phone_lead};
use leptos::prelude::*;

use crate::adapters::first_screen;
use crate::bears::participant_bears::ParticipantBears;
use crate::outcomes::participant_outcomes::ParticipantOutcomes;
use crate::participant::back_to_phone::BackToPhone;
use crate::participant::block_about::BlockAbout;
use crate::participant::group_notes::GroupNotes;
use crate::participant::group_picker::GroupPicker;
use crate::participant::join_form::JoinForm;
use crate::participant::note_form::NoteForm;
use crate::participant::now_bar::NowBar;
use crate::participant::votes_left::VotesLeft;
use crate::timer::use_live_timer;
use crate::ui::page_frame::PageFrame;
use crate::ui::problem_banner::ProblemBanner;
use crate::ui::tr_phone;
use crate::workshop::me::Me;
use crate::workshop::session::WorkshopSession;

/// The participant's phone: what runs now, then joining, or (once joined) the theme
/// group, the note form, the dots left and the group's notes, and the bear wall (shown
/// first while the bear block or the break before it runs).
#[component]
pub fn ParticipantPage(
    /// The workshop's id in this browser (the route's `ID`).
    id: String,
) -> impl IntoView {
    let session = WorkshopSession::open(id.clone(), Role::Participant);
    provide_context(session);
    let timer = use_live_timer(session);
    let me = Me(
        Memo::new(move |_| session.with_doc(|doc| ParticipantId::of(doc.actor()))),
        Memo::new(move |_| {
            session
                .with_doc(|doc| doc.pseudonym().map(ParticipantId::of))
                .flatten()
        }),
    );
    provide_context(me);
    let joined = Memo::new(move |_| {
        me.0.with(|me| {
            me.as_ref()
                .and_then(|me| session.with(|w| w.participant(me).is_some()))
                .unwrap_or(false)
        })
    });
    // Once joined, the next first screen of this page leads with no join form. An effect
    // for a side effect outside the app (storage), not for app state.
    let marked = id.clone();
    Effect::new(move |_| {
        if joined.get() {
            first_screen::remember_joined(&marked);
        }
    });
    // What the phone leads with follows the block (the core's rule): the bears while the
    // bear block runs or in the break before it, the assignment and own contributions in
    // the agreements and closing blocks and once the workshop is finished, and what the
    // block is about while no board is open for it.
    let lead = session.select(PhoneLead::NoteForm, phone_lead);
    let lead_class = move || match lead.get() {
        PhoneLead::Bears => "p-sections p-sections--bears-first",
        PhoneLead::Assignment | PhoneLead::Agreements => "p-sections p-sections--outcomes-first",
        PhoneLead::BlockContent => "p-sections p-sections--about-first",
        PhoneLead::Votes => "p-sections p-sections--votes-first",
        PhoneLead::NoteForm => "p-sections",
    };
    let back_to_phone = id.clone();
    view! {
        <PageFrame>
            <div class="join">
                // The page's name; on a phone with a workshop the bar below says enough.
                <h1 class:visually-hidden=move || session.is_loaded()>{tr_phone(|t| t.participant_title)}</h1>
                <Show when=move || !session.is_loaded()>
                    <p>{tr_phone(|t| t.workshop_label)} ": " <code class="workshop-id">{id.clone()}</code></p>
                </Show>
                <NowBar timer=timer />
                <BackToPhone workshop=back_to_phone />
                <ProblemBanner problem=Signal::derive(move || session.problem()) />
                <Show when=move || session.is_loaded()>
                    <Show when=move || joined.get() fallback=|| view! { <JoinForm /> }>
                        // One set of sections whose visual order changes: switching
                        // never unmounts a form, so a note being typed when the board
                        // closes stays on screen with the board's refusal next to it.
                        <div class=lead_class>
                            <GroupPicker />
                            <VotesLeft />
                            <NoteForm />
                            <GroupNotes />
                            <div class="p-sections__about">
                                <BlockAbout />
                            </div>
                            <div class="p-sections__bears">
                                <ParticipantBears />
                            </div>
                            <div class="p-sections__outcomes">
                                <ParticipantOutcomes />
                            </div>
                        </div>
                    </Show>
                </Show>
            </div>
        </PageFrame>
    }
    .into_any()
}
