//! The phone's link to its room: it holds no replica, only the view the relay sends
//! (`bijeen_view::PhoneView`, applied patch by patch) and an outbox of intents, kept in
//! localStorage so what was asked for offline survives a reload and is sent once the relay
//! is back. Each intent is numbered as the op it becomes (under the participant's own
//! actor, or their bear pseudonym), so sending it again after a lost answer is safe: the
//! relay recognises the number and only acknowledges it.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use bijeen_core::DomainError;
use bijeen_protocol::session::{HEARTBEAT_MS, SILENCE_LIMIT_MS};
use bijeen_protocol::{Capacity, Credential, ErrorCode, PROTOCOL_VERSION, RejectReason};
use bijeen_view::{Down, DownCode, DownReason, Intent, OpRef, PhoneView, Up, UpCredential};
use gloo_timers::callback::{Interval, Timeout};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::adapters::clock::now_ms;
use crate::adapters::download::{DownloadError, download_text};
use crate::adapters::network::NetworkEvents;
use crate::adapters::storage::{LocalStore, StorageError};
use crate::adapters::websocket::{Socket, SocketEvent, same_origin_url};
use crate::workshop::relay_link::{LinkState, LinkStatus, RoomRecord, load_room};

/// How often the link looks at its connection.
const TICK_MS: u32 = 500;
/// How long a new view waits before it is saved: the view is only kept for a reload
/// without network, and in a busy room of a thousand notes writing it after every vote
/// would serialise tens of kilobytes on the phone's main thread several times a second.
/// A lost connection saves it at once.
const VIEW_SAVE_MS: u32 = 500;
// A connected phone pings at the protocol session's heartbeat and takes a connection that
// stayed silent past its limit for lost: the relay answers pings at once, so a socket that
// went silent is noticed even when nothing else happens in the room.

/// An intent waiting for the relay's answer, as the op it will become. Asked for before
/// this page's first Welcome it has no number yet: the Welcome says how far the relay has
/// the participant's ops, and it is numbered after them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    /// This phone's own handle on it, to find its refusal by.
    pub key: u64,
    pub op_id: Option<OpRef>,
    pub intent: Intent,
}

/// What the phone keeps across reloads besides the room record.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct Saved {
    pending: Vec<Pending>,
    /// The bear pseudonym the relay named, so bears written before the next Welcome go
    /// under it.
    #[serde(default)]
    pseudonym: Option<String>,
    /// The last view, so a reload without network shows the workshop as it was.
    #[serde(default)]
    view: Option<PhoneView>,
}

fn saved_key(workshop: &str) -> String {
    format!("bijeen.phone.{workshop}")
}

/// Why the phone cannot open this workshop.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OpenError {
    /// This browser never joined it from a phone (no participant record).
    NotJoined,
    Storage(StorageError),
}

/// The phone's state, for its screens. `Copy`: every handle is a signal.
#[derive(Clone, Copy)]
pub struct PhoneLink {
    pub view: RwSignal<PhoneView>,
    /// Intents not yet answered, in the order asked.
    pub pending: RwSignal<Vec<Pending>>,
    /// Refusals since this page opened, by the intent's key.
    pub refused: RwSignal<Vec<(u64, RejectReason)>>,
    pub status: RwSignal<Option<LinkStatus>>,
    /// A save to localStorage failed: said in the page's banner.
    pub storage_problem: RwSignal<Option<StorageError>>,
    /// Whether a view has arrived (from the relay, or saved from an earlier visit).
    pub loaded: RwSignal<bool>,
    /// What the last download of one's own contributions did.
    pub report: RwSignal<Option<Result<String, DownloadError>>>,
    inner: StoredValue<Rc<RefCell<Inner>>, LocalStorage>,
}

struct Inner {
    workshop: String,
    record: RoomRecord,
    actor: String,
    pseudonym: Option<String>,
    /// Next sequence numbers, once the relay's Welcome said how far it has them.
    next_own: Option<u64>,
    next_pseudonym: Option<u64>,
    socket: Option<Socket>,
    connected: bool,
    attempts: u32,
    next_key: u64,
    last_heard_ms: i64,
    last_ping_ms: i64,
    online: u32,
    refusals: usize,
    last_refusal: Option<RejectReason>,
    last_error: Option<ErrorCode>,
    failed: Option<ErrorCode>,
    clock_offset_ms: Option<(i64, i64)>,
    tick: Option<Interval>,
    network: Option<NetworkEvents>,
    retry: Option<Timeout>,
    /// A view not yet saved, and when it will be.
    view_save: Option<Timeout>,
    link: PhoneLinkSignals,
    this: Weak<RefCell<Inner>>,
}

#[derive(Clone, Copy)]
struct PhoneLinkSignals {
    view: RwSignal<PhoneView>,
    pending: RwSignal<Vec<Pending>>,
    refused: RwSignal<Vec<(u64, RejectReason)>>,
    status: RwSignal<Option<LinkStatus>>,
    storage_problem: RwSignal<Option<StorageError>>,
    loaded: RwSignal<bool>,
    report: RwSignal<Option<Result<String, DownloadError>>>,
}

impl PhoneLink {
    /// Opens workshop `workshop` as this browser joined it, and starts connecting. The link
    /// stops (socket closed, timers dropped) when the calling owner is disposed.
    pub fn open(workshop: &str) -> Result<PhoneLink, OpenError> {
        let store = LocalStore::open().map_err(OpenError::Storage)?;
        let record = load_room(&store, workshop).ok_or(OpenError::NotJoined)?;
        let Credential::Participant { actor, .. } = &record.credential else {
            return Err(OpenError::NotJoined);
        };
        let actor = actor.as_str().to_owned();
        let saved: Saved = store
            .get(&saved_key(workshop))
            .ok()
            .flatten()
            .unwrap_or_default();
        let next_key = saved.pending.iter().map(|p| p.key).max().unwrap_or(0) + 1;
        let signals = PhoneLinkSignals {
            loaded: RwSignal::new(saved.view.is_some()),
            view: RwSignal::new(saved.view.unwrap_or_default()),
            pending: RwSignal::new(saved.pending),
            refused: RwSignal::new(Vec::new()),
            status: RwSignal::new(None),
            storage_problem: RwSignal::new(None),
            report: RwSignal::new(None),
        };
        let inner = Rc::new_cyclic(|this| {
            RefCell::new(Inner {
                workshop: workshop.to_owned(),
                record,
                actor,
                pseudonym: saved.pseudonym,
                next_own: None,
                next_pseudonym: None,
                socket: None,
                connected: false,
                attempts: 0,
                next_key,
                last_heard_ms: 0,
                last_ping_ms: 0,
                online: 0,
                refusals: 0,
                last_refusal: None,
                last_error: None,
                failed: None,
                clock_offset_ms: None,
                tick: None,
                network: None,
                retry: None,
                view_save: None,
                link: signals,
                this: this.clone(),
            })
        });
        {
            let mut state = inner.borrow_mut();
            state.start_ticking();
            state.follow_network();
            state.connect();
            state.publish();
        }
        let stop = send_wrapper::SendWrapper::new(inner.clone());
        on_cleanup(move || {
            if let Ok(mut state) = stop.try_borrow_mut() {
                state.tick = None;
                state.network = None;
                state.retry = None;
                state.save_view_now();
                state.socket = None;
            }
        });
        Ok(PhoneLink {
            view: signals.view,
            pending: signals.pending,
            refused: signals.refused,
            status: signals.status,
            storage_problem: signals.storage_problem,
            loaded: signals.loaded,
            report: signals.report,
            inner: StoredValue::new_local(inner),
        })
    }

    /// Asks for `intent`: kept in the outbox and sent (now, or once connected). Returns its
    /// key, to find its refusal by.
    pub fn ask(&self, intent: Intent) -> u64 {
        let inner = self.inner.get_value();
        let mut state = inner.borrow_mut();
        state.ask(intent)
    }

    /// The refusal of the intent with `key`, if the relay refused it.
    pub fn refusal_of(&self, key: u64) -> Option<RejectReason> {
        self.refused.with(|r| {
            r.iter()
                .rev()
                .find(|(k, _)| *k == key)
                .map(|(_, reason)| reason.clone())
        })
    }

    /// Asks the relay for my own contributions in `lang`; they are downloaded when they
    /// arrive. `false` while not connected (the relay has them, not this phone).
    pub fn request_report(&self, lang: bijeen_view::Lang) -> bool {
        let inner = self.inner.get_value();
        let state = inner.borrow();
        if !state.connected {
            return false;
        }
        state.send(&Up::Report { lang });
        true
    }

    /// Relay time minus local time (0 until the first sample).
    pub fn clock_offset_ms(&self) -> i64 {
        self.status
            .with(|s| s.as_ref().map(|s| s.clock_offset_ms))
            .unwrap_or(0)
    }

    /// The room's join code, for the participant's own export's file name.
    pub fn workshop(&self) -> String {
        self.inner.get_value().borrow().workshop.clone()
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
            Inner::with_self(&this, Inner::heartbeat)
        }));
    }

    fn heartbeat(&mut self) {
        if !self.connected {
            return;
        }
        let now = now_ms();
        if now - self.last_heard_ms > SILENCE_LIMIT_MS {
            self.last_error = None;
            self.lost_connection();
            return;
        }
        if now - self.last_ping_ms >= HEARTBEAT_MS {
            self.last_ping_ms = now;
            self.send(&Up::Ping {
                client_time_ms: now,
            });
        }
    }

    fn follow_network(&mut self) {
        let offline = self.this.clone();
        let online = self.this.clone();
        self.network = NetworkEvents::watch(
            move || Inner::with_self(&offline, Inner::lost_connection),
            move || Inner::with_self(&online, Inner::network_back),
        );
    }

    fn network_back(&mut self) {
        if self.socket.is_none() && self.failed.is_none() {
            self.connect();
            self.publish();
        }
    }

    fn lost_connection(&mut self) {
        if self.socket.take().is_some() {
            self.on_socket(SocketEvent::Closed);
        }
    }

    fn connect(&mut self) {
        self.retry = None;
        let Some(url) = same_origin_url(&format!("/ws/{}", self.record.room.as_str())) else {
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
                let Credential::Participant { actor, secret } = &self.record.credential else {
                    return;
                };
                let hello = Up::ViewHello {
                    protocol_version: PROTOCOL_VERSION,
                    room: self.record.room.as_str().to_owned(),
                    credential: UpCredential::Participant {
                        actor: actor.as_str().to_owned(),
                        secret: secret.as_str().to_owned(),
                    },
                };
                self.last_heard_ms = now_ms();
                self.send(&hello);
            }
            SocketEvent::Text(text) => {
                self.last_heard_ms = now_ms();
                // A message this build cannot read (a newer relay) is skipped.
                if let Ok(message) = serde_json::from_str::<Down<DomainError>>(&text) {
                    self.on_message(message);
                }
            }
            SocketEvent::Closed => {
                self.save_view_now();
                self.socket = None;
                self.connected = false;
                self.next_own = None;
                self.next_pseudonym = None;
                if self.failed.is_none() {
                    self.schedule_retry();
                }
            }
        }
        self.publish();
    }

    fn on_message(&mut self, message: Down<DomainError>) {
        match message {
            Down::Welcome {
                server_time_ms,
                server_vv,
                online,
                pseudonym,
            } => {
                self.connected = true;
                self.attempts = 0;
                self.online = online;
                self.last_error = None;
                self.sample_clock(now_ms(), server_time_ms, now_ms());
                if pseudonym.is_some() {
                    self.pseudonym = pseudonym;
                }
                let stored = |actor: &str| server_vv.get(actor).copied().unwrap_or(0);
                let own = stored(&self.actor);
                let pseudo = self.pseudonym.as_deref().map(stored).unwrap_or(0);
                let actor = self.actor.clone();
                let pseudonym = self.pseudonym.clone();
                // Answers lost with the last connection: the relay's vector proves these
                // are stored.
                self.link.pending.update(|pending| {
                    pending.retain(|p| match &p.op_id {
                        None => true,
                        Some(OpRef(who, seq)) if *who == actor => *seq > own,
                        Some(OpRef(who, seq)) if Some(who) == pseudonym.as_ref() => *seq > pseudo,
                        Some(_) => false,
                    })
                });
                let last = |who: &str| {
                    self.link.pending.with_untracked(|pending| {
                        pending
                            .iter()
                            .filter_map(|p| p.op_id.as_ref())
                            .filter(|id| id.0 == who)
                            .map(|id| id.1)
                            .max()
                            .unwrap_or(0)
                    })
                };
                self.next_own = Some(own.max(last(&self.actor)) + 1);
                self.next_pseudonym = self.pseudonym.clone().map(|p| pseudo.max(last(&p)) + 1);
                // Intents asked for before any Welcome are numbered now, in order.
                let mut pending = self.link.pending.get_untracked();
                for p in pending.iter_mut().filter(|p| p.op_id.is_none()) {
                    p.op_id = self.number(&p.intent);
                }
                self.link.pending.set(pending);
                self.resend();
                self.save();
            }
            Down::View { patch } => {
                self.link.view.update(|view| view.apply(*patch));
                self.link.loaded.set(true);
                self.save_view_soon();
            }
            Down::Report { file_name, text } => {
                let result = download_text(&file_name, "text/markdown;charset=utf-8", &text)
                    .map(|()| file_name);
                self.link.report.set(Some(result));
            }
            Down::Ack { op_ids } => {
                self.link.pending.update(|pending| {
                    pending.retain(|p| !p.op_id.as_ref().is_some_and(|id| op_ids.contains(id)))
                });
                self.save();
            }
            Down::Rejected { op_id, reason } => {
                let reason = reject_reason(reason);
                let key = self.link.pending.with_untracked(|pending| {
                    pending
                        .iter()
                        .find(|p| p.op_id.as_ref() == Some(&op_id))
                        .map(|p| p.key)
                });
                self.link
                    .pending
                    .update(|pending| pending.retain(|p| p.op_id.as_ref() != Some(&op_id)));
                self.refusals += 1;
                self.last_refusal = Some(reason.clone());
                if let Some(key) = key {
                    self.link.refused.update(|r| r.push((key, reason)));
                }
                self.save();
            }
            Down::Pong {
                client_time_ms,
                server_time_ms,
            } => self.sample_clock(client_time_ms, server_time_ms, now_ms()),
            Down::Presence { online } => self.online = online,
            Down::Error { code } => {
                let code = error_code(code);
                match &code {
                    ErrorCode::RateLimited { retry_after_ms } => {
                        // What was in flight was dropped unprocessed: sent again after the
                        // wait (the outbox has it).
                        let wait = u32::try_from(*retry_after_ms).unwrap_or(u32::MAX);
                        let this = self.this.clone();
                        self.retry = Some(Timeout::new(wait, move || {
                            Inner::with_self(&this, Inner::resend)
                        }));
                    }
                    c if c.is_fatal() => self.failed = Some(code.clone()),
                    _ => {}
                }
                self.last_error = Some(code);
            }
            Down::Other => {}
        }
    }

    fn resend(&mut self) {
        self.retry = None;
        for pending in self.link.pending.get_untracked() {
            if let Some(op_id) = pending.op_id {
                self.send(&Up::Intent {
                    op_id,
                    intent: pending.intent,
                });
            }
        }
    }

    /// The sample with the shortest round trip wins: it bounds the error best.
    fn sample_clock(&mut self, sent_ms: i64, server_ms: i64, now: i64) {
        let rtt = (now - sent_ms).max(0);
        let offset = server_ms - (sent_ms + now) / 2;
        match self.clock_offset_ms {
            Some((best_rtt, _)) if best_rtt <= rtt => {}
            _ => self.clock_offset_ms = Some((rtt, offset)),
        }
    }

    fn ask(&mut self, intent: Intent) -> u64 {
        let key = self.next_key;
        self.next_key += 1;
        let pending = Pending {
            key,
            op_id: self.number(&intent),
            intent,
        };
        self.link.pending.update(|p| p.push(pending.clone()));
        self.save();
        if let Some(op_id) = pending.op_id {
            self.send(&Up::Intent {
                op_id,
                intent: pending.intent,
            });
        }
        self.publish();
        key
    }

    /// The op an intent becomes: the next number of the actor that writes it, once a
    /// Welcome said how far the relay has them (before that, `None`).
    fn number(&mut self, intent: &Intent) -> Option<OpRef> {
        if self.writes_under_pseudonym(intent)
            && let (Some(pseudonym), Some(seq)) = (self.pseudonym.clone(), self.next_pseudonym)
        {
            self.next_pseudonym = Some(seq + 1);
            return Some(OpRef(pseudonym, seq));
        }
        let seq = self.next_own?;
        self.next_own = Some(seq + 1);
        Some(OpRef(self.actor.clone(), seq))
    }

    /// The core's rule (`pseudonym::writer_of`) as far as the phone can tell from its view:
    /// a new bear and a vote on a bear while the wall is anonymous, and an edit of a bear
    /// written under the pseudonym.
    fn writes_under_pseudonym(&self, intent: &Intent) -> bool {
        self.link.view.with_untracked(|v| {
            let bear = |id: &str| v.bears.iter().find(|b| b.id == id);
            match intent {
                Intent::AddBear { .. } => v.head.bears.anonymous,
                Intent::CastVote { note } | Intent::RemoveVote { note } => {
                    bear(note).is_some() && v.head.bears.anonymous
                }
                Intent::EditNote { id, .. } | Intent::DeleteNote { id } => {
                    bear(id).is_some_and(|b| b.by_pseudonym)
                }
                _ => false,
            }
        })
    }

    fn schedule_retry(&mut self) {
        let delay =
            bijeen_protocol::next_retry_delay_ms(self.attempts, crate::adapters::random::jitter());
        self.attempts = self.attempts.saturating_add(1);
        let this = self.this.clone();
        self.retry = Some(Timeout::new(
            u32::try_from(delay).unwrap_or(u32::MAX),
            move || Inner::with_self(&this, Inner::connect),
        ));
    }

    fn send(&self, message: &Up) {
        let Some(socket) = &self.socket else { return };
        // Unsent intents are not lost: they stay in the outbox until answered.
        if let Ok(text) = serde_json::to_string(message) {
            let _ = socket.send(&text);
        }
    }

    fn save_view_soon(&mut self) {
        if self.view_save.is_some() {
            return;
        }
        let this = self.this.clone();
        self.view_save = Some(Timeout::new(VIEW_SAVE_MS, move || {
            Inner::with_self(&this, |state| {
                state.view_save = None;
                state.save();
            })
        }));
    }

    /// Saves a view still waiting for its timer (the page goes, or the connection did).
    fn save_view_now(&mut self) {
        if self.view_save.take().is_some() {
            self.save();
        }
    }

    fn save(&self) {
        let saved = Saved {
            pending: self.link.pending.get_untracked(),
            pseudonym: self.pseudonym.clone(),
            view: self
                .link
                .loaded
                .get_untracked()
                .then(|| self.link.view.get_untracked()),
        };
        let result =
            LocalStore::open().and_then(|store| store.set(&saved_key(&self.workshop), &saved));
        let problem = result.err();
        if self.link.storage_problem.get_untracked() != problem {
            self.link.storage_problem.set(problem);
        }
    }

    fn publish(&self) {
        let state = if self.failed.is_some() {
            LinkState::Failed
        } else if self.connected {
            LinkState::Connected
        } else if self.socket.is_some() && self.retry.is_none() && self.attempts == 0 {
            LinkState::Connecting
        } else {
            LinkState::Reconnecting
        };
        self.link.status.set(Some(LinkStatus {
            state,
            unacked: self.link.pending.with_untracked(Vec::len),
            online: self.online,
            join_code: self
                .record
                .join_code
                .as_ref()
                .map(|c| c.as_str().to_owned()),
            failure: self.failed.clone(),
            refused: self.refusals,
            last_refusal: self.last_refusal.clone(),
            retrying_because: if self.connected {
                None
            } else {
                self.last_error.clone()
            },
            clock_offset_ms: self.clock_offset_ms.map_or(0, |(_, offset)| offset),
        }));
    }
}

/// The relay's refusal as the protocol names it, for the shared wording.
fn reject_reason(r: DownReason<DomainError>) -> RejectReason {
    let max = || u32::try_from(r.max.unwrap_or(0)).unwrap_or(u32::MAX);
    match (r.kind.as_str(), r.error) {
        ("forbidden", Some(error)) => RejectReason::Forbidden { error },
        ("too_many_notes", _) => RejectReason::TooManyNotes { max: max() },
        ("room_full", _) => RejectReason::RoomFull { max: max() },
        ("room_capacity", _) => RejectReason::RoomCapacity {
            what: Capacity::Ops,
            max: max(),
        },
        ("clock_ahead", _) => RejectReason::ClockAhead { max_ahead_ms: 0 },
        _ => RejectReason::ConflictingOp,
    }
}

/// The relay's error as the protocol names it, for the shared wording and the retry rules.
fn error_code(c: DownCode) -> ErrorCode {
    match c.code.as_str() {
        "rate_limited" => ErrorCode::RateLimited {
            retry_after_ms: c.retry_after_ms.unwrap_or(1_000),
        },
        "room_not_found" => ErrorCode::RoomNotFound,
        "bad_credential" => ErrorCode::BadCredential,
        "room_full" => ErrorCode::RoomFull { max: 0 },
        "storage_failed" => ErrorCode::StorageFailed,
        "too_slow" => ErrorCode::TooSlow,
        "shutting_down" => ErrorCode::ShuttingDown,
        "idle" => ErrorCode::Idle { ms: 0 },
        "unsupported_version" => ErrorCode::UnsupportedVersion {
            supported: Vec::new(),
        },
        other => ErrorCode::Malformed {
            detail: other.to_owned(),
        },
    }
}
