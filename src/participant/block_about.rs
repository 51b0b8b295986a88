use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::ui::tr_phone;
use crate::workshop::use_session;

/// What the running block asks of the room, as the projector shows it.
#[derive(Clone, Debug, Default, PartialEq)]
struct About {
    work_form: String,
    /// The lead, unless the work form already names them.
    lead: Option<String>,
    examples: Vec<String>,
    materials: String,
    next: Option<String>,
}

/// What the block that runs now is about: its work form and lead, the examples the room
/// discusses, the materials, and what comes next. The phone leads with it while no board
/// is open for the block (the core's `PhoneLead::BlockContent`), so a participant who
/// looks down during the examples sees them, not an empty note form.
#[component]
pub fn BlockAbout() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let about = session.select(None, move |w| {
        let blocks = w.blocks_in_order();
        let current = w.timer.value.current.as_ref()?;
        let index = blocks.iter().position(|(id, _)| *id == current)?;
        let (_, block) = blocks[index];
        let about = About {
            work_form: block.work_form.value.trim().to_owned(),
            lead: block.lead_beside_work_form().map(str::to_owned),
            examples: block.examples.value.clone(),
            materials: block.materials.value.trim().to_owned(),
            next: blocks
                .get(index + 1)
                .map(|(_, next)| next.title.value.clone()),
        };
        (about != About::default()).then_some(about)
    });
    move || {
        about.get().map(|about| {
            let lead = about.lead.map(|lead| (i18n.phone().lead_by)(&lead));
            let how = [Some(about.work_form), lead]
                .into_iter()
                .flatten()
                .filter(|part| !part.is_empty())
                .collect::<Vec<_>>()
                .join(" · ");
            view! {
                <section class="panel block-about" aria-labelledby="block-about-heading" data-testid="block-about">
                    <h2 id="block-about-heading">{tr_phone(|t| t.block_about_heading)}</h2>
                    {(!how.is_empty()).then(|| view! { <p class="block-about__how">{how}</p> })}
                    {(!about.examples.is_empty()).then(|| view! {
                        <ul class="block-about__examples">
                            {about.examples.into_iter().map(|example| view! { <li>{example}</li> }).collect_view()}
                        </ul>
                    })}
                    {(!about.materials.is_empty()).then(|| view! {
                        <p class="block-about__materials">
                            <strong>{tr_phone(|t| t.block_materials_label)}": "</strong>{about.materials}
                        </p>
                    })}
                    {about.next.map(|next| view! { <p class="block-about__next">{(i18n.phone().up_next)(&next)}</p> })}
                </section>
            }
        })
    }
}
