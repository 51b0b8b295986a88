//! The browser's side of a room connection as a sans-IO state machine. The app owns the
//! WebSocket, the timers, the clock and the [`Doc`]; it feeds events in and sends what comes
//! out:
//!
//! ```text
//! socket open        -> session.hello(doc.version_vector())            -> send it
//! socket message     -> session.handle(ServerMsg::from_json(text)?, &doc, now)
//!                       -> doc.receive(op) for op in out.apply; send out.send;
//!                          doc.refuse(id) for out.rejected that leave a marker;
//!                          show out.rejected / out.error
//! local ops made     -> session.push_local(ops, now)                   -> send out.send
//! every ~500 ms      -> session.tick(now)                              -> send out.send
//! socket closed      -> session.disconnected(); reconnect after
//!                       session.retry_delay_ms(Math.random()) unless state() is Failed
//! after each change  -> persist session.save() (the offline queue)
//! ```
//!
//! Delivery: every local op stays in the outbox until the relay acks it (it acks only
//! after the SQLite commit) or rejects it. After every (re)connect the session sends the
//! outbox plus whatever else the relay lacks according to the Welcome's version vector.
//! Resending is safe: ops are idempotent by `(actor, seq)`, so retries never duplicate a
//! note.

use std::collections::{BTreeMap, BTreeSet};

use bijeen_core::{ActorId, Doc, Op, OpId, Role, VersionVector};
use serde::{Deserialize, Serialize};

use crate::backoff::next_retry_delay_ms;
use crate::clock::ClockEstimate;
use crate::ids::{JoinCode, RoomId};
use crate::msg::{
    ClientMsg, Credential, ErrorCode, RejectReason, ServerMsg, WithheldRange, chunk_ops,
};
use crate::{MAX_MESSAGE_BYTES, PROTOCOL_VERSION};

/// An op sent but neither acked nor rejected after this long is sent again (the ack may
/// have been lost with a connection the browser has not noticed is dead yet).
pub const RESEND_AFTER_MS: i64 = 10_000;
/// Clock samples are taken quickly after connecting, then at the heartbeat's pace.
pub const PING_FAST_MS: i64 = 1_000;
pub const PING_FAST_SAMPLES: usize = 5;
/// While connected a ping goes out at least this often, and the relay's pong is the
/// heartbeat: a phone whose network vanished gets no close event, only silence.
pub const HEARTBEAT_MS: i64 = 1_500;
/// Nothing heard from the relay for this long while connected: the connection is dead
/// (see [`Handled::silent`]). Over two heartbeats, so one slow pong is not yet a loss;
/// with the app's half-second tick a dead link shows within 5 s.
pub const SILENCE_LIMIT_MS: i64 = 4_000;
/// Pause after the relay could not store ops before sending them again.
pub const STORAGE_RETRY_MS: u64 = 1_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConnState {
    /// No connection; the app should reconnect after [`ClientSession::retry_delay_ms`].
    Offline,
    /// Hello sent, Welcome not received yet; local ops wait in the outbox.
    Connecting,
    Connected,
    /// The relay said reconnecting cannot help (unknown room, bad key, version, full).
    Failed(ErrorCode),
}

/// What the app persists (e.g. in localStorage) so unsent ops survive a reload.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedSession {
    pub room: RoomId,
    pub credential: Credential,
    /// Local ops not acknowledged yet, in `(actor, seq)` order.
    pub outbox: Vec<Op>,
    /// Ops the relay refused; never sent again (the relay's version vector keeps a gap
    /// where they would be, so "what the relay lacks" would otherwise name them forever).
    #[serde(default)]
    pub rejected: Vec<OpId>,
    /// The participant's bear pseudonym, once a Welcome has named it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pseudonym: Option<ActorId>,
}

/// What the app must do after feeding the session an event.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Handled {
    /// Inbound ops: pass each to `Doc::receive`.
    pub apply: Vec<Op>,
    /// Messages to send, in order.
    pub send: Vec<ClientMsg>,
    /// How many outbox ops this event acknowledged.
    pub acked: usize,
    /// Ops refused by the relay (or too large to send): gone from the outbox. Their
    /// effect is still in the local state: `Doc::refuse(id)` each one whose reason
    /// [`RejectReason::leaves_marker`] (the relay keeps a marker in its place), and
    /// tell the user.
    pub rejected: Vec<(OpId, RejectReason)>,
    pub error: Option<ErrorCode>,
    /// The relay has said nothing for [`SILENCE_LIMIT_MS`] although it answers every
    /// heartbeat: close the socket, call [`ClientSession::disconnected`], and reconnect.
    pub silent: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Pending {
    op: Op,
    /// When it was last sent on the current connection; `None` means "send it".
    sent_at: Option<i64>,
}

#[derive(Clone, Debug)]
pub struct ClientSession {
    room: RoomId,
    credential: Credential,
    outbox: BTreeMap<OpId, Pending>,
    rejected: BTreeSet<OpId>,
    state: ConnState,
    /// Failed connection attempts since the last Welcome.
    attempts: u32,
    clock: ClockEstimate,
    last_ping_ms: Option<i64>,
    /// When the relay was last heard on this connection (any message).
    last_heard_ms: Option<i64>,
    /// No sending before this time (rate limited, or storage trouble on the relay).
    hold_until_ms: Option<i64>,
    role: Option<Role>,
    join_code: Option<JoinCode>,
    online: u32,
    /// A participant's bear pseudonym (from the Welcome): its ops are theirs to send too.
    pseudonym: Option<ActorId>,
}

impl ClientSession {
    pub fn new(room: RoomId, credential: Credential) -> Self {
        Self {
            room,
            credential,
            outbox: BTreeMap::new(),
            rejected: BTreeSet::new(),
            state: ConnState::Offline,
            attempts: 0,
            clock: ClockEstimate::default(),
            last_ping_ms: None,
            last_heard_ms: None,
            hold_until_ms: None,
            role: None,
            join_code: None,
            online: 0,
            pseudonym: None,
        }
    }

    pub fn restore(saved: SavedSession) -> Self {
        let mut s = Self::new(saved.room, saved.credential);
        s.outbox = saved
            .outbox
            .into_iter()
            .map(|op| (op.id.clone(), Pending { op, sent_at: None }))
            .collect();
        s.rejected = saved.rejected.into_iter().collect();
        s.pseudonym = saved.pseudonym;
        s
    }

    pub fn save(&self) -> SavedSession {
        SavedSession {
            room: self.room.clone(),
            credential: self.credential.clone(),
            outbox: self.outbox.values().map(|p| p.op.clone()).collect(),
            rejected: self.rejected.iter().cloned().collect(),
            pseudonym: self.pseudonym.clone(),
        }
    }

    pub fn room(&self) -> &RoomId {
        &self.room
    }
    pub fn state(&self) -> &ConnState {
        &self.state
    }
    /// The number to show as "changes not yet acknowledged".
    pub fn unacked_count(&self) -> usize {
        self.outbox.len()
    }
    /// Connections in the room (0 until welcomed).
    pub fn online(&self) -> u32 {
        self.online
    }
    /// The role the relay granted (after the first Welcome).
    pub fn role(&self) -> Option<Role> {
        self.role
    }
    pub fn join_code(&self) -> Option<&JoinCode> {
        self.join_code.as_ref()
    }
    pub fn clock(&self) -> &ClockEstimate {
        &self.clock
    }
    /// The relay's time for a local time: what timers should compute "now" from.
    pub fn server_now(&self, local_now_ms: i64) -> i64 {
        self.clock.server_now(local_now_ms)
    }

    /// The actor a participant writes anonymous bears under, once the relay has named it.
    pub fn pseudonym(&self) -> Option<&ActorId> {
        self.pseudonym.as_ref()
    }

    /// Call when the socket has opened; send the returned Hello first. It says what `doc`
    /// has, and which of its ops are only placeholders still.
    pub fn hello(&mut self, doc: &Doc) -> ClientMsg {
        self.hello_with(
            doc.version_vector(),
            WithheldRange::covering(doc.placeholders()),
        )
    }

    /// [`ClientSession::hello`] from a version vector and placeholder ranges.
    pub fn hello_with(&mut self, have: &VersionVector, withheld: Vec<WithheldRange>) -> ClientMsg {
        self.state = ConnState::Connecting;
        self.hold_until_ms = None;
        self.last_ping_ms = None;
        self.last_heard_ms = None;
        self.mark_all_unsent();
        ClientMsg::Hello {
            protocol_version: PROTOCOL_VERSION,
            room: self.room.clone(),
            credential: self.credential.clone(),
            version_vector: have.clone(),
            withheld,
        }
    }

    /// Call when the socket closed or failed (also when it never opened).
    pub fn disconnected(&mut self) {
        if !matches!(self.state, ConnState::Failed(_)) {
            self.state = ConnState::Offline;
        }
        self.attempts = self.attempts.saturating_add(1);
        self.mark_all_unsent();
    }

    /// How long to wait before the next reconnect; `random_0_to_1` from `Math.random()`.
    pub fn retry_delay_ms(&self, random_0_to_1: f64) -> u64 {
        next_retry_delay_ms(self.attempts.saturating_sub(1), random_0_to_1)
    }

    /// Ops just made locally (already applied to the local doc). They go into the outbox
    /// and, when connected, out at once.
    pub fn push_local(&mut self, ops: impl IntoIterator<Item = Op>, now_ms: i64) -> Handled {
        for op in ops {
            if self.may_send(&op) && !self.rejected.contains(&op.id) {
                self.outbox
                    .entry(op.id.clone())
                    .or_insert(Pending { op, sent_at: None });
            }
        }
        let mut out = Handled::default();
        self.flush(now_ms, &mut out);
        out
    }

    /// Periodic work: clock pings and resending what was not acknowledged in time.
    pub fn tick(&mut self, now_ms: i64) -> Handled {
        let mut out = Handled::default();
        if self.state != ConnState::Connected {
            return out;
        }
        if self
            .last_heard_ms
            .is_some_and(|heard| now_ms.saturating_sub(heard) >= SILENCE_LIMIT_MS)
        {
            out.silent = true;
            return out;
        }
        let interval = if self.clock.sample_count() < PING_FAST_SAMPLES {
            PING_FAST_MS
        } else {
            HEARTBEAT_MS
        };
        if self
            .last_ping_ms
            .is_none_or(|last| now_ms.saturating_sub(last) >= interval)
        {
            self.last_ping_ms = Some(now_ms);
            out.send.push(ClientMsg::Ping {
                client_time_ms: now_ms,
            });
        }
        for p in self.outbox.values_mut() {
            if p.sent_at
                .is_some_and(|t| now_ms.saturating_sub(t) >= RESEND_AFTER_MS)
            {
                p.sent_at = None;
            }
        }
        self.flush(now_ms, &mut out);
        out
    }

    /// Interpret one message from the relay. `doc` is the local replica (read only, to
    /// find what the relay lacks after a Welcome); apply `apply` to it afterwards.
    pub fn handle(&mut self, msg: ServerMsg, doc: &Doc, now_ms: i64) -> Handled {
        let mut out = Handled::default();
        self.last_heard_ms = Some(now_ms);
        match msg {
            ServerMsg::Welcome {
                role,
                join_code,
                server_time_ms: _,
                server_vv,
                online,
                pseudonym,
                ..
            } => {
                if pseudonym.is_some() {
                    self.pseudonym = pseudonym;
                }
                self.state = ConnState::Connected;
                self.attempts = 0;
                self.role = Some(role);
                self.join_code = Some(join_code);
                self.online = online;
                // Acks lost with the previous connection: the relay's vector proves these
                // are stored.
                let before = self.outbox.len();
                self.outbox
                    .retain(|id, _| server_vv.get(&id.actor) < id.seq);
                out.acked = before - self.outbox.len();
                // Everything else the relay lacks (ops that reached this doc from another
                // window of this browser, or an outbox lost with cleared storage) goes too.
                for op in doc.missing_for(&server_vv) {
                    if self.may_send(&op) && !self.rejected.contains(&op.id) {
                        self.outbox
                            .entry(op.id.clone())
                            .or_insert(Pending { op, sent_at: None });
                    }
                }
                // A first clock sample right away; `server_time_ms` above has no send time
                // to pair with.
                self.last_ping_ms = Some(now_ms);
                out.send.push(ClientMsg::Ping {
                    client_time_ms: now_ms,
                });
                self.flush(now_ms, &mut out);
            }
            ServerMsg::Ops { ops } => out.apply = ops,
            ServerMsg::Ack { op_ids } => {
                for id in op_ids {
                    if self.outbox.remove(&id).is_some() {
                        out.acked += 1;
                    }
                }
            }
            ServerMsg::Rejected { op_id, reason } => {
                self.outbox.remove(&op_id);
                self.rejected.insert(op_id.clone());
                out.rejected.push((op_id, reason));
            }
            ServerMsg::Pong {
                client_time_ms,
                server_time_ms,
            } => self.clock.add(client_time_ms, server_time_ms, now_ms),
            ServerMsg::Presence { online } => self.online = online,
            // Sent only after a ViewHello, which this session never sends.
            ServerMsg::View { .. } | ServerMsg::Report { .. } => {}
            ServerMsg::Error { code } => {
                match &code {
                    ErrorCode::RateLimited { retry_after_ms } => {
                        self.hold(now_ms, *retry_after_ms);
                    }
                    ErrorCode::StorageFailed => self.hold(now_ms, STORAGE_RETRY_MS),
                    c if c.is_fatal() => self.state = ConnState::Failed(code.clone()),
                    _ => {}
                }
                out.error = Some(code);
            }
        }
        out
    }

    /// A participant connection may only send its own actor's and its pseudonym's ops;
    /// the relay would refuse the rest.
    fn may_send(&self, op: &Op) -> bool {
        match &self.credential {
            Credential::Facilitator { .. } => true,
            Credential::Participant { actor, .. } => {
                op.id.actor == *actor || self.pseudonym.as_ref() == Some(&op.id.actor)
            }
            Credential::Remote { actor, .. } => op.id.actor == *actor,
        }
    }

    fn hold(&mut self, now_ms: i64, ms: u64) {
        let until = now_ms.saturating_add(i64::try_from(ms).unwrap_or(i64::MAX));
        self.hold_until_ms = Some(until);
        // What was in flight was dropped unprocessed (rate limit) or not committed.
        self.mark_all_unsent();
    }

    fn mark_all_unsent(&mut self) {
        for p in self.outbox.values_mut() {
            p.sent_at = None;
        }
    }

    /// Send every outbox op not in flight, when connected and not held back.
    fn flush(&mut self, now_ms: i64, out: &mut Handled) {
        if self.state != ConnState::Connected {
            return;
        }
        if let Some(until) = self.hold_until_ms {
            if now_ms < until {
                return;
            }
            self.hold_until_ms = None;
        }
        let due: Vec<Op> = self
            .outbox
            .values_mut()
            .filter(|p| p.sent_at.is_none())
            .map(|p| {
                p.sent_at = Some(now_ms);
                p.op.clone()
            })
            .collect();
        if due.is_empty() {
            return;
        }
        // Bears under the pseudonym travel in messages of their own, after the rest: one
        // message must never hold both a named and an anonymous op of one person.
        let (anonymous, named): (Vec<Op>, Vec<Op>) = due
            .into_iter()
            .partition(|op| self.pseudonym.as_ref() == Some(&op.id.actor));
        let (mut batches, mut too_large) = chunk_ops(named, MAX_MESSAGE_BYTES);
        let (anonymous_batches, anonymous_too_large) = chunk_ops(anonymous, MAX_MESSAGE_BYTES);
        batches.extend(anonymous_batches);
        too_large.extend(anonymous_too_large);
        out.send
            .extend(batches.into_iter().map(|ops| ClientMsg::Ops { ops }));
        // Markers go one per message, for the same reason.
        for op in too_large {
            // Sent in its place (tiny, and allowed to anyone for their own numbers), so
            // the relay's numbering of this actor has no gap; the app refuses it locally.
            let marker = Op::refusal_of(&op);
            self.outbox.insert(
                op.id.clone(),
                Pending {
                    op: marker.clone(),
                    sent_at: Some(now_ms),
                },
            );
            out.send.push(ClientMsg::Ops { ops: vec![marker] });
            out.rejected.push((
                op.id,
                RejectReason::TooLarge {
                    max: MAX_MESSAGE_BYTES as u32,
                },
            ));
        }
    }

    /// The actor whose ops this session may send, for participants.
    pub fn actor(&self) -> Option<&ActorId> {
        self.credential.actor()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{FacilitatorKey, ParticipantSecret};
    use bijeen_core::{BoardKind, Colour, OpBody};

    /// A note op; the same builder the message tests use.
    fn op(actor: &str, seq: u64) -> Op {
        crate::msg::tests::note(actor, seq, &format!("note {seq}"))
    }

    fn participant(actor: &str) -> ClientSession {
        ClientSession::new(
            RoomId::from_random([1; 16]),
            Credential::Participant {
                actor: ActorId::new(actor),
                secret: ParticipantSecret::from_random([2; 16]),
            },
        )
    }

    fn welcome(server_vv: VersionVector) -> ServerMsg {
        ServerMsg::Welcome {
            protocol_version: PROTOCOL_VERSION,
            room: RoomId::from_random([1; 16]),
            role: Role::Participant,
            join_code: JoinCode::from_random(5),
            server_time_ms: 0,
            server_vv,
            online: 3,
            pseudonym: None,
        }
    }

    fn vv(pairs: &[(&str, u64)]) -> VersionVector {
        VersionVector(pairs.iter().map(|(a, s)| (ActorId::new(*a), *s)).collect())
    }

    fn sent_ids(out: &Handled) -> Vec<(String, u64)> {
        out.send
            .iter()
            .filter_map(|m| match m {
                ClientMsg::Ops { ops } => Some(ops),
                _ => None,
            })
            .flatten()
            .map(|o| (o.id.actor.to_string(), o.id.seq))
            .collect()
    }

    fn doc_with(actor: &str, ops: &[Op]) -> Doc {
        let mut d = Doc::new(ActorId::new(actor));
        for o in ops {
            d.receive(o).expect("receive");
        }
        d
    }

    #[test]
    fn a_relay_that_falls_silent_is_noticed_within_the_limit_and_pongs_keep_it_alive() {
        let mut s = participant("p");
        let doc = doc_with("p", &[]);
        let _ = s.hello(&doc);
        s.handle(welcome(VersionVector::default()), &doc, 0);
        // Answered heartbeats: never silent, and a ping at least every HEARTBEAT_MS.
        let mut now = 0;
        let mut last_ping = 0;
        let mut heard = 0;
        while now < 60_000 {
            now += 500;
            let out = s.tick(now);
            assert!(!out.silent, "silent at {now} although the relay answers");
            for message in &out.send {
                if let ClientMsg::Ping { client_time_ms } = message {
                    assert!(
                        now - last_ping <= HEARTBEAT_MS,
                        "ping gap {}",
                        now - last_ping
                    );
                    last_ping = *client_time_ms;
                    heard = now + 50;
                    s.handle(
                        ServerMsg::Pong {
                            client_time_ms: *client_time_ms,
                            server_time_ms: now,
                        },
                        &doc,
                        heard,
                    );
                }
            }
        }
        // The network vanishes without a close: silence is reported once the limit passes.
        let mut noticed = None;
        while noticed.is_none() {
            now += 500;
            if s.tick(now).silent {
                noticed = Some(now);
            }
        }
        let after = noticed.unwrap_or_default() - heard;
        assert!(
            (SILENCE_LIMIT_MS..SILENCE_LIMIT_MS + 500).contains(&after),
            "noticed after {after} ms"
        );
        s.disconnected();
        assert_eq!(s.state(), &ConnState::Offline);
        // A new connection starts with a clean slate: not silent before its Welcome.
        let _ = s.hello(&doc);
        assert!(!s.tick(now + 10_000).silent);
    }

    #[test]
    fn offline_ops_queue_and_go_out_after_welcome() {
        let mut s = participant("p");
        let doc = doc_with("p", &[op("p", 1), op("p", 2)]);
        let out = s.push_local([op("p", 1), op("p", 2)], 0);
        assert!(out.send.is_empty());
        assert_eq!(s.unacked_count(), 2);
        assert_eq!(s.state(), &ConnState::Offline);

        let hello = s.hello(&doc);
        assert!(
            matches!(hello, ClientMsg::Hello { protocol_version: 1, ref version_vector, .. }
            if version_vector.get(&ActorId::new("p")) == 2)
        );
        // Still nothing before the Welcome.
        assert!(s.push_local([], 10).send.is_empty());

        let out = s.handle(welcome(VersionVector::default()), &doc, 20);
        assert_eq!(s.state(), &ConnState::Connected);
        assert_eq!(s.online(), 3);
        assert!(matches!(
            out.send[0],
            ClientMsg::Ping { client_time_ms: 20 }
        ));
        assert_eq!(sent_ids(&out), [("p".into(), 1), ("p".into(), 2)]);

        let out = s.handle(
            ServerMsg::Ack {
                op_ids: vec![op("p", 1).id, op("p", 2).id],
            },
            &doc,
            30,
        );
        assert_eq!(out.acked, 2);
        assert_eq!(s.unacked_count(), 0);
    }

    #[test]
    fn connected_ops_go_out_at_once_and_are_not_sent_twice() {
        let mut s = participant("p");
        let doc = doc_with("p", &[]);
        s.hello(&doc);
        s.handle(welcome(VersionVector::default()), &doc, 0);
        let out = s.push_local([op("p", 1)], 5);
        assert_eq!(sent_ids(&out), [("p".into(), 1)]);
        // In flight: neither another push nor an early tick resends it.
        assert!(sent_ids(&s.push_local([op("p", 1)], 6)).is_empty());
        assert!(sent_ids(&s.tick(100)).is_empty());
        // Not acked for RESEND_AFTER_MS, while the relay still answers heartbeats: sent
        // again (same id, so the relay dedups).
        let pong = ServerMsg::Pong {
            client_time_ms: 0,
            server_time_ms: 0,
        };
        s.handle(pong, &doc, RESEND_AFTER_MS);
        assert_eq!(sent_ids(&s.tick(5 + RESEND_AFTER_MS)), [("p".into(), 1)]);
    }

    #[test]
    fn reconnect_resends_unacked_and_drops_what_the_relay_already_has() {
        let mut s = participant("p");
        let ops = [op("p", 1), op("p", 2), op("p", 3)];
        let doc = doc_with("p", &ops);
        s.hello(&doc);
        s.handle(welcome(VersionVector::default()), &doc, 0);
        s.push_local(ops.clone(), 1);
        // Connection drops before any ack arrives, but the relay had stored 1 and 2.
        s.disconnected();
        assert_eq!(s.state(), &ConnState::Offline);
        assert_eq!(s.unacked_count(), 3);
        s.hello(&doc);
        let out = s.handle(welcome(vv(&[("p", 2)])), &doc, 50);
        assert_eq!(out.acked, 2);
        assert_eq!(sent_ids(&out), [("p".into(), 3)]);
        assert_eq!(s.unacked_count(), 1);
    }

    #[test]
    fn welcome_also_sends_what_the_relay_lacks_beyond_the_outbox() {
        // A facilitator whose doc holds ops from another window (actor "w") that never
        // reached the relay.
        let mut s = ClientSession::new(
            RoomId::from_random([1; 16]),
            Credential::Facilitator {
                key: FacilitatorKey::from_random([4; 32]),
            },
        );
        let doc = doc_with("f", &[op("f", 1), op("w", 1), op("w", 2)]);
        s.push_local([op("f", 1)], 0);
        s.hello(&doc);
        let out = s.handle(welcome(vv(&[("w", 1)])), &doc, 1);
        assert_eq!(sent_ids(&out), [("f".into(), 1), ("w".into(), 2)]);
    }

    #[test]
    fn participants_never_send_other_actors_ops() {
        let mut s = participant("p");
        let doc = doc_with("p", &[op("p", 1), op("f", 1)]);
        s.push_local([op("f", 9)], 0);
        assert_eq!(s.unacked_count(), 0);
        s.hello(&doc);
        let out = s.handle(welcome(VersionVector::default()), &doc, 1);
        assert_eq!(sent_ids(&out), [("p".into(), 1)]);
    }

    #[test]
    fn inbound_ops_are_returned_for_applying() {
        let mut s = participant("p");
        let doc = doc_with("p", &[]);
        let out = s.handle(
            ServerMsg::Ops {
                ops: vec![op("q", 1)],
            },
            &doc,
            0,
        );
        assert_eq!(out.apply, vec![op("q", 1)]);
    }

    #[test]
    fn rejected_ops_leave_the_outbox_and_are_never_resent() {
        let mut s = participant("p");
        let doc = doc_with("p", &[op("p", 1), op("p", 2)]);
        s.hello(&doc);
        s.handle(welcome(VersionVector::default()), &doc, 0);
        s.push_local([op("p", 1), op("p", 2)], 0);
        let out = s.handle(
            ServerMsg::Rejected {
                op_id: op("p", 1).id,
                reason: RejectReason::TooManyNotes { max: 1 },
            },
            &doc,
            1,
        );
        assert_eq!(out.rejected.len(), 1);
        s.handle(
            ServerMsg::Ack {
                op_ids: vec![op("p", 2).id],
            },
            &doc,
            2,
        );
        assert_eq!(s.unacked_count(), 0);
        // The relay's vector has a gap at p-1 forever; the session must not resend it.
        s.disconnected();
        s.hello(&doc);
        let out = s.handle(welcome(VersionVector::default()), &doc, 3);
        assert_eq!(sent_ids(&out), [("p".into(), 2)]);
        // And the rejection survives a reload.
        let restored = ClientSession::restore(s.save());
        assert_eq!(restored.save().rejected, vec![op("p", 1).id]);
    }

    #[test]
    fn rate_limit_holds_sending_then_resends() {
        let mut s = participant("p");
        let doc = doc_with("p", &[]);
        s.hello(&doc);
        s.handle(welcome(VersionVector::default()), &doc, 0);
        assert_eq!(sent_ids(&s.push_local([op("p", 1)], 0)).len(), 1);
        let out = s.handle(
            ServerMsg::Error {
                code: ErrorCode::RateLimited {
                    retry_after_ms: 500,
                },
            },
            &doc,
            10,
        );
        assert!(out.error.is_some());
        assert_eq!(s.state(), &ConnState::Connected);
        assert!(sent_ids(&s.push_local([op("p", 2)], 100)).is_empty());
        assert!(sent_ids(&s.tick(400)).is_empty());
        assert_eq!(sent_ids(&s.tick(510)), [("p".into(), 1), ("p".into(), 2)]);
    }

    #[test]
    fn fatal_errors_fail_the_session() {
        let mut s = participant("p");
        let doc = doc_with("p", &[]);
        s.hello(&doc);
        s.handle(
            ServerMsg::Error {
                code: ErrorCode::BadCredential,
            },
            &doc,
            0,
        );
        s.disconnected();
        assert_eq!(s.state(), &ConnState::Failed(ErrorCode::BadCredential));
    }

    #[test]
    fn a_full_room_is_retried_not_given_up() {
        let mut s = participant("p");
        let doc = doc_with("p", &[]);
        s.hello(&doc);
        let out = s.handle(
            ServerMsg::Error {
                code: ErrorCode::RoomFull { max: 500 },
            },
            &doc,
            0,
        );
        assert_eq!(out.error, Some(ErrorCode::RoomFull { max: 500 }));
        s.disconnected();
        assert_eq!(s.state(), &ConnState::Offline);
    }

    #[test]
    fn the_pseudonym_from_the_welcome_may_send_but_never_in_a_message_with_named_ops() {
        let mut s = participant("p");
        let doc = doc_with("p", &[]);
        s.hello(&doc);
        let mut w = welcome(VersionVector::default());
        if let ServerMsg::Welcome { pseudonym, .. } = &mut w {
            *pseudonym = Some(ActorId::new("anon9"));
        }
        s.handle(w, &doc, 0);
        assert_eq!(s.pseudonym(), Some(&ActorId::new("anon9")));
        let out = s.push_local(
            [
                op("p", 1),
                op("anon9", 1),
                op("p", 2),
                op("anon9", 2),
                op("q", 1),
            ],
            5,
        );
        let messages: Vec<Vec<String>> = out
            .send
            .iter()
            .filter_map(|m| match m {
                ClientMsg::Ops { ops } => {
                    Some(ops.iter().map(|o| o.id.actor.to_string()).collect())
                }
                _ => None,
            })
            .collect();
        assert_eq!(
            messages,
            [
                vec!["p".to_string(), "p".into()],
                vec!["anon9".into(), "anon9".into()]
            ],
            "named first (the join before the bears), another actor's op not at all"
        );
        // Remembered across a reload, so bears written offline still go out.
        let restored = ClientSession::restore(s.save());
        assert_eq!(restored.pseudonym(), Some(&ActorId::new("anon9")));
    }

    #[test]
    fn the_hello_names_the_placeholders_as_ranges() {
        let mut doc = doc_with("p", &[op("a", 1)]);
        for (actor, seq) in [("b", 1), ("b", 2), ("b", 3), ("b", 5), ("c", 1)] {
            doc.receive(&Op::placeholder_of(&op(actor, seq).id))
                .expect("placeholder");
        }
        let mut s = participant("p");
        let ClientMsg::Hello { withheld, .. } = s.hello(&doc) else {
            panic!("a hello");
        };
        let b = ActorId::new("b");
        assert_eq!(
            withheld,
            [
                WithheldRange(b.clone(), 1, 3),
                WithheldRange(b, 5, 5),
                WithheldRange(ActorId::new("c"), 1, 1)
            ]
        );
        // Without placeholders the field is left out of the JSON altogether.
        let plain = participant("p").hello(&doc_with("p", &[]));
        assert!(!plain.to_json().contains("withheld"));
    }

    #[test]
    fn outbox_survives_a_reload_as_json() {
        let mut s = participant("p");
        s.push_local([op("p", 1), op("p", 2)], 0);
        let json = serde_json::to_string(&s.save()).expect("json");
        let back: SavedSession = serde_json::from_str(&json).expect("parse");
        let mut r = ClientSession::restore(back);
        assert_eq!(r.unacked_count(), 2);
        let doc = doc_with("p", &[op("p", 1), op("p", 2)]);
        r.hello(&doc);
        let out = r.handle(welcome(VersionVector::default()), &doc, 0);
        assert_eq!(sent_ids(&out).len(), 2);
    }

    #[test]
    fn clock_pings_fast_then_at_the_heartbeat_and_pongs_set_the_offset() {
        let mut s = participant("p");
        let doc = doc_with("p", &[]);
        assert!(s.tick(0).send.is_empty(), "no pings while offline");
        s.hello(&doc);
        s.handle(welcome(VersionVector::default()), &doc, 0);
        let mut pings = 1; // the Welcome's
        let mut now = 0;
        while now < 60_000 {
            now += 100;
            for m in s.tick(now).send {
                if let ClientMsg::Ping { client_time_ms } = m {
                    pings += 1;
                    // The relay is 2 s ahead; 20 ms round trip.
                    s.handle(
                        ServerMsg::Pong {
                            client_time_ms,
                            server_time_ms: client_time_ms + 2_010,
                        },
                        &doc,
                        client_time_ms + 20,
                    );
                }
            }
        }
        // 5 fast samples (~4 s), then one per heartbeat (1.5 s) for the other 56 s.
        assert!((40..=44).contains(&pings), "{pings}");
        assert_eq!(s.clock().offset_ms(), Some(2_000));
        assert_eq!(s.server_now(1_000), 3_000);
    }

    #[test]
    fn retry_delays_back_off_and_reset_on_welcome() {
        let mut s = participant("p");
        let doc = doc_with("p", &[]);
        s.disconnected();
        assert_eq!(s.retry_delay_ms(1.0), 500);
        s.disconnected();
        s.disconnected();
        assert_eq!(s.retry_delay_ms(1.0), 2_000);
        s.hello(&doc);
        s.handle(welcome(VersionVector::default()), &doc, 0);
        s.disconnected();
        assert_eq!(s.retry_delay_ms(1.0), 500);
    }

    #[test]
    fn oversized_ops_are_reported_and_a_refusal_marker_is_sent_in_their_place() {
        let mut s = participant("p");
        let doc = doc_with("p", &[]);
        s.hello(&doc);
        s.handle(welcome(VersionVector::default()), &doc, 0);
        let mut big = op("p", 1);
        big.body = OpBody::CreateNote {
            board: BoardKind::Brainstorm,
            group: None,
            category: None,
            text: "x".repeat(MAX_MESSAGE_BYTES),
            colour: Colour::default(),
            order: "m".into(),
        };
        let out = s.push_local([big.clone()], 0);
        let sent: Vec<&Op> = out
            .send
            .iter()
            .flat_map(|m| match m {
                ClientMsg::Ops { ops } => ops.iter().collect(),
                _ => Vec::new(),
            })
            .collect();
        assert_eq!(
            sent,
            vec![&Op::refusal_of(&big)],
            "only the marker goes out"
        );
        assert!(matches!(out.rejected[0].1, RejectReason::TooLarge { .. }));
        assert!(out.rejected[0].1.leaves_marker());
        assert_eq!(s.unacked_count(), 1, "the marker waits for its ack");
        let out = s.handle(
            ServerMsg::Ack {
                op_ids: vec![big.id.clone()],
            },
            &doc,
            1,
        );
        assert_eq!((out.acked, s.unacked_count()), (1, 0));
    }
}
