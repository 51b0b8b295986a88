use bijeen_core::Command;
use bijeen_core::schedule::{Rebase, hhmm, rebase};
use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::ui::Runner;
use crate::ui::modal::Modal;
use crate::workshop::session::WorkshopSession;
use crate::workshop::use_session;

/// Starts the workshop, or, when now is far from the planned start, opens the question in
/// `offer` first ([`RebaseDialog`] shows it). The console's Start and the remote's share it.
pub fn start_or_ask(
    session: WorkshopSession,
    offer: RwSignal<Option<Rebase>>,
    run: impl Fn(Command),
) {
    match session.with(|w| rebase(w, session.now())).flatten() {
        Some(late) => offer.set(Some(late)),
        None => run(Command::StartWorkshop),
    }
}

/// Start when you start: asked when Start is pressed far from the planned start, in the
/// console and on the phone remote alike. Moving
/// the plan to now is the first button, so Enter (and the focus the dialog opens with)
/// takes it; keeping the plan starts as planned; Escape or "not yet" starts nothing.
#[component]
pub fn RebaseDialog(
    offer: RwSignal<Option<Rebase>>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let runner = Runner::from_context();
    let choose = move |command: Option<Command>| {
        offer.set(None);
        if let Some(command) = command {
            runner.run_into(error, command);
        }
    };
    let planned = move || {
        session
            .with(|w| (*w.meta.planned_start_min, *w.meta.planned_end_min))
            .map(|(start, end)| (hhmm(start.into()), hhmm(end.into())))
            .unwrap_or_default()
    };
    let text = move || {
        let t = i18n.schedule();
        let (start, end) = planned();
        offer.get().map(|r| {
            let (now, new_end) = (hhmm(r.start_min.into()), hhmm(r.end_min.into()));
            view! {
                <p>{(t.rebase_question)(&now, &start, r.away_min)}</p>
                <div class="dialog__actions">
                    <button type="button" class="primary" autofocus data-testid="rebase-yes"
                        on:click=move |_| choose(Some(Command::RebaseAndStart))>
                        {(t.rebase_yes)(&now, &new_end)}
                    </button>
                    <button type="button" data-testid="rebase-keep"
                        on:click=move |_| choose(Some(Command::StartWorkshop))>
                        {(t.rebase_keep)(&start, &end)}
                    </button>
                    <button type="button" on:click=move |_| choose(None)>
                        {t.rebase_cancel}
                    </button>
                </div>
            }
        })
    };
    view! {
        <Modal open=Signal::derive(move || offer.with(Option::is_some)) labelled_by="rebase-title"
            on_close=Callback::new(move |()| offer.set(None))>
            <h2 id="rebase-title">{move || i18n.schedule().rebase_title}</h2>
            {text}
        </Modal>
    }
}
