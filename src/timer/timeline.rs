use bijeen_core::LiveTimer;
use leptos::prelude::*;

use crate::ui::tr;

use crate::i18n::use_i18n;
use crate::workshop::session::WorkshopSession;

#[derive(Clone, Debug, PartialEq)]
struct Segment {
    title: String,
    planned_min: u16,
    /// Minutes the block actually took (or has taken so far), if it ran.
    actual_min: Option<i64>,
    current: bool,
}

/// Two rows on one time scale: the planned block lengths above, the actual ones below, so
/// a facilitator sees at a glance which block ate the time.
#[component]
pub fn Timeline(
    session: WorkshopSession,
    #[prop(into)] timer: Signal<Option<LiveTimer>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let segments = Memo::new(move |_| {
        let live = timer.get();
        session
            .with(|workshop| {
                workshop
                    .blocks_in_order()
                    .into_iter()
                    .filter(|(_, block)| block.is_live())
                    .map(|(id, block)| {
                        let current = workshop.timer.value.current.as_ref() == Some(id);
                        let actual_min = match (*block.actual_start_ms, *block.actual_end_ms) {
                            (Some(start), Some(end)) => Some((end - start) / 60_000),
                            _ if current => live
                                .as_ref()
                                .and_then(|l| l.elapsed_ms)
                                .map(|ms| ms / 60_000),
                            _ => None,
                        };
                        Segment {
                            title: block.title.value.clone(),
                            planned_min: *block.duration_min,
                            actual_min,
                            current,
                        }
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    let scale = move || {
        segments.with(|segments| {
            let planned: i64 = segments.iter().map(|s| i64::from(s.planned_min)).sum();
            let actual: i64 = segments.iter().map(|s| s.actual_min.unwrap_or(0)).sum();
            planned.max(actual).max(1) as f64
        })
    };
    view! {
        <figure class="timeline">
            <figcaption>{tr(|t| t.timeline_label)}</figcaption>
            <ol class="timeline__row timeline__row--planned" aria-hidden="true">
                {move || {
                    let scale = scale();
                    segments
                        .get()
                        .into_iter()
                        .map(|segment| {
                            view! {
                                <li
                                    class="timeline__segment"
                                    class:timeline__segment--current=segment.current
                                    style:width=format!("{:.2}%", f64::from(segment.planned_min) * 100.0 / scale)
                                    title=segment.title
                                ></li>
                            }
                        })
                        .collect_view()
                }}
            </ol>
            <ol class="timeline__row timeline__row--actual" aria-hidden="true">
                {move || {
                    let scale = scale();
                    segments
                        .get()
                        .into_iter()
                        .filter_map(|segment| {
                            segment.actual_min.map(|actual| {
                                let over = actual > i64::from(segment.planned_min);
                                view! {
                                    <li
                                        class="timeline__segment timeline__segment--actual"
                                        class:timeline__segment--over=over
                                        style:width=format!("{:.2}%", actual as f64 * 100.0 / scale)
                                        title=segment.title
                                    ></li>
                                }
                            })
                        })
                        .collect_view()
                }}
            </ol>
            // The same facts as text for screen readers.
            <ul class="visually-hidden">
                {move || {
                    let t = i18n.t();
                    segments
                        .get()
                        .into_iter()
                        .map(|s| view! { <li>{(t.timeline_block)(&s.title, s.planned_min, s.actual_min)}</li> })
                        .collect_view()
                }}
            </ul>
        </figure>
    }
}
