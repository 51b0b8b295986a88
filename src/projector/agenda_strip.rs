use bijeen_core::schedule;
use bijeen_core::schedule::hhmm;
use leptos::prelude::*;

use crate::ui::tr;

use crate::workshop::session::WorkshopSession;

#[derive(Clone, Debug, PartialEq)]
struct StripItem {
    start: String,
    title: String,
    current: bool,
    done: bool,
}

/// The whole agenda in one line of small cards: done, now, to come.
#[component]
pub fn AgendaStrip(session: WorkshopSession) -> impl IntoView {
    let items = Memo::new(move |_| {
        session
            .with(|w| {
                let s = schedule(w);
                let current = w.timer.value.current.clone();
                w.blocks_in_order()
                    .into_iter()
                    .map(|(id, block)| StripItem {
                        start: s
                            .row(id)
                            .map(|row| hhmm(i64::from(row.start_min)))
                            .unwrap_or_default(),
                        title: block.title.value.clone(),
                        current: current.as_ref() == Some(id),
                        done: block.actual_end_ms.value.is_some() && current.as_ref() != Some(id),
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    view! {
        <nav class="agenda-strip" aria-label=tr(|t| t.agenda_strip_label)>
            <ol>
                {move || items.get().into_iter().map(|item| view! {
                    <li class="agenda-strip__item"
                        class:agenda-strip__item--current=item.current
                        class:agenda-strip__item--done=item.done
                        aria-current=if item.current { Some("step") } else { None }>
                        <span class="agenda-strip__time">{item.start}</span>
                        <span class="agenda-strip__title">{item.title}</span>
                    </li>
                }).collect_view()}
            </ol>
        </nav>
    }
}
