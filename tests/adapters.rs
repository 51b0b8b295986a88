//! The browser adapters, tested in headless Chromium with wasm-bindgen-test.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use bijeen::adapters::broadcast::Broadcast;
use bijeen::adapters::storage::{LocalStore, StorageError};
use serde::{Deserialize, Serialize};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Greeting {
    from: String,
    count: u32,
}

#[wasm_bindgen_test]
fn storage_round_trips_a_typed_value() {
    let store = LocalStore::open().expect("localStorage in a normal window");
    let value = Greeting {
        from: "console".into(),
        count: 3,
    };
    store.set("test.greeting", &value).expect("write");
    assert_eq!(
        store.get::<Greeting>("test.greeting").expect("read"),
        Some(value)
    );
    assert!(
        store
            .keys_with_prefix("test.")
            .contains(&"test.greeting".to_owned())
    );
    store.remove("test.greeting").expect("remove");
    assert_eq!(store.get::<Greeting>("test.greeting").expect("read"), None);
}

#[wasm_bindgen_test]
fn storage_reports_an_unreadable_value_with_its_key() {
    let store = LocalStore::open().expect("localStorage");
    store.set_raw("test.broken", "{not json").expect("write");
    match store.get::<Greeting>("test.broken") {
        Err(StorageError::Unreadable { key, .. }) => assert_eq!(key, "test.broken"),
        other => panic!("expected Unreadable, got {other:?}"),
    }
    store.remove("test.broken").expect("remove");
}

#[wasm_bindgen_test]
fn storage_reports_a_full_quota_as_quota_exceeded() {
    let store = LocalStore::open().expect("localStorage");
    // Chromium allows about 5 MB per origin; 12 MB of text cannot fit.
    let huge = "x".repeat(12 * 1024 * 1024);
    assert_eq!(
        store.set_raw("test.huge", &huge),
        Err(StorageError::QuotaExceeded)
    );
    assert_eq!(store.get_raw("test.huge").expect("read"), None);
}

#[wasm_bindgen_test]
async fn broadcast_delivers_to_another_channel_of_the_same_name_but_not_to_itself() {
    let received_by_listener = Rc::new(RefCell::new(Vec::<Greeting>::new()));
    let received_by_sender = Rc::new(RefCell::new(Vec::<Greeting>::new()));
    let listener_log = received_by_listener.clone();
    let sender_log = received_by_sender.clone();
    let _listener = Broadcast::<Greeting>::open("test.channel", move |message| {
        listener_log.borrow_mut().push(message)
    })
    .expect("open listener");
    let sender = Broadcast::<Greeting>::open("test.channel", move |message| {
        sender_log.borrow_mut().push(message)
    })
    .expect("open sender");

    let hello = Greeting {
        from: "projector".into(),
        count: 1,
    };
    sender.post(&hello).expect("post");

    for _ in 0..100 {
        if !received_by_listener.borrow().is_empty() {
            break;
        }
        sleep_ms(10).await;
    }
    assert_eq!(*received_by_listener.borrow(), vec![hello]);
    assert!(
        received_by_sender.borrow().is_empty(),
        "a channel never echoes to its sender"
    );
}

#[wasm_bindgen_test]
async fn broadcast_stops_listening_when_dropped() {
    let received = Rc::new(RefCell::new(0_u32));
    let log = received.clone();
    let listener = Broadcast::<Greeting>::open("test.drop", move |_| *log.borrow_mut() += 1)
        .expect("open listener");
    drop(listener);
    let sender = Broadcast::<Greeting>::open("test.drop", |_| {}).expect("open sender");
    sender
        .post(&Greeting {
            from: "x".into(),
            count: 0,
        })
        .expect("post");
    sleep_ms(100).await;
    assert_eq!(*received.borrow(), 0);
}

async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
