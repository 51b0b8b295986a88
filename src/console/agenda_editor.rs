use bijeen_core::schedule::hhmm;
use bijeen_core::{BlockDraft, BlockId, Command, LiveTimer, Place, Schedule, schedule};
use leptos::prelude::*;

use crate::ui::tr;

use crate::console::block_row::BlockRow;
use crate::console::schedule_proposals::ScheduleProposals;
use crate::i18n::use_i18n;
use crate::ui::{Runner, error_slot};
use crate::workshop::use_session;

/// What the agenda rows share: the order, the computed times, drag state and the undo
/// of the last delete.
#[derive(Clone, Copy)]
pub struct AgendaContext {
    pub order: Memo<Vec<BlockId>>,
    pub schedule: Memo<Option<Schedule>>,
    pub dragging: RwSignal<Option<BlockId>>,
    pub last_deleted: RwSignal<Option<(BlockId, String)>>,
}

impl AgendaContext {
    /// Where to put `id` so that it lands at `index` of the current order.
    pub fn place_at(&self, id: &BlockId, index: usize) -> Place<BlockId> {
        let order: Vec<BlockId> = self
            .order
            .get_untracked()
            .into_iter()
            .filter(|other| other != id)
            .collect();
        match index.checked_sub(1).and_then(|before| order.get(before)) {
            Some(before) => Place::After(before.clone()),
            None => Place::Start,
        }
    }
}

/// The agenda with computed start times, the conflict with the planned close, and the
/// editable blocks.
#[component]
pub fn AgendaEditor(#[prop(into)] timer: Signal<Option<LiveTimer>>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let runner = Runner::from_context();
    let error = error_slot();
    let agenda = AgendaContext {
        order: Memo::new(move |_| {
            session
                .with(|w| {
                    w.blocks_in_order()
                        .into_iter()
                        .map(|(id, _)| id.clone())
                        .collect()
                })
                .unwrap_or_default()
        }),
        schedule: Memo::new(move |_| session.with(schedule)),
        dragging: RwSignal::new(None),
        last_deleted: RwSignal::new(None),
    };
    provide_context(agenda);

    let fit =
        move || {
            let t = i18n.t();
            agenda.schedule.get().map(|s| {
            let end = hhmm(i64::from(s.computed_end_min));
            let planned = hhmm(i64::from(s.planned_end_min));
            if s.over_min > 0 {
                view! { <p class="banner banner--conflict" role="status" data-testid="agenda-fit">
                    <strong>"⚠ "</strong>{(t.agenda_conflict)(&end, &planned, s.over_min)}
                </p> }.into_any()
            } else {
                view! { <p class="banner banner--ok" role="status" data-testid="agenda-fit">
                    {(t.agenda_fits)(&end, &planned)}
                </p> }.into_any()
            }
        })
        };
    let add_block = move |_| {
        runner.run_into(
            error,
            Command::AddBlock {
                place: Place::End,
                block: BlockDraft {
                    title: i18n.t().new_block_title.to_owned(),
                    duration_min: 10,
                    ..BlockDraft::default()
                },
            },
        )
    };
    view! {
        <section class="agenda" aria-labelledby="agenda-heading">
            <h2 id="agenda-heading">{tr(|t| t.agenda_heading)}</h2>
            {fit}
            <ScheduleProposals timer=timer />
            <ol class="agenda__list">
                <For
                    each=move || agenda.order.get()
                    key=|id| id.clone()
                    children=move |id| view! { <BlockRow id=id timer=timer /> }
                />
            </ol>
            <button type="button" on:click=add_block>{tr(|t| t.add_block)}</button>
            <p class="field-error" role="alert">{move || error.get()}</p>
            {move || {
                agenda.last_deleted.get().map(|(id, title)| {
                    view! {
                        <div class="toast" role="status">
                            <span>{(i18n.t().block_deleted)(&title)}</span>
                            <button type="button" class="primary" on:click=move |_| {
                                runner.run_into(error, Command::RestoreBlock(id.clone()));
                                agenda.last_deleted.set(None);
                            }>{tr(|t| t.undo)}</button>
                        </div>
                    }
                })
            }}
        </section>
    }
}
