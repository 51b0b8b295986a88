//! A WebSocket carrying text frames, with its handlers released on drop. Reconnecting is
//! not this adapter's business: the relay link decides when, from the protocol session.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SocketError {
    #[error("the address {0} cannot be opened as a WebSocket")]
    BadAddress(String),
    #[error("the connection is not open")]
    NotOpen,
}

/// What the socket reports, in order.
pub enum SocketEvent {
    Open,
    Text(String),
    /// Closed or failed; no more events follow.
    Closed,
}

pub struct Socket {
    socket: web_sys::WebSocket,
    _on_open: Closure<dyn FnMut(web_sys::Event)>,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_close: Closure<dyn FnMut(web_sys::Event)>,
}

impl Socket {
    pub fn connect(
        url: &str,
        on_event: impl Fn(SocketEvent) + 'static,
    ) -> Result<Self, SocketError> {
        let socket =
            web_sys::WebSocket::new(url).map_err(|_| SocketError::BadAddress(url.to_owned()))?;
        let on_event = std::rc::Rc::new(on_event);
        let open_event = on_event.clone();
        let on_open =
            Closure::<dyn FnMut(web_sys::Event)>::new(move |_| open_event(SocketEvent::Open));
        let message_event = on_event.clone();
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
            move |event: web_sys::MessageEvent| {
                if let Some(text) = event.data().as_string() {
                    message_event(SocketEvent::Text(text));
                }
            },
        );
        // `error` is always followed by `close`, so only `close` ends the socket.
        let on_close =
            Closure::<dyn FnMut(web_sys::Event)>::new(move |_| on_event(SocketEvent::Closed));
        socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        Ok(Self {
            socket,
            _on_open: on_open,
            _on_message: on_message,
            _on_close: on_close,
        })
    }

    pub fn send(&self, text: &str) -> Result<(), SocketError> {
        if self.socket.ready_state() != web_sys::WebSocket::OPEN {
            return Err(SocketError::NotOpen);
        }
        self.socket
            .send_with_str(text)
            .map_err(|_| SocketError::NotOpen)
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        self.socket.set_onopen(None);
        self.socket.set_onmessage(None);
        self.socket.set_onclose(None);
        let _ = self.socket.close();
    }
}

/// `ws://` or `wss://` on the page's own host, so the app talks to the relay that served it.
pub fn same_origin_url(path: &str) -> Option<String> {
    let location = web_sys::window()?.location();
    let scheme = if location.protocol().ok()? == "https:" {
        "wss"
    } else {
        "ws"
    };
    Some(format!("{scheme}://{}{path}", location.host().ok()?))
}
