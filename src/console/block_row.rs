use bijeen_core::schedule::hhmm;
use bijeen_core::{Activity, BlockEdit, BlockId, Command, LiveTimer};
use leptos::prelude::*;

use crate::console::agenda_editor::AgendaContext;
use crate::i18n::use_i18n;
use crate::ui::{Runner, error_slot, tr};
use crate::workshop::use_session;

const ACTIVITIES: [(Activity, &str); 4] = [
    (Activity::None, "none"),
    (Activity::Brainstorm, "brainstorm"),
    (Activity::Bears, "bears"),
    (Activity::Agreements, "agreements"),
];

/// One agenda block: its computed start, every field of the core model, reorder by drag
/// or buttons, delete, and start it now.
#[component]
pub fn BlockRow(id: BlockId, #[prop(into)] timer: Signal<Option<LiveTimer>>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let session = use_session();
    let agenda = expect_context::<AgendaContext>();
    let runner = Runner::from_context();
    let error = error_slot();

    let block = {
        let id = id.clone();
        Memo::new(move |_| session.with(|w| w.block(&id).cloned()).flatten())
    };
    let index = {
        let id = id.clone();
        Memo::new(move |_| {
            agenda
                .order
                .with(|order| order.iter().position(|other| *other == id))
                .unwrap_or(0)
        })
    };
    let count = Memo::new(move |_| agenda.order.with(Vec::len));
    let start = {
        let id = id.clone();
        move || {
            agenda.schedule.with(|s| {
                s.as_ref()
                    .and_then(|s| s.row(&id))
                    .map(|row| hhmm(i64::from(row.start_min)))
            })
        }
    };
    let is_current = {
        let id = id.clone();
        move || timer.with(|t| t.as_ref().is_some_and(|t| t.block == id))
    };
    let title = move || {
        block.with(|b| {
            b.as_ref()
                .map(|b| b.title.value.clone())
                .unwrap_or_default()
        })
    };
    let text_of = move |read: fn(&bijeen_core::Block) -> String| {
        move || block.with(|b| b.as_ref().map(read).unwrap_or_default())
    };

    let edit = {
        let id = id.clone();
        move |edit: BlockEdit| {
            runner.run_into(
                error,
                Command::EditBlock {
                    id: id.clone(),
                    edit,
                },
            )
        }
    };
    let field_id = |name: &str| format!("block-{}-{name}", id.as_str());

    let move_to = {
        let id = id.clone();
        move |target: usize| {
            runner.run_into(
                error,
                Command::MoveBlock {
                    id: id.clone(),
                    place: agenda.place_at(&id, target),
                },
            )
        }
    };
    let delete = {
        let id = id.clone();
        move |_| {
            let title = title();
            if runner.run(Command::DeleteBlock(id.clone())).is_ok() {
                agenda.last_deleted.set(Some((id.clone(), title)));
            }
        }
    };
    let start_now = {
        let id = id.clone();
        move |_| runner.run_into(error, Command::StartBlock(id.clone()))
    };

    let drag_start = {
        let id = id.clone();
        move |event: leptos::ev::DragEvent| {
            if let Some(transfer) = event.data_transfer() {
                let _ = transfer.set_data("text/plain", id.as_str());
                transfer.set_effect_allowed("move");
            }
            agenda.dragging.set(Some(id.clone()));
        }
    };
    let drop = {
        let id = id.clone();
        move |event: leptos::ev::DragEvent| {
            event.prevent_default();
            let Some(dragged) = agenda.dragging.get_untracked() else {
                return;
            };
            agenda.dragging.set(None);
            if dragged == id {
                return;
            }
            let target = index.get_untracked();
            runner.run_into(
                error,
                Command::MoveBlock {
                    id: dragged.clone(),
                    place: agenda.place_at(&dragged, target),
                },
            );
        }
    };

    let title_id = field_id("title");
    let duration_id = field_id("duration");
    let work_form_id = field_id("work-form");
    let lead_id = field_id("lead");
    let activity_id = field_id("activity");
    let materials_id = field_id("materials");
    let notes_id = field_id("notes");
    let examples_id = field_id("examples");

    // One handler type for every text field (each field's own closure would be its own
    // copy of the view code in the wasm).
    let on_text = {
        let edit = edit.clone();
        move |make: fn(String) -> BlockEdit| {
            let edit = edit.clone();
            move |ev: leptos::ev::Event| edit(make(event_target_value(&ev).trim().to_owned()))
        }
    };
    let edit_duration = edit.clone();
    let edit_activity = edit.clone();
    let edit_examples = edit.clone();
    let edit_flexible = edit;
    let flexible_id = field_id("flexible");
    let flexible_for = flexible_id.clone();
    let change_duration =
        move |ev: leptos::ev::Event| match event_target_value(&ev).trim().parse::<u16>() {
            Ok(minutes) => edit_duration(BlockEdit::DurationMin(minutes)),
            Err(_) => error.set(Some((i18n.t().phone.domain_error)(
                bijeen_core::DomainError::DurationOutOfRange {
                    min: 0,
                    max: bijeen_core::validate::DURATION_MAX_MIN,
                },
            ))),
        };
    let is_last = move || index.get() + 1 >= count.get();
    let move_up = move_to.clone();
    let move_down = move_to;

    view! {
        <li
            class="block-row"
            class:block-row--current=is_current
            class:block-row--dragging=move || agenda.dragging.get().is_some()
            data-block=id.as_str().to_owned()
            on:dragover=|event: leptos::ev::DragEvent| event.prevent_default()
            on:drop=drop
        >
            <div class="block-row__time">
                <span class="block-row__start" data-testid="block-start">{start}</span>
                <span
                    class="block-row__handle"
                    draggable="true"
                    on:dragstart=drag_start
                    on:dragend=move |_| agenda.dragging.set(None)
                    title=move || (t().drag_handle)(&title())
                    aria-hidden="true"
                >"⠿"</span>
            </div>
            <div class="block-row__fields">
                <div class="field field--wide">
                    <label for=title_id.clone()>{move || format!("{} · {}", (t().block_number)(index.get() + 1), t().block_title_label)}</label>
                    <input id=title_id type="text" prop:value=title on:change=on_text(BlockEdit::Title) />
                </div>
                <div class="field field--narrow">
                    <label for=duration_id.clone()>{tr(|t| t.block_duration_label)}</label>
                    <input id=duration_id type="number" min="0" max="480" inputmode="numeric"
                        prop:value=move || block.with(|b| b.as_ref().map(|b| b.duration_min.value.to_string()).unwrap_or_default())
                        on:change=change_duration                        />
                </div>
                <div class="field">
                    <label for=work_form_id.clone()>{tr(|t| t.block_work_form_label)}</label>
                    <input id=work_form_id type="text" prop:value=text_of(|b| b.work_form.value.clone())
                        on:change=on_text(BlockEdit::WorkForm) />
                </div>
                <div class="field">
                    <label for=lead_id.clone()>{tr(|t| t.block_lead_label)}</label>
                    <input id=lead_id type="text" prop:value=text_of(|b| b.lead.value.clone())
                        on:change=on_text(BlockEdit::Lead) />
                </div>
                <div class="field">
                    <label for=activity_id.clone()>{tr(|t| t.block_activity_label)}</label>
                    <select id=activity_id
                        on:change=move |ev| {
                            let value = event_target_value(&ev);
                            if let Some((activity, _)) = ACTIVITIES.iter().find(|(_, key)| *key == value) {
                                edit_activity(BlockEdit::Activity(*activity));
                            }
                        }>
                        {ACTIVITIES.iter().map(|(activity, key)| {
                            let activity = *activity;
                            view! {
                                <option value=*key selected=move || block.with(|b| b.as_ref().is_some_and(|b| *b.activity == activity))>
                                    {move || activity_name(i18n.t(), activity)}
                                </option>
                            }
                        }).collect_view()}
                    </select>
                </div>
                <label class="check field--wide" for=flexible_for>
                    <input id=flexible_id type="checkbox"
                        prop:checked=move || block.with(|b| b.as_ref().is_some_and(bijeen_core::Block::is_flexible))
                        on:change=move |ev| edit_flexible(BlockEdit::Flexible(event_target_checked(&ev))) />
                    {tr(|t| t.schedule.flexible_label)}
                </label>
                // Open from the start when the block has examples or materials: they are
                // what the room discusses, not a detail to click for.
                <details class="block-row__details field--wide"
                    prop:open=block.with_untracked(|b| b.as_ref().is_some_and(|b| !b.examples.value.is_empty() || !b.materials.value.is_empty()))>
                    <summary>{tr(|t| t.details_toggle)}</summary>
                    <div class="field">
                        <label for=materials_id.clone()>{tr(|t| t.phone.block_materials_label)}</label>
                        <input id=materials_id type="text" prop:value=text_of(|b| b.materials.value.clone())
                            on:change=on_text(BlockEdit::Materials) />
                    </div>
                    <div class="field">
                        <label for=notes_id.clone()>{tr(|t| t.block_notes_label)}</label>
                        <textarea id=notes_id rows="2" prop:value=text_of(|b| b.notes.value.clone())
                            on:change=on_text(BlockEdit::Notes)></textarea>
                    </div>
                    <div class="field">
                        <label for=examples_id.clone()>{tr(|t| t.block_examples_label)}</label>
                        <textarea id=examples_id rows="3" prop:value=text_of(|b| b.examples.value.join("\n"))
                            on:change=move |ev| edit_examples(BlockEdit::Examples(
                                event_target_value(&ev).lines().map(str::trim).filter(|line| !line.is_empty()).map(str::to_owned).collect(),
                            ))></textarea>
                    </div>
                </details>
                <p class="field-error field--wide" role="alert">{move || error.get()}</p>
            </div>
            <div class="block-row__actions">
                <button type="button" class="icon" aria-label=move || (t().move_up)(&title())
                    disabled=move || index.get() == 0 on:click=move |_| move_up(index.get_untracked().saturating_sub(1))>"↑"</button>
                <button type="button" class="icon" aria-label=move || (t().move_down)(&title())
                    disabled=is_last on:click=move |_| move_down(index.get_untracked() + 1)>"↓"</button>
                <button type="button" class="icon" aria-label=move || (t().start_this_block)(&title()) on:click=start_now>"▶"</button>
                <button type="button" class="icon danger" aria-label=move || (t().delete_block)(&title()) on:click=delete>"✕"</button>
            </div>
        </li>
    }
}

fn activity_name(t: &'static crate::i18n::Strings, activity: Activity) -> &'static str {
    match activity {
        Activity::None => t.activity_none,
        Activity::Brainstorm => t.activity_brainstorm,
        Activity::Bears => t.activity_bears,
        Activity::Agreements => t.activity_agreements,
    }
}
