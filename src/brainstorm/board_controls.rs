use bijeen_core::{Command, DEFAULT_VOTE_BUDGET};
use leptos::prelude::*;

use crate::ui::tr;

use crate::brainstorm::BOARD;
use crate::i18n::use_i18n;
use crate::ui::{Runner, error_slot};
use crate::workshop::use_session;

/// Open or close the board, hide until reveal, reveal, and dot voting (budget, one or
/// several dots per note, open, close), plus the facilitator's "sort by votes".
#[component]
pub fn BoardControls(sort_by_votes: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let session = use_session();
    let runner = Runner::from_context();
    let error = error_slot();
    let run = move |command: Command| runner.run_into(error, command);

    #[derive(Clone, PartialEq)]
    struct State {
        open: bool,
        hide: bool,
        revealed: bool,
        voting: Option<(u32, bool)>,
    }
    let state = Memo::new(move |_| {
        session.with(|w| {
            let board = w.board(BOARD);
            State {
                open: *board.open,
                hide: *board.hide_until_revealed,
                revealed: *board.revealed,
                voting: w
                    .open_round(BOARD)
                    .map(|(_, r)| (r.budget, r.allow_multiple)),
            }
        })
    });
    let is_open = move || state.with(|s| s.as_ref().is_some_and(|s| s.open));
    let is_hiding = move || state.with(|s| s.as_ref().is_some_and(|s| s.hide));
    let can_reveal = move || state.with(|s| s.as_ref().is_some_and(|s| s.hide && !s.revealed));
    let cannot_reveal = move || !can_reveal();
    let voting = move || state.with(|s| s.as_ref().and_then(|s| s.voting));
    let voting_open = move || voting().is_some();
    let budget = RwSignal::new(DEFAULT_VOTE_BUDGET.to_string());
    let allow_multiple = RwSignal::new(false);

    let board_status = move || {
        let t = t();
        let mut parts = vec![
            if is_open() {
                t.bs_board_is_open
            } else {
                t.bs_board_is_closed
            }
            .to_owned(),
        ];
        if is_hiding() {
            parts.push(
                if can_reveal() {
                    t.bs_hidden_status
                } else {
                    t.bs_revealed_status
                }
                .to_owned(),
            );
        }
        if let Some((budget, multiple)) = voting() {
            parts.push((t.bs_voting_status)(budget, multiple));
        }
        parts.join(" · ")
    };
    let toggle_board = move |_| {
        run(Command::SetBoardOpen {
            board: BOARD,
            open: !is_open(),
        })
    };
    let toggle_hide = move |ev: leptos::ev::Event| {
        run(Command::SetHideUntilReveal {
            board: BOARD,
            hide: event_target_checked(&ev),
        })
    };
    let toggle_voting = move |_| {
        if voting_open() {
            run(Command::CloseVoting { board: BOARD });
            // The results are what the room wants to see next.
            if error.get_untracked().is_none() {
                sort_by_votes.set(true);
            }
            return;
        }
        match budget.get_untracked().trim().parse::<u32>() {
            Ok(budget) => run(Command::OpenVoting {
                board: BOARD,
                budget,
                allow_multiple: allow_multiple.get_untracked(),
            }),
            Err(_) => error.set(Some((i18n.t().phone.domain_error)(
                bijeen_core::DomainError::BudgetOutOfRange {
                    min: bijeen_core::validate::BUDGET_MIN,
                    max: bijeen_core::validate::BUDGET_MAX,
                },
            ))),
        }
    };

    view! {
        <section class="panel bs-controls" aria-labelledby="bs-controls-heading">
            <h2 id="bs-controls-heading">{tr(|t| t.bs_board_heading)}</h2>
            <p class="bs-controls__status" data-testid="board-status" aria-live="polite">{board_status}</p>
            <div class="bs-controls__row">
                <button type="button" class=move || if is_open() { "" } else { "primary" } on:click=toggle_board>
                    {move || if is_open() { t().bs_close_board } else { t().bs_open_board }}
                </button>
                <label class="check">
                    <input type="checkbox" prop:checked=is_hiding on:change=toggle_hide />
                    {tr(|t| t.bs_hide_until_reveal)}
                </label>
                <button type="button" disabled=cannot_reveal on:click=move |_| run(Command::Reveal { board: BOARD })>
                    {tr(|t| t.bs_reveal)}
                </button>
            </div>
            <fieldset class="bs-controls__voting">
                <legend>{tr(|t| t.bs_voting_heading)}</legend>
                <div class="field field--narrow">
                    <label for="bs-budget">{tr(|t| t.bs_budget_label)}</label>
                    <input id="bs-budget" type="number" min="1" max="20" inputmode="numeric"
                        disabled=voting_open
                        prop:value=move || budget.get() on:input=move |ev| budget.set(event_target_value(&ev)) />
                </div>
                <label class="check">
                    <input type="checkbox" disabled=voting_open prop:checked=move || allow_multiple.get()
                        on:change=move |ev| allow_multiple.set(event_target_checked(&ev)) />
                    {tr(|t| t.bs_allow_multiple)}
                </label>
                <button type="button" class=move || if voting_open() { "" } else { "primary" } on:click=toggle_voting>
                    {move || if voting_open() { t().bs_close_voting } else { t().bs_open_voting }}
                </button>
                <button type="button" aria-pressed=move || sort_by_votes.get().to_string()
                    on:click=move |_| sort_by_votes.update(|s| *s = !*s)>
                    {tr(|t| t.bs_sort_by_votes)}
                </button>
            </fieldset>
            <p class="field-error" role="alert">{move || error.get()}</p>
        </section>
    }
    .into_any()
}
