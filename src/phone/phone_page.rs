use bijeen_view::Lead;
use leptos::prelude::*;

use crate::adapters::first_screen;
use crate::phone::PhoneLink;
use crate::phone::block_about::BlockAbout;
use crate::phone::group_notes::GroupNotes;
use crate::phone::group_picker::GroupPicker;
use crate::phone::join_form::JoinForm;
use crate::phone::link::OpenError;
use crate::phone::my_contributions::MyContributions;
use crate::phone::note_form::NoteForm;
use crate::phone::now_bar::NowBar;
use crate::phone::phone_bears::PhoneBears;
use crate::ui::connection_status::LinkStatusSource;
use crate::ui::page_frame::PageFrame;
use crate::ui::problem_banner::storage_text;
use crate::ui::tr_phone;

/// The participant's phone: what runs now, then joining, or (once joined) the theme group,
/// the note form, the dots left and the group's notes, the bear wall, and the assignment
/// and own contributions; the section the block is about comes first.
#[component]
pub fn PhonePage(
    /// The workshop's id in this browser (the route's `ID`, the room's id).
    id: String,
) -> impl IntoView {
    let i18n = crate::i18n::use_i18n();
    let phone = match PhoneLink::open(&id) {
        Ok(phone) => phone,
        Err(error) => {
            let text = move || match &error {
                OpenError::NotJoined => i18n.phone().relay.phone_not_joined,
                OpenError::Storage(error) => storage_text(i18n.phone(), error),
            };
            return view! {
                <PageFrame>
                    <div class="join">
                        <h1>{tr_phone(|t| t.participant_title)}</h1>
                        <p>{tr_phone(|t| t.workshop_label)} ": " <code class="workshop-id">{id}</code></p>
                        <p class="banner banner--problem" role="alert">{text}</p>
                        <p><a href="/">{tr_phone(|t| t.back_home)}</a></p>
                    </div>
                </PageFrame>
            }
            .into_any();
        }
    };
    provide_context(phone);
    provide_context(LinkStatusSource(phone.status.into()));
    let joined = Memo::new(move |_| phone.view.with(|v| v.head.me.joined));
    let loaded = phone.loaded;
    // Once joined, the next first screen of this page leads with no join form. An effect
    // for a side effect outside the app (storage), not for app state.
    let marked = id.clone();
    Effect::new(move |_| {
        if joined.get() {
            first_screen::remember_joined(&marked);
        }
    });
    let lead = Memo::new(move |_| phone.view.with(|v| v.head.lead));
    let lead_class = move || match lead.get() {
        Lead::Bears => "p-sections p-sections--bears-first",
        Lead::Assignment | Lead::Agreements => "p-sections p-sections--outcomes-first",
        Lead::BlockContent => "p-sections p-sections--about-first",
        Lead::Votes => "p-sections p-sections--votes-first",
        Lead::NoteForm => "p-sections",
    };
    let storage_problem = move || {
        phone
            .storage_problem
            .get()
            .map(|error| storage_text(i18n.phone(), &error))
    };
    view! {
        <PageFrame>
            <div class="join">
                <h1 class:visually-hidden=move || loaded.get()>{tr_phone(|t| t.participant_title)}</h1>
                <Show when=move || !loaded.get()>
                    <p>{tr_phone(|t| t.workshop_label)} ": " <code class="workshop-id">{id.clone()}</code></p>
                </Show>
                <NowBar />
                {move || storage_problem().map(|text| view! { <p class="banner banner--problem" role="alert">{text}</p> })}
                <Show when=move || loaded.get()>
                    <Show when=move || joined.get() fallback=|| view! { <JoinForm /> }>
                        // One set of sections whose visual order changes: switching never
                        // unmounts a form, so a note being typed when the board closes stays
                        // on screen with the board's refusal next to it.
                        <div class=lead_class>
                            <GroupPicker />
                            <NoteForm />
                            <GroupNotes />
                            <div class="p-sections__about">
                                <BlockAbout />
                            </div>
                            <div class="p-sections__bears">
                                <PhoneBears />
                            </div>
                            <div class="p-sections__outcomes">
                                <MyContributions />
                            </div>
                        </div>
                    </Show>
                </Show>
            </div>
        </PageFrame>
    }
    .into_any()
}
