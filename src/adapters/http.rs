//! JSON over fetch to the relay that served the app, with typed failures.

use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HttpError {
    /// No answer at all: offline, or the app was not served by a relay.
    #[error("the relay cannot be reached")]
    Unreachable,
    /// The relay answered with an error status; the body is its typed error, if any.
    #[error("the relay refused with status {status}")]
    Refused { status: u16, body: String },
    #[error("the relay's answer cannot be read: {0}")]
    Unreadable(String),
}

pub async fn get_json<T: DeserializeOwned>(path: &str) -> Result<T, HttpError> {
    request("GET", path, None).await
}

pub async fn post_json<B: Serialize, T: DeserializeOwned>(
    path: &str,
    body: &B,
) -> Result<T, HttpError> {
    let text =
        serde_json::to_string(body).map_err(|error| HttpError::Unreadable(error.to_string()))?;
    request("POST", path, Some(text)).await
}

async fn request<T: DeserializeOwned>(
    method: &str,
    path: &str,
    body: Option<String>,
) -> Result<T, HttpError> {
    let window = web_sys::window().ok_or(HttpError::Unreachable)?;
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    if let Some(body) = &body {
        init.set_body(&JsValue::from_str(body));
        let headers = web_sys::Headers::new().map_err(|_| HttpError::Unreachable)?;
        let _ = headers.set("content-type", "application/json");
        init.set_headers(&headers);
    }
    let request =
        web_sys::Request::new_with_str_and_init(path, &init).map_err(|_| HttpError::Unreachable)?;
    let response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(|_| HttpError::Unreachable)?
        .dyn_into::<web_sys::Response>()
        .map_err(|_| HttpError::Unreachable)?;
    let text = match response.text() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()
            .and_then(|value| value.as_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    if !response.ok() {
        return Err(HttpError::Refused {
            status: response.status(),
            body: text,
        });
    }
    serde_json::from_str(&text).map_err(|error| HttpError::Unreadable(error.to_string()))
}
