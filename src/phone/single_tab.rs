use leptos::prelude::*;

use crate::adapters::window_lock::{Claim, hold_for_page};
use crate::ui::page_frame::PageFrame;
use crate::ui::tr_phone;

/// Shows the phone's screens in one tab of this browser per workshop. Two tabs of one
/// phone (the join link opened twice) would share one outbox and number their intents
/// alike: the relay would take the one and acknowledge the other as a resend of it, and
/// that note would be lost. The second tab says so instead. A browser without Web Locks
/// cannot tell and shows the screens.
#[component]
pub fn SingleTab(workshop: String, children: ChildrenFn) -> impl IntoView {
    let name = format!("bijeen.phone.{workshop}");
    // A signal the lock's answer sets, not a Leptos resource: the resource machinery alone
    // was 9 KB brotli of the phone's download.
    let claim = RwSignal::new(None::<Claim>);
    leptos::task::spawn_local(async move {
        let answer = hold_for_page(&name).await;
        // The page may have moved on meanwhile (the signal is then disposed).
        let _ = claim.try_set(Some(answer));
    });
    move || match claim.get() {
        // Settled within a frame; the static first screen has just been replaced.
        None => ().into_any(),
        Some(Claim::InUse) => view! {
            <PageFrame>
                <div class="join">
                    <p class="banner banner--problem" role="alert" data-testid="open-elsewhere">
                        {tr_phone(|t| t.relay.phone_open_elsewhere)}
                    </p>
                </div>
            </PageFrame>
        }
        .into_any(),
        Some(Claim::Held | Claim::Unsupported) => children().into_any(),
    }
}
