//! Holding a name for as long as this page lives, with the Web Locks API: the browser
//! releases it when the page goes (closed, reloaded, crashed), so a name held is a name in
//! use by a live window. web-sys gates this API behind an unstable flag, so it is reached
//! through `js_sys`.

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// This page holds the name now, until it goes.
    Held,
    /// Another live window holds it.
    InUse,
    /// This browser has no Web Locks (or refused the request): nothing can be known.
    Unsupported,
}

/// Tries to hold `name` for the rest of this page's life, without waiting for another
/// holder to let go.
pub async fn hold_for_page(name: &str) -> Claim {
    match request(name) {
        Some(granted) => match JsFuture::from(granted).await {
            Ok(held) if held.as_bool() == Some(true) => Claim::Held,
            Ok(_) => Claim::InUse,
            Err(_) => Claim::Unsupported,
        },
        None => Claim::Unsupported,
    }
}

/// `navigator.locks.request(name, {ifAvailable: true}, callback)`, answered by a promise of
/// whether the lock was granted. The callback's own promise never settles: that is what
/// keeps the lock held while the page lives.
fn request(name: &str) -> Option<Promise> {
    let navigator = web_sys::window()?.navigator();
    let locks = Reflect::get(&navigator, &"locks".into()).ok()?;
    if locks.is_undefined() || locks.is_null() {
        return None;
    }
    let request: Function = Reflect::get(&locks, &"request".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let options = Object::new();
    Reflect::set(&options, &"ifAvailable".into(), &JsValue::TRUE).ok()?;
    let mut answer = None;
    let granted = Promise::new(&mut |resolve, _reject| answer = Some(resolve));
    let answer = answer?;
    let callback = Closure::once_into_js(move |lock: JsValue| -> Promise {
        let held = !lock.is_null();
        let _ = answer.call1(&JsValue::NULL, &JsValue::from_bool(held));
        if held {
            Promise::new(&mut |_, _| {})
        } else {
            Promise::resolve(&JsValue::UNDEFINED)
        }
    });
    request
        .call3(&locks, &name.into(), &options, &callback)
        .ok()?;
    Some(granted)
}
