//! localStorage with typed errors. The browser throws a `QuotaExceededError` DOMException
//! when storage is full and a `SecurityError` (or returns null) when it is switched off or
//! in some private modes; both must reach the facilitator as a banner, never a panic.

use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StorageError {
    #[error("browser storage is not available in this window")]
    Unavailable,
    #[error("browser storage is full")]
    QuotaExceeded,
    #[error("browser storage refused the write: {0}")]
    WriteRefused(String),
    #[error("the value stored under {key} cannot be read: {reason}")]
    Unreadable { key: String, reason: String },
}

/// A value in this window's sessionStorage (kept across reloads of this tab only), set to
/// `make()` the first time. Without sessionStorage the value lives for this page load.
pub fn session_value(key: &str, make: impl FnOnce() -> String) -> String {
    let session = web_sys::window().and_then(|window| window.session_storage().ok().flatten());
    if let Some(existing) = session
        .as_ref()
        .and_then(|s| s.get_item(key).ok().flatten())
    {
        return existing;
    }
    let fresh = make();
    if let Some(session) = session {
        let _ = session.set_item(key, &fresh);
    }
    fresh
}

/// Replaces the value under `key` in this window's sessionStorage.
pub fn set_session_value(key: &str, value: &str) -> Result<(), StorageError> {
    let session = web_sys::window()
        .and_then(|window| window.session_storage().ok().flatten())
        .ok_or(StorageError::Unavailable)?;
    session.set_item(key, value).map_err(classify_write_error)
}

/// A handle on this origin's localStorage.
#[derive(Clone)]
pub struct LocalStore {
    storage: web_sys::Storage,
}

impl LocalStore {
    pub fn open() -> Result<Self, StorageError> {
        let window = web_sys::window().ok_or(StorageError::Unavailable)?;
        match window.local_storage() {
            Ok(Some(storage)) => Ok(Self { storage }),
            Ok(None) | Err(_) => Err(StorageError::Unavailable),
        }
    }

    pub fn get_raw(&self, key: &str) -> Result<Option<String>, StorageError> {
        self.storage
            .get_item(key)
            .map_err(|_| StorageError::Unavailable)
    }

    pub fn set_raw(&self, key: &str, value: &str) -> Result<(), StorageError> {
        self.storage
            .set_item(key, value)
            .map_err(classify_write_error)
    }

    pub fn get<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, StorageError> {
        match self.get_raw(key)? {
            None => Ok(None),
            Some(text) => {
                serde_json::from_str(&text)
                    .map(Some)
                    .map_err(|error| StorageError::Unreadable {
                        key: key.to_owned(),
                        reason: error.to_string(),
                    })
            }
        }
    }

    /// How many items the array `field` of the JSON object stored under `key` holds, read
    /// with the browser's parser and without decoding the items (`None`: no such key). For
    /// a question about a value whose types this entry does not link.
    pub fn array_len(&self, key: &str, field: &str) -> Result<Option<u32>, StorageError> {
        let Some(text) = self.get_raw(key)? else {
            return Ok(None);
        };
        let unreadable = |reason: String| StorageError::Unreadable {
            key: key.to_owned(),
            reason,
        };
        let value = js_sys::JSON::parse(&text).map_err(|error| unreadable(format!("{error:?}")))?;
        let items = js_sys::Reflect::get(&value, &JsValue::from_str(field))
            .map_err(|error| unreadable(format!("{error:?}")))?;
        if !js_sys::Array::is_array(&items) {
            return Err(unreadable(format!("no array `{field}`")));
        }
        Ok(Some(js_sys::Array::from(&items).length()))
    }

    pub fn set<T: Serialize>(&self, key: &str, value: &T) -> Result<(), StorageError> {
        // Serialising our own plain data types cannot fail; if it ever did, report it as
        // a refused write rather than panicking in the middle of a workshop.
        let text = serde_json::to_string(value)
            .map_err(|error| StorageError::WriteRefused(error.to_string()))?;
        self.set_raw(key, &text)
    }

    pub fn remove(&self, key: &str) -> Result<(), StorageError> {
        self.storage
            .remove_item(key)
            .map_err(|_| StorageError::Unavailable)
    }

    /// All keys that start with `prefix`, in storage order.
    pub fn keys_with_prefix(&self, prefix: &str) -> Vec<String> {
        let count = self.storage.length().unwrap_or(0);
        (0..count)
            .filter_map(|index| self.storage.key(index).ok().flatten())
            .filter(|key| key.starts_with(prefix))
            .collect()
    }
}

fn classify_write_error(error: JsValue) -> StorageError {
    match error.dyn_ref::<web_sys::DomException>() {
        // Chromium and Firefox name it differently in old versions; code 22 is the
        // legacy QUOTA_EXCEEDED_ERR.
        Some(exception)
            if exception.name() == "QuotaExceededError"
                || exception.name() == "NS_ERROR_DOM_QUOTA_REACHED"
                || exception.code() == 22 =>
        {
            StorageError::QuotaExceeded
        }
        Some(exception) => StorageError::WriteRefused(exception.message()),
        None => StorageError::WriteRefused(format!("{error:?}")),
    }
}

/// Listens for changes another window of this browser makes to localStorage (the
/// `storage` event never fires in the window that wrote). Dropping it stops listening.
pub struct StorageWatcher {
    listener: Option<leptos::prelude::WindowListenerHandle>,
}

impl StorageWatcher {
    /// Calls `on_change()` when another window changes `key`, without copying the new
    /// value out of the event (a stored workshop log can be a megabyte; the listener reads
    /// it when, and if, it needs it).
    pub fn for_key(key: String, on_change: impl Fn() + 'static) -> Result<Self, StorageError> {
        web_sys::window().ok_or(StorageError::Unavailable)?;
        let listener = leptos::prelude::window_event_listener_untyped("storage", move |event| {
            let key_changed = event
                .dyn_ref::<web_sys::StorageEvent>()
                .is_some_and(|event| event.key().as_deref() == Some(key.as_str()));
            if key_changed {
                on_change();
            }
        });
        Ok(Self {
            listener: Some(listener),
        })
    }
}

impl Drop for StorageWatcher {
    fn drop(&mut self) {
        if let Some(listener) = self.listener.take() {
            listener.remove();
        }
    }
}
