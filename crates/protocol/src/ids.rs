//! Room identities and secrets. The randomness comes from the caller (the relay uses the OS
//! RNG), so this crate stays deterministic and testable.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};
use thiserror::Error;

#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum IdError {
    #[error("room id must be {len} lowercase hex digits")]
    RoomId { len: usize },
    #[error("join code must be {len} characters from {alphabet}")]
    JoinCode { len: usize, alphabet: &'static str },
    #[error("facilitator key must be {len} lowercase hex digits")]
    FacilitatorKey { len: usize },
    #[error("participant secret must be {min} to {max} characters of [A-Za-z0-9_-]")]
    ParticipantSecret { min: usize, max: usize },
    #[error("remote key must be {len} lowercase hex digits")]
    RemoteKey { len: usize },
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    s
}

fn is_lower_hex(s: &str, len: usize) -> bool {
    s.len() == len
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Implements `Deserialize` through the validating constructor, so an id that arrives over
/// the wire is always well-formed.
macro_rules! validated_string {
    ($name:ident) => {
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                $name::parse(&s).map_err(serde::de::Error::custom)
            }
        }
        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
    };
}

/// A room: 128 random bits as 32 lowercase hex digits. Unguessable, so knowing that a
/// relay exists tells nobody where its rooms are; participants learn it from the join code.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct RoomId(String);
validated_string!(RoomId);

impl RoomId {
    pub const LEN: usize = 32;

    pub fn from_random(bytes: [u8; 16]) -> Self {
        Self(hex(&bytes))
    }

    pub fn parse(s: &str) -> Result<Self, IdError> {
        if is_lower_hex(s, Self::LEN) {
            Ok(Self(s.to_owned()))
        } else {
            Err(IdError::RoomId { len: Self::LEN })
        }
    }
}

impl fmt::Display for RoomId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The short code people type or scan: 6 characters from an alphabet without look-alikes
/// (no 0/O, 1/I/L), so a code read off a projector across the room is typed correctly.
/// It only finds the room; it grants nothing beyond joining as a participant.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct JoinCode(String);
validated_string!(JoinCode);

impl JoinCode {
    pub const LEN: usize = 6;
    pub const ALPHABET: &'static str = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

    /// A code from 64 random bits: 31^6 ≈ 8.9e8 codes, and the bias of taking a u64 modulo
    /// 31 repeatedly is below 2^-34, far under anything observable.
    pub fn from_random(mut r: u64) -> Self {
        let alphabet = Self::ALPHABET.as_bytes();
        let n = alphabet.len() as u64;
        let mut s = String::with_capacity(Self::LEN);
        for _ in 0..Self::LEN {
            // `r % n` < 31, so the index is in range.
            s.push(char::from(alphabet[(r % n) as usize]));
            r /= n;
        }
        Self(s)
    }

    /// Accepts what people type: any case, surrounding spaces, a dash or space in the
    /// middle ("abc-def", "ABC DEF").
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let code: String = s
            .trim()
            .chars()
            .filter(|c| *c != '-' && *c != ' ')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if code.chars().count() == Self::LEN && code.chars().all(|c| Self::ALPHABET.contains(c)) {
            Ok(Self(code))
        } else {
            Err(IdError::JoinCode {
                len: Self::LEN,
                alphabet: Self::ALPHABET,
            })
        }
    }
}

impl fmt::Display for JoinCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whoever holds this may act as facilitator in the room: 256 random bits as hex. Kept in
/// the facilitator's browser; never sent to participants.
#[derive(Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct FacilitatorKey(String);
validated_string!(FacilitatorKey);

impl FacilitatorKey {
    pub const LEN: usize = 64;

    pub fn from_random(bytes: [u8; 32]) -> Self {
        Self(hex(&bytes))
    }

    pub fn parse(s: &str) -> Result<Self, IdError> {
        if is_lower_hex(s, Self::LEN) {
            Ok(Self(s.to_owned()))
        } else {
            Err(IdError::FacilitatorKey { len: Self::LEN })
        }
    }

    /// Constant-time comparison, so response timing does not leak how many leading
    /// characters of a guess were right.
    pub fn matches(&self, other: &FacilitatorKey) -> bool {
        constant_time_eq(self.0.as_bytes(), other.0.as_bytes())
    }
}

/// Secrets stay out of logs.
impl fmt::Debug for FacilitatorKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FacilitatorKey(…)")
    }
}

/// The phone remote's key: whoever holds it may steer the room as a facilitator device
/// (its own actor), until the facilitator revokes it. 256 random bits as hex, made by the
/// console and registered with the relay by the facilitator key; shown only in the console
/// (as a link and QR code), never sent to participants.
#[derive(Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct RemoteKey(String);
validated_string!(RemoteKey);

impl RemoteKey {
    pub const LEN: usize = 64;

    pub fn from_random(bytes: [u8; 32]) -> Self {
        Self(hex(&bytes))
    }

    pub fn parse(s: &str) -> Result<Self, IdError> {
        if is_lower_hex(s, Self::LEN) {
            Ok(Self(s.to_owned()))
        } else {
            Err(IdError::RemoteKey { len: Self::LEN })
        }
    }
}

impl fmt::Debug for RemoteKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RemoteKey(…)")
    }
}

/// A participant device's proof that it is the actor it claims to be. Actor ids are public
/// (every op and note carries its author), so without this anyone in the room could write
/// as anyone else. The relay binds the first secret it sees for an actor and refuses a
/// different one afterwards (trust on first use). Made by the browser from
/// `crypto.getRandomValues` and kept next to its actor id.
#[derive(Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct ParticipantSecret(String);
validated_string!(ParticipantSecret);

impl ParticipantSecret {
    pub const MIN: usize = 16;
    pub const MAX: usize = 128;

    pub fn from_random(bytes: [u8; 16]) -> Self {
        Self(hex(&bytes))
    }

    pub fn parse(s: &str) -> Result<Self, IdError> {
        let ok = (Self::MIN..=Self::MAX).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(IdError::ParticipantSecret {
                min: Self::MIN,
                max: Self::MAX,
            })
        }
    }

    pub fn matches(&self, other: &ParticipantSecret) -> bool {
        constant_time_eq(self.0.as_bytes(), other.0.as_bytes())
    }
}

impl fmt::Debug for ParticipantSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ParticipantSecret(…)")
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn room_ids_are_128_bits_of_hex_and_validated() {
        let id = RoomId::from_random([0xab; 16]);
        assert_eq!(id.as_str().len(), 32);
        assert_eq!(RoomId::parse(id.as_str()), Ok(id.clone()));
        assert!(RoomId::parse("../etc/passwd").is_err());
        assert!(RoomId::parse(&id.as_str().to_uppercase()).is_err());
        let json = serde_json::to_string(&id).expect("json");
        assert_eq!(serde_json::from_str::<RoomId>(&json).expect("back"), id);
        assert!(serde_json::from_str::<RoomId>("\"short\"").is_err());
    }

    #[test]
    fn join_codes_use_the_unambiguous_alphabet() {
        for c in ['0', 'O', '1', 'I', 'L'] {
            assert!(!JoinCode::ALPHABET.contains(c), "{c}");
        }
        for r in [0, 1, u64::MAX, 0x1234_5678_9abc_def0] {
            let code = JoinCode::from_random(r);
            assert_eq!(code.as_str().len(), 6);
            assert_eq!(JoinCode::parse(code.as_str()), Ok(code));
        }
        assert_ne!(JoinCode::from_random(1), JoinCode::from_random(2));
    }

    #[test]
    fn join_codes_parse_what_people_type() {
        let want = JoinCode::parse("ABCDEF").expect("valid");
        for typed in ["abcdef", " abc-def ", "ABC DEF", "aBc-DeF"] {
            assert_eq!(JoinCode::parse(typed).as_ref(), Ok(&want), "{typed}");
        }
        for bad in ["", "ABCDE", "ABCDEFG", "ABCDE0", "ABCDEI", "ÄBCDEF"] {
            assert!(JoinCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn secrets_compare_and_never_print() {
        let a = FacilitatorKey::from_random([7; 32]);
        let b = FacilitatorKey::from_random([8; 32]);
        assert!(a.matches(&a.clone()));
        assert!(!a.matches(&b));
        assert_eq!(format!("{a:?}"), "FacilitatorKey(…)");
        let s = ParticipantSecret::from_random([1; 16]);
        assert!(s.matches(&s.clone()));
        assert!(ParticipantSecret::parse("short").is_err());
        assert!(ParticipantSecret::parse("has spaces in it, too many").is_err());
        assert_eq!(format!("{s:?}"), "ParticipantSecret(…)");
    }
}
