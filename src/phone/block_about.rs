use bijeen_view::Now;
use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::phone::use_phone;
use crate::ui::tr_phone;

/// What the block that runs now is about: its work form and lead, the examples the room
/// discusses, the materials, and what comes next. The phone leads with it while no board is
/// open for the block, so a participant who looks down during the examples sees them.
#[component]
pub fn BlockAbout() -> impl IntoView {
    let i18n = use_i18n();
    let phone = use_phone();
    let about = Memo::new(move |_| {
        phone.view.with(|v| match &v.head.now {
            Now::Block(b) => {
                let empty = b.work_form.is_empty()
                    && b.lead.is_none()
                    && b.examples.is_empty()
                    && b.materials.is_empty()
                    && b.next.is_none();
                (!empty).then(|| b.clone())
            }
            _ => None,
        })
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
