//! The browser's word on the network: its `offline` and `online` events. A phone that walks
//! out of the wifi gets no close event on its WebSocket, but the browser knows at once.

use gloo_events::EventListener;

/// Listens while it lives; dropping it removes both listeners.
pub struct NetworkEvents {
    _listeners: [EventListener; 2],
}

impl NetworkEvents {
    /// `None` without a window (nothing to listen to there).
    pub fn watch(on_offline: impl Fn() + 'static, on_online: impl Fn() + 'static) -> Option<Self> {
        let window = web_sys::window()?;
        Some(Self {
            _listeners: [
                EventListener::new(&window, "offline", move |_| on_offline()),
                EventListener::new(&window, "online", move |_| on_online()),
            ],
        })
    }
}

/// Whether the browser believes it has a network. `false` is certain (no network at all);
/// `true` may still mean a network that reaches nothing.
pub fn is_online() -> bool {
    web_sys::window().is_none_or(|window| window.navigator().on_line())
}
