//! Credentials at rest: the relay keeps (in SQLite and in memory) only a hash of each
//! facilitator key and participant secret, so a copy of `relay.db` or a memory dump does
//! not let anyone act in a room.
//!
//! Plain SHA-256 is the right tool here, not a password hash (Argon2, bcrypt): both kinds of
//! credential are random values made by a machine (a facilitator key is 256 bits from the
//! OS RNG, a participant secret 128 bits from the browser's `crypto.getRandomValues`), so
//! there is nothing to brute-force that a slow hash would protect, and a slow hash would
//! make every Hello an expensive operation anyone can trigger. A domain-separation prefix
//! per kind keeps a key's hash from ever being accepted as a participant's, and keeps these
//! digests distinct from any other SHA-256 of the same string.

use std::fmt;

use bijeen_protocol::{FacilitatorKey, ParticipantSecret, RemoteKey};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

const KEY_DOMAIN: &[u8] = b"bijeen facilitator-key v1\0";
const PARTICIPANT_DOMAIN: &[u8] = b"bijeen participant-secret v1\0";
const REMOTE_DOMAIN: &[u8] = b"bijeen remote-key v1\0";
/// Stored form: this prefix and 64 lowercase hex digits. The prefix tells a hash from the
/// plaintext that databases before schema version 1 held.
const STORED_PREFIX: &str = "sha256:";

/// The SHA-256 of a credential, with its kind's domain prefix.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretHash([u8; 32]);

impl SecretHash {
    pub fn of_key(key: &FacilitatorKey) -> Self {
        Self::of_key_str(key.as_str())
    }

    pub fn of_participant(secret: &ParticipantSecret) -> Self {
        Self::of_participant_str(secret.as_str())
    }

    pub fn of_remote(key: &RemoteKey) -> Self {
        Self::digest(REMOTE_DOMAIN, key.as_str())
    }

    /// For migrating a plaintext key read from an old database.
    pub fn of_key_str(key: &str) -> Self {
        Self::digest(KEY_DOMAIN, key)
    }

    /// For migrating a plaintext secret read from an old database.
    pub fn of_participant_str(secret: &str) -> Self {
        Self::digest(PARTICIPANT_DOMAIN, secret)
    }

    fn digest(domain: &[u8], value: &str) -> Self {
        let mut h = Sha256::new();
        h.update(domain);
        h.update(value.as_bytes());
        Self(h.finalize().into())
    }

    /// Constant time, so timing says nothing about how close a guess came.
    pub fn verify_key(&self, key: &FacilitatorKey) -> bool {
        self.0.ct_eq(&Self::of_key(key).0).into()
    }

    pub fn verify_remote(&self, key: &RemoteKey) -> bool {
        self.0.ct_eq(&Self::of_remote(key).0).into()
    }

    pub fn verify_participant(&self, secret: &ParticipantSecret) -> bool {
        self.0.ct_eq(&Self::of_participant(secret).0).into()
    }

    /// The text stored in SQLite.
    pub fn to_stored(&self) -> String {
        let mut s = String::with_capacity(STORED_PREFIX.len() + 64);
        s.push_str(STORED_PREFIX);
        for b in self.0 {
            s.push(char::from(HEX[usize::from(b >> 4)]));
            s.push(char::from(HEX[usize::from(b & 0xf)]));
        }
        s
    }

    /// Parses [`Self::to_stored`]'s output; `None` for anything else (plaintext included).
    pub fn from_stored(s: &str) -> Option<Self> {
        let hex = s.strip_prefix(STORED_PREFIX)?.as_bytes();
        if hex.len() != 64 {
            return None;
        }
        let mut out = [0u8; 32];
        for (byte, pair) in out.iter_mut().zip(hex.chunks_exact(2)) {
            *byte = (nibble(pair[0])? << 4) | nibble(pair[1])?;
        }
        Some(Self(out))
    }

    /// Whether a stored value is already a hash (as opposed to an old plaintext secret).
    pub fn is_stored_hash(s: &str) -> bool {
        Self::from_stored(s).is_some()
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn nibble(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    }
}

/// Hashes stay out of logs too.
impl fmt::Debug for SecretHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretHash(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifies_only_the_right_credential_of_the_right_kind() {
        let key = FacilitatorKey::from_random([7; 32]);
        let other = FacilitatorKey::from_random([8; 32]);
        let h = SecretHash::of_key(&key);
        assert!(h.verify_key(&key));
        assert!(!h.verify_key(&other));

        let secret = ParticipantSecret::from_random([7; 16]);
        let p = SecretHash::of_participant(&secret);
        assert!(p.verify_participant(&secret));
        assert!(!p.verify_participant(&ParticipantSecret::from_random([9; 16])));

        // The same text as the other kind of credential does not pass.
        let same_text =
            ParticipantSecret::parse(key.as_str()).expect("64 hex digits is a valid secret");
        assert!(!h.verify_participant(&same_text));

        // A remote key is not the facilitator key of the same text, nor the reverse.
        let remote = RemoteKey::parse(key.as_str()).expect("64 hex digits is a valid remote key");
        let r = SecretHash::of_remote(&remote);
        assert!(r.verify_remote(&remote));
        assert!(!r.verify_remote(&RemoteKey::from_random([8; 32])));
        assert!(!h.verify_remote(&remote));
        assert!(!r.verify_key(&key));
    }

    #[test]
    fn stored_form_round_trips_and_is_not_the_plaintext() {
        let key = FacilitatorKey::from_random([1; 32]);
        let h = SecretHash::of_key(&key);
        let stored = h.to_stored();
        assert!(stored.starts_with("sha256:"));
        assert_eq!(stored.len(), 7 + 64);
        assert!(!stored.contains(key.as_str()));
        assert_eq!(SecretHash::from_stored(&stored), Some(h));
        assert!(SecretHash::is_stored_hash(&stored));
        assert!(!SecretHash::is_stored_hash(key.as_str()));
        assert_eq!(SecretHash::from_stored("sha256:xyz"), None);
        assert_eq!(SecretHash::from_stored(&stored.to_uppercase()), None);
    }

    #[test]
    fn migrating_plaintext_gives_the_hash_of_the_parsed_credential() {
        let key = FacilitatorKey::from_random([3; 32]);
        assert_eq!(
            SecretHash::of_key_str(key.as_str()),
            SecretHash::of_key(&key)
        );
        let secret = ParticipantSecret::from_random([3; 16]);
        assert_eq!(
            SecretHash::of_participant_str(secret.as_str()),
            SecretHash::of_participant(&secret)
        );
    }
}
