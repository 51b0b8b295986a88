//! The replica's change listeners and the per-key signals of big boards, in headless
//! Chromium: readers must be woken when their value changes, and only then (that is what
//! keeps one new note on a board of a thousand cheap).
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use bijeen::workshop::keyed_signals::KeyedSignals;
use bijeen::workshop::replica::{Replica, Touched};
use bijeen_core::{ActorId, BoardKind, Command, Doc, NoteId, Op, Role, Template};
use leptos::prelude::*;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const NOW: i64 = 1_741_939_200_000;

/// How often an effect reading `read` has run (its first run included).
fn runs_of<T: Clone + Send + Sync + 'static>(read: Signal<T>) -> Arc<AtomicUsize> {
    let runs = Arc::new(AtomicUsize::new(0));
    let counter = runs.clone();
    Effect::new(move |_| {
        read.track();
        counter.fetch_add(1, Ordering::SeqCst);
    });
    runs
}

/// Lets the scheduled effects run.
async fn settle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("a window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20)
            .expect("a timer");
    });
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .expect("the timer fires");
}

#[wasm_bindgen_test]
async fn keyed_signals_wake_only_the_key_that_changed() {
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let owner = Owner::new();
    owner.set();
    let keyed: KeyedSignals<String, u32> =
        KeyedSignals::new(HashMap::from([("a".to_owned(), 1), ("b".to_owned(), 2)]));
    let a = keyed.get(&"a".to_owned());
    let b = keyed.get(&"b".to_owned());
    let (runs_a, runs_b) = (runs_of(a), runs_of(b));
    settle().await;
    assert_eq!(
        (runs_a.load(Ordering::SeqCst), runs_b.load(Ordering::SeqCst)),
        (1, 1)
    );

    keyed.apply(vec![("b".to_owned(), Some(20))]);
    settle().await;
    assert_eq!(b.get_untracked(), 20);
    assert_eq!(a.get_untracked(), 1);
    assert_eq!(
        (runs_a.load(Ordering::SeqCst), runs_b.load(Ordering::SeqCst)),
        (1, 2)
    );

    // The same value again wakes nobody; a key that is gone reads as the default.
    keyed.replace_all(HashMap::from([("b".to_owned(), 20)]));
    settle().await;
    assert_eq!(a.get_untracked(), 0);
    assert_eq!(
        (runs_a.load(Ordering::SeqCst), runs_b.load(Ordering::SeqCst)),
        (2, 2)
    );
}

#[wasm_bindgen_test]
async fn replica_select_wakes_its_readers_only_when_its_value_changes() {
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let owner = Owner::new();
    owner.set();
    let replica = Replica::new();
    replica.set(Some(Doc::from_template(
        Template::WerkenInNetwerken,
        ActorId::new("fac"),
        NOW,
    )));
    let title = replica.select(String::new(), |w| w.meta.title.value.clone());
    let runs = runs_of(title);
    settle().await;
    assert_eq!(runs.load(Ordering::SeqCst), 1);

    let run = |command: Command| {
        replica.update(|doc| {
            let mut touched = Touched::Nothing;
            if let Some(doc) = doc.as_mut()
                && let Ok(ops) = doc.execute(&command, Role::Facilitator, NOW)
            {
                for op in &ops {
                    touched.add_op(op, doc.workshop());
                }
            }
            touched
        })
    };
    run(Command::SetDate("2026-12-01".to_owned()));
    settle().await;
    assert_eq!(runs.load(Ordering::SeqCst), 1, "another field changed");

    run(Command::SetTitle("Samen sterker".to_owned()));
    settle().await;
    assert_eq!(title.get_untracked(), "Samen sterker");
    assert_eq!(runs.load(Ordering::SeqCst), 2);
}

#[wasm_bindgen_test]
async fn replica_listeners_hear_what_each_change_touched() {
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let owner = Owner::new();
    owner.set();
    let replica = Replica::new();
    let heard: Rc<RefCell<Vec<Touched>>> = Rc::default();
    let plain_calls = Arc::new(AtomicUsize::new(0));
    {
        let heard = heard.clone();
        replica.listen_touched(move |_, touched| heard.borrow_mut().push(touched.clone()));
        let plain_calls = plain_calls.clone();
        replica.listen(move |_| {
            plain_calls.fetch_add(1, Ordering::SeqCst);
        });
    }
    replica.set(Some(Doc::from_template(
        Template::WerkenInNetwerken,
        ActorId::new("fac"),
        NOW,
    )));
    // Made on another replica and received here, as from another window.
    let mut other = Doc::new(ActorId::new("other"));
    let made = |doc: &mut Doc, command: Command| {
        doc.execute(&command, Role::Facilitator, NOW)
            .expect("a command the facilitator may run")
    };
    let receive = |ops: &[Op]| {
        replica.update(|doc| {
            let mut touched = Touched::Nothing;
            if let Some(doc) = doc.as_mut() {
                for op in ops {
                    if doc.receive(op).unwrap_or(false) {
                        touched.add_op(op, doc.workshop());
                    }
                }
            }
            touched
        })
    };
    let open = made(
        &mut other,
        Command::SetBoardOpen {
            board: BoardKind::Brainstorm,
            open: true,
        },
    );
    let note = made(
        &mut other,
        Command::AddNote {
            board: BoardKind::Brainstorm,
            group: None,
            category: None,
            text: "Bibliotheek".to_owned(),
            colour: None,
        },
    );
    let title = made(&mut other, Command::SetTitle("Samen".to_owned()));
    receive(&open);
    receive(&note);
    receive(&note);
    receive(&title);

    let note_id = NoteId::from_op(&note[0].id);
    assert_eq!(
        *heard.borrow(),
        vec![
            Touched::Everything,
            Touched::Everything,
            Touched::Notes([note_id].into()),
            // The same op again wakes nobody; a title touches no note.
            Touched::Notes(Default::default()),
        ]
    );
    assert_eq!(plain_calls.load(Ordering::SeqCst), 4);
}
