//! Last-writer-wins register: the building block of every mutable field.

use std::ops::Deref;

use serde::{Deserialize, Serialize};

use crate::ids::Stamp;

/// A value with the stamp of the write that produced it. A write is taken only when its
/// stamp is greater than the current one, so applying writes in any order, any number of
/// times, leaves the same value: the register is a join-semilattice. Serialised as
/// `{"v": value, "s": stamp}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lww<T> {
    #[serde(rename = "v")]
    pub value: T,
    #[serde(rename = "s")]
    pub stamp: Stamp,
}

impl<T> Lww<T> {
    /// A register holding `value` as written at the beginning of time (loses to any write).
    pub fn initial(value: T) -> Self {
        Self {
            value,
            stamp: Stamp::default(),
        }
    }

    /// Take `value` if `stamp` is newer than the current write. Returns whether it did.
    pub fn set(&mut self, value: T, stamp: &Stamp) -> bool {
        if *stamp > self.stamp {
            self.value = value;
            self.stamp = stamp.clone();
            true
        } else {
            false
        }
    }

    pub fn get(&self) -> &T {
        &self.value
    }
}

impl<T> Deref for Lww<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{ActorId, Hlc};

    fn stamp(wall: i64, actor: &str) -> Stamp {
        Stamp {
            hlc: Hlc {
                wall_ms: wall,
                counter: 0,
            },
            actor: ActorId::new(actor),
            seq: 1,
        }
    }

    #[test]
    fn later_write_wins_regardless_of_arrival_order() {
        let mut a = Lww::initial(0);
        a.set(1, &stamp(10, "x"));
        a.set(2, &stamp(20, "x"));
        let mut b = Lww::initial(0);
        b.set(2, &stamp(20, "x"));
        b.set(1, &stamp(10, "x"));
        assert_eq!(a, b);
        assert_eq!(*a, 2);
    }

    #[test]
    fn equal_clocks_are_broken_by_actor() {
        let mut a = Lww::initial("");
        a.set("from-a", &stamp(10, "a"));
        a.set("from-b", &stamp(10, "b"));
        let mut b = Lww::initial("");
        b.set("from-b", &stamp(10, "b"));
        b.set("from-a", &stamp(10, "a"));
        assert_eq!(a, b);
        assert_eq!(*a, "from-b");
    }
}
