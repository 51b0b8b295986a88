use bijeen_core::{Command, LessonWarning, PlanEdit, PlanId, Workshop};
use leptos::prelude::*;

use crate::i18n::{Strings, use_i18n};
use crate::outcomes::{parse_count, split_list};
use crate::ui::tr;
use crate::ui::{Runner, error_slot};
use crate::workshop::session::WorkshopSession;
use crate::workshop::use_session;

/// What a plan's card shows.
#[derive(Clone, PartialEq, Default)]
struct Snapshot {
    name: String,
    source: Option<String>,
    partners: String,
    bouwer: String,
    verbinder: String,
    aanjager: String,
    colleagues: String,
    members: String,
    activities: String,
    target_date: String,
    start_months: String,
    warnings: Vec<LessonWarning>,
}

/// What the card of plan `id` shows, as a signal a workshop listener sets only when it
/// changed (see `Replica::select`).
fn card(session: WorkshopSession, id: PlanId) -> Signal<Snapshot> {
    session.select(Snapshot::default(), move |w: &Workshop| {
        w.plan(&id)
            .map(|p| Snapshot {
                name: p.name.value.clone(),
                source: p
                    .source_note
                    .as_ref()
                    .and_then(|n| w.notes.get(n))
                    .map(|n| n.text.value.clone()),
                partners: p.partners.join(", "),
                bouwer: p.bouwer.value.clone(),
                verbinder: p.verbinder.value.clone(),
                aanjager: p.aanjager.value.clone(),
                colleagues: p.colleagues.join(", "),
                members: p.target_members.map(|n| n.to_string()).unwrap_or_default(),
                activities: p
                    .target_activities
                    .map(|n| n.to_string())
                    .unwrap_or_default(),
                target_date: p.target_date.value.clone().unwrap_or_default(),
                start_months: p
                    .start_phase_months
                    .map(|n| n.to_string())
                    .unwrap_or_default(),
                warnings: p.lesson_warnings(),
            })
            .unwrap_or_default()
    })
}

/// How a text field becomes an edit; `None` when the text is not acceptable (a number
/// field holding letters), which is said next to the plan.
type MakeEdit = fn(String) -> Option<PlanEdit>;

fn count_edit(wrap: fn(Option<u32>) -> PlanEdit) -> impl Fn(String) -> Option<PlanEdit> {
    move |text| parse_count(&text).ok().map(wrap)
}

/// One community plan: name, partners, the three library roles, other colleagues,
/// targets and start phase, and the lessons it breaks in plain words.
#[component]
pub fn PlanCard(id: PlanId) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let runner = Runner::from_context();
    let error = error_slot();
    let plan = card(use_session(), id.clone());
    let name = move || plan.with(|p| p.name.clone());
    let warnings = move || plan.with(|p| p.warnings.clone());
    let base = format!("oc-plan-{}", id.as_str());

    let field = {
        let id = id.clone();
        let base = base.clone();
        move |key: &'static str,
              label: fn(&'static Strings) -> &'static str,
              kind: &'static str,
              hint: bool,
              read: fn(&Snapshot) -> String,
              make: MakeEdit| {
            let id = id.clone();
            let input_id = format!("{base}-{key}");
            let hint_id = format!("{base}-{key}-hint");
            let numeric = kind == "number";
            let change = move |ev: leptos::ev::Event| {
                let value = event_target_value(&ev).trim().to_owned();
                match make(value) {
                    Some(edit) => runner.run_into(
                        error,
                        Command::EditPlan {
                            id: id.clone(),
                            edit,
                        },
                    ),
                    None => error.set(Some(i18n.t().outcomes.not_a_number.to_owned())),
                }
            };
            view! {
                <div class=format!("field oc-plan__{key}")>
                    <label for=input_id.clone()>{tr(label)}</label>
                    <input id=input_id type=kind inputmode=numeric.then_some("numeric")
                        min=numeric.then_some("0")
                        aria-describedby=hint.then(|| hint_id.clone())
                        prop:value=move || plan.with(read) on:change=change />
                    {hint.then(|| view! { <p id=hint_id class="hint">{tr(|t| t.outcomes.list_hint)}</p> })}
                </div>
            }
        }
    };
    let delete = {
        let id = id.clone();
        move |_| runner.run_into(error, Command::DeletePlan(id.clone()))
    };
    let heading_id = format!("{base}-heading");
    let has_warnings = move || plan.with(|p| !p.warnings.is_empty());
    view! {
        <article class="oc-plan" aria-labelledby=heading_id.clone() data-plan=id.as_str().to_owned()>
            <div class="oc-plan__head">
                <h3 id=heading_id.clone()>{name}</h3>
                <button type="button" class="danger" aria-label=move || (t().outcomes.delete_plan)(&name())
                    on:click=delete>{tr(|t| t.phone.delete_button)}</button>
            </div>
            {move || plan.with(|p| p.source.clone()).map(|source| view! {
                <p class="oc-plan__source">{(t().outcomes.plan_source)(&source)}</p>
            })}
            <div class="oc-plan__fields">
                {field("name", |t| t.outcomes.plan_name_label, "text", false, |p| p.name.clone(),
                    |v| Some(PlanEdit::Name(v)))}
                {field("partners", |t| t.outcomes.partners_label, "text", true, |p| p.partners.clone(),
                    |v| Some(PlanEdit::Partners(split_list(&v))))}
                {field("bouwer", |t| t.outcomes.bouwer_label, "text", false, |p| p.bouwer.clone(),
                    |v| Some(PlanEdit::Bouwer(v)))}
                {field("verbinder", |t| t.outcomes.verbinder_label, "text", false, |p| p.verbinder.clone(),
                    |v| Some(PlanEdit::Verbinder(v)))}
                {field("aanjager", |t| t.outcomes.aanjager_label, "text", false, |p| p.aanjager.clone(),
                    |v| Some(PlanEdit::Aanjager(v)))}
                {field("colleagues", |t| t.outcomes.colleagues_label, "text", true, |p| p.colleagues.clone(),
                    |v| Some(PlanEdit::Colleagues(split_list(&v))))}
                {field("members", |t| t.outcomes.target_members_label, "number", false, |p| p.members.clone(),
                    |v| count_edit(PlanEdit::TargetMembers)(v))}
                {field("activities", |t| t.outcomes.target_activities_label, "number", false, |p| p.activities.clone(),
                    |v| count_edit(PlanEdit::TargetActivities)(v))}
                {field("date", |t| t.outcomes.target_date_label, "date", false, |p| p.target_date.clone(),
                    |v| Some(PlanEdit::TargetDate((!v.is_empty()).then_some(v))))}
                {field("months", |t| t.outcomes.start_phase_label, "number", false, |p| p.start_months.clone(),
                    |v| count_edit(PlanEdit::StartPhaseMonths)(v))}
            </div>
            <p class="field-error" role="alert">{move || error.get()}</p>
            <Show when=has_warnings
                fallback=|| view! { <p class="oc-plan__ok">"✓ " {tr(|t| t.outcomes.plan_follows_lessons)}</p> }>
                <div class="oc-plan__warnings">
                    <h4>{tr(|t| t.outcomes.lessons_broken)}</h4>
                    <ul>
                        {move || warnings().into_iter().map(|w| view! {
                            <li>{move || (i18n.t().outcomes.warning)(w)}</li>
                        }).collect_view()}
                    </ul>
                </div>
            </Show>
        </article>
    }
    .into_any()
}
