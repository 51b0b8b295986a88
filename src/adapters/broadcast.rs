//! A typed BroadcastChannel between windows of one browser profile (console, projector,
//! participant tabs). Messages travel as JSON text so a window running an older build
//! after a deploy gets a decode failure it can ignore instead of a structured-clone
//! surprise. Only locally made changes are posted: the channel never echoes to the sender.

use std::marker::PhantomData;

use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BroadcastError {
    #[error("this browser cannot talk between windows (no BroadcastChannel)")]
    Unsupported,
    #[error("the channel to other windows is closed")]
    Closed,
    #[error("message could not be encoded: {0}")]
    Encode(String),
}

/// An open channel; dropping it stops listening and closes the channel.
pub struct Broadcast<T> {
    channel: web_sys::BroadcastChannel,
    // Kept alive for as long as the channel listens; released in `drop`.
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _message: PhantomData<fn(T)>,
}

impl<T: Serialize + DeserializeOwned + 'static> Broadcast<T> {
    /// Opens `name` and calls `on_message` for every message another window posts on it.
    /// Messages that do not decode as `T` (another build, another feature) are skipped.
    pub fn open(name: &str, on_message: impl Fn(T) + 'static) -> Result<Self, BroadcastError> {
        let channel =
            web_sys::BroadcastChannel::new(name).map_err(|_| BroadcastError::Unsupported)?;
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
            move |event: web_sys::MessageEvent| {
                let Some(text) = event.data().as_string() else {
                    return;
                };
                if let Ok(message) = serde_json::from_str::<T>(&text) {
                    on_message(message);
                }
            },
        );
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Ok(Self {
            channel,
            _on_message: on_message,
            _message: PhantomData,
        })
    }

    pub fn post(&self, message: &T) -> Result<(), BroadcastError> {
        let text = serde_json::to_string(message)
            .map_err(|error| BroadcastError::Encode(error.to_string()))?;
        self.channel
            .post_message(&text.into())
            .map_err(|_| BroadcastError::Closed)
    }
}

impl<T> Drop for Broadcast<T> {
    fn drop(&mut self) {
        self.channel.set_onmessage(None);
        self.channel.close();
    }
}
