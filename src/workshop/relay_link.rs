//! The link from one window's replica to the relay room of its workshop. The protocol
//! session (`bijeen-protocol`, sans-IO) decides what to send and what to apply; this link
//! only moves its messages over a WebSocket, keeps its outbox in localStorage so unsent
//! changes survive a reload, ticks it, and reconnects after the back-off it computes.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use gloo_timers::callback::{Interval, Timeout};

use bijeen_core::{ActorId, Doc, Op, OpId};
use bijeen_protocol::{
    ClientSession, ConnState, Credential, ErrorCode, Handled, JoinCode, RejectReason, RemoteKey,
    RoomId, SavedSession, ServerMsg,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::adapters::clock::now_ms;
use crate::adapters::network::NetworkEvents;
use crate::adapters::storage::LocalStore;
use crate::adapters::websocket::{Socket, SocketEvent, same_origin_url};
use crate::workshop::library;
use crate::workshop::sync::{ReplicaOwner, Source};

/// How often the protocol session gets a tick (clock pings, resends).
const TICK_MS: u32 = 500;

/// The room a workshop of this browser is linked to, and how this browser enters it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomRecord {
    pub room: RoomId,
    pub credential: Credential,
    pub join_code: Option<JoinCode>,
    /// The facilitator's browser: the phone remote's key while one is registered, so
    /// every console window of this browser can show (and revoke) the same remote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote: Option<RemoteKey>,
}

/// Where this browser keeps the room record of workshop `workshop`.
pub fn room_key(workshop: &str) -> String {
    format!("bijeen.room.{workshop}")
}

pub fn load_room(store: &LocalStore, workshop: &str) -> Option<RoomRecord> {
    store.get::<RoomRecord>(&room_key(workshop)).ok().flatten()
}

pub fn save_room(
    store: &LocalStore,
    workshop: &str,
    record: &RoomRecord,
) -> Result<(), crate::adapters::storage::StorageError> {
    store.set(&room_key(workshop), record)
}

/// Stores how this browser enters a room under workshop id `workshop`, with an empty replica
/// that the relay fills. A record stored before is kept when `keep(known, fresh)` says so
/// (the same identity, whose ops the relay has), else `fresh` replaces it.
pub fn enter_room(
    workshop: &str,
    fresh: RoomRecord,
    keep: impl Fn(&RoomRecord, &RoomRecord) -> bool,
) -> Result<(), crate::adapters::storage::StorageError> {
    let store = LocalStore::open()?;
    let record = load_room(&store, workshop)
        .filter(|known| keep(known, &fresh))
        .unwrap_or(fresh);
    save_room(&store, workshop, &record)?;
    if store.get_raw(&library::doc_key(workshop))?.is_none() {
        let actor = record
            .credential
            .actor()
            .cloned()
            .unwrap_or_else(library::window_actor);
        library::save_new(&store, workshop, &mut Doc::new(actor), now_ms())?;
    }
    Ok(())
}

/// Each window keeps its own outbox: windows have their own actors, and one window must
/// never overwrite another's unsent changes.
fn outbox_key(workshop: &str, actor: &ActorId) -> String {
    format!("bijeen.outbox.{workshop}.{}", actor.as_str())
}

/// Whether this browser's outbox of `workshop` under `actor` holds changes the relay has
/// not acknowledged. Counted without reading the ops: the phone's entry asks before it
/// opens its own link, and links none of the op types (serde's reader for skipping a value
/// unread was 0.45 KB brotli more of its download than the browser's parser).
pub fn outbox_holds_changes(
    store: &LocalStore,
    workshop: &str,
    actor: &ActorId,
) -> Result<bool, crate::adapters::storage::StorageError> {
    Ok(store
        .array_len(&outbox_key(workshop, actor), "outbox")?
        .is_some_and(|unsent| unsent > 0))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkState {
    Connecting,
    Connected,
    /// Lost; trying again after a back-off. Changes wait in the outbox.
    Reconnecting,
    /// The relay said reconnecting cannot help (unknown room, bad key, ...).
    Failed,
}

impl LinkState {
    /// A stable name for the page (`data-state`), for styles and tests.
    pub fn key(self) -> &'static str {
        match self {
            LinkState::Connecting => "connecting",
            LinkState::Connected => "connected",
            LinkState::Reconnecting => "reconnecting",
            LinkState::Failed => "failed",
        }
    }
}

/// What the header shows about the link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkStatus {
    pub state: LinkState,
    /// Local changes the relay has not acknowledged yet.
    pub unacked: usize,
    pub online: u32,
    pub join_code: Option<String>,
    pub failure: Option<ErrorCode>,
    /// Changes the relay refused since this window opened.
    pub refused: usize,
    /// Why the relay last refused a change (said in plain words next to the count).
    pub last_refusal: Option<RejectReason>,
    /// What the relay said last while this window is not connected (a full room, a
    /// connection closed for silence): why it is trying again.
    pub retrying_because: Option<ErrorCode>,
    /// Relay time minus local time, from the best clock sample so far: every device shows
    /// the timer against the relay's clock, so devices with skewed clocks still agree.
    pub clock_offset_ms: i64,
}

struct Inner {
    workshop: String,
    actor: ActorId,
    session: ClientSession,
    socket: Option<Socket>,
    sync: ReplicaOwner,
    status: RwSignal<Option<LinkStatus>>,
    refused: usize,
    last_refusal: Option<RejectReason>,
    last_error: Option<ErrorCode>,
    /// Dropped with the link, which stops it.
    tick: Option<Interval>,
    /// The browser's `offline` and `online` events: a phone that loses its network says
    /// so at once, and reconnects the moment it is back instead of after the back-off.
    network: Option<NetworkEvents>,
    retry: Option<Timeout>,
    this: Weak<RefCell<Inner>>,
}

/// Dropping the link closes the socket and stops its timers.
pub struct RelayLink {
    inner: Rc<RefCell<Inner>>,
}

impl RelayLink {
    pub fn start(
        workshop: String,
        record: &RoomRecord,
        actor: ActorId,
        sync: ReplicaOwner,
        status: RwSignal<Option<LinkStatus>>,
    ) -> Self {
        let restored = LocalStore::open()
            .ok()
            .and_then(|store| {
                store
                    .get::<SavedSession>(&outbox_key(&workshop, &actor))
                    .ok()
                    .flatten()
            })
            .filter(|saved| saved.room == record.room && saved.credential == record.credential);
        let session = match restored {
            Some(saved) => ClientSession::restore(saved),
            None => ClientSession::new(record.room.clone(), record.credential.clone()),
        };
        // A pseudonym the relay named before (remembered with the outbox): bears written
        // before the first Welcome of this page go under it too.
        if let Some(pseudonym) = session.pseudonym().cloned() {
            sync.adopt_pseudonym(pseudonym);
        }
        let inner = Rc::new_cyclic(|this| {
            RefCell::new(Inner {
                workshop,
                actor,
                session,
                socket: None,
                sync,
                status,
                refused: 0,
                last_refusal: None,
                last_error: None,
                tick: None,
                network: None,
                retry: None,
                this: this.clone(),
            })
        });
        {
            let mut state = inner.borrow_mut();
            state.start_ticking();
            state.follow_network();
            state.connect();
            state.publish(
                record
                    .join_code
                    .as_ref()
                    .map(|code| code.as_str().to_owned()),
            );
        }
        Self { inner }
    }

    /// Ops this window just made (already applied locally).
    pub fn push_local(&self, ops: Vec<Op>) {
        let mut state = self.inner.borrow_mut();
        let handled = state.session.push_local(ops, now_ms());
        state.process(handled);
    }
}

impl Drop for RelayLink {
    fn drop(&mut self) {
        let mut state = self.inner.borrow_mut();
        state.tick = None;
        state.network = None;
        state.retry = None;
        state.socket = None;
    }
}

impl Inner {
    fn with_self(this: &Weak<RefCell<Inner>>, act: impl FnOnce(&mut Inner)) {
        if let Some(inner) = this.upgrade()
            && let Ok(mut state) = inner.try_borrow_mut()
        {
            act(&mut state);
        }
    }

    fn start_ticking(&mut self) {
        let this = self.this.clone();
        self.tick = Some(Interval::new(TICK_MS, move || {
            Inner::with_self(&this, |state| {
                let handled = state.session.tick(now_ms());
                state.process(handled);
            })
        }));
    }

    fn follow_network(&mut self) {
        let offline = self.this.clone();
        let online = self.this.clone();
        self.network = NetworkEvents::watch(
            move || Inner::with_self(&offline, Inner::lost_connection),
            move || Inner::with_self(&online, Inner::network_back),
        );
    }

    /// The browser is online again: reconnect now rather than after the back-off.
    fn network_back(&mut self) {
        if self.socket.is_none() && !matches!(self.session.state(), ConnState::Failed(_)) {
            self.connect();
            self.publish(None);
        }
    }

    /// The network went away (the browser said so, or the relay fell silent): the socket
    /// is closed here rather than left to a close event that may never come.
    fn lost_connection(&mut self) {
        if self.socket.take().is_some() {
            self.on_socket(SocketEvent::Closed);
        }
    }

    fn connect(&mut self) {
        self.retry = None;
        let Some(url) = same_origin_url(&format!("/ws/{}", self.session.room().as_str())) else {
            return;
        };
        let this = self.this.clone();
        match Socket::connect(&url, move |event| {
            Inner::with_self(&this, |state| state.on_socket(event))
        }) {
            Ok(socket) => self.socket = Some(socket),
            Err(_) => self.on_socket(SocketEvent::Closed),
        }
    }

    fn on_socket(&mut self, event: SocketEvent) {
        match event {
            SocketEvent::Open => {
                let session = &mut self.session;
                let hello = self.sync.replica().with_untracked(|doc| match doc {
                    Some(doc) => session.hello(doc),
                    None => session.hello_with(&Default::default(), Vec::new()),
                });
                self.send_all(vec![hello]);
            }
            SocketEvent::Text(text) => {
                // A message this build cannot read (a newer relay) is skipped; the
                // protocol's own version check answers a real mismatch with an error.
                let Ok(message) = ServerMsg::from_json(&text) else {
                    return;
                };
                let now = now_ms();
                let doc = self.sync.replica();
                let session = &mut self.session;
                let handled = doc.with_untracked(|doc| {
                    doc.as_ref().map(|doc| session.handle(message, doc, now))
                });
                if let Some(handled) = handled {
                    self.process(handled);
                }
            }
            SocketEvent::Closed => {
                self.socket = None;
                self.session.disconnected();
                if !matches!(self.session.state(), ConnState::Failed(_)) {
                    self.schedule_retry();
                }
            }
        }
        self.publish(None);
    }

    fn schedule_retry(&mut self) {
        let delay = self
            .session
            .retry_delay_ms(crate::adapters::random::jitter());
        let this = self.this.clone();
        self.retry = Some(Timeout::new(
            u32::try_from(delay).unwrap_or(u32::MAX),
            move || Inner::with_self(&this, Inner::connect),
        ));
    }

    fn process(&mut self, handled: Handled) {
        if handled.silent {
            self.lost_connection();
            return;
        }
        if let Some(pseudonym) = self.session.pseudonym().cloned() {
            self.sync.adopt_pseudonym(pseudonym);
        }
        match &handled.error {
            Some(code) => self.last_error = Some(code.clone()),
            None if *self.session.state() == ConnState::Connected => self.last_error = None,
            None => {}
        }
        if let Some((_, reason)) = handled.rejected.last() {
            self.last_refusal = Some(reason.clone());
        }
        // Refused ops the relay keeps a marker for: take their effect back out of the
        // local state, so this window shows what everyone else sees.
        let refused: Vec<&OpId> = handled
            .rejected
            .iter()
            .filter(|(_, reason)| reason.leaves_marker())
            .map(|(id, _)| id)
            .collect();
        // Kept in storage by the sync, so a reload without network still has it.
        self.sync.take_in(Source::Relay, &handled.apply, &refused);
        self.refused += handled.rejected.len();
        self.send_all(handled.send);
        // The outbox is what survives a reload: a write refused (a full quota) is said in
        // the banner like any failed save.
        let saved = LocalStore::open().and_then(|store| {
            store.set(
                &outbox_key(&self.workshop, &self.actor),
                &self.session.save(),
            )
        });
        self.sync.record_outbox_save(saved);
        self.publish(None);
    }

    fn send_all(&mut self, messages: Vec<bijeen_protocol::ClientMsg>) {
        let Some(socket) = &self.socket else { return };
        for message in messages {
            // Unsent messages are not lost: their ops stay in the outbox until acked.
            if socket.send(&message.to_json()).is_err() {
                break;
            }
        }
    }

    fn publish(&self, join_code: Option<String>) {
        let state = match self.session.state() {
            ConnState::Connected => LinkState::Connected,
            ConnState::Connecting if self.retry.is_none() && self.socket.is_some() => {
                LinkState::Connecting
            }
            ConnState::Failed(_) => LinkState::Failed,
            _ => LinkState::Reconnecting,
        };
        let failure = match self.session.state() {
            ConnState::Failed(code) => Some(code.clone()),
            _ => None,
        };
        let join_code = self
            .session
            .join_code()
            .map(|code| code.as_str().to_owned())
            .or(join_code)
            .or_else(|| {
                self.status
                    .with_untracked(|s| s.as_ref().and_then(|s| s.join_code.clone()))
            });
        self.status.set(Some(LinkStatus {
            state,
            unacked: self.session.unacked_count(),
            online: self.session.online(),
            join_code,
            failure,
            refused: self.refused,
            last_refusal: self.last_refusal.clone(),
            retrying_because: match self.session.state() {
                ConnState::Connected => None,
                _ => self.last_error.clone(),
            },
            clock_offset_ms: self.session.clock().offset_ms().unwrap_or(0),
        }));
    }
}
