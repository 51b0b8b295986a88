//! The version vector: what a replica has counted, per actor, for catch-up.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ids::ActorId;

/// Highest contiguous sequence number seen per actor. Ops beyond a gap are kept (and
/// applied) but not counted, so a peer asking with this vector is sent the gap again.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct VersionVector(pub BTreeMap<ActorId, u64>);

impl VersionVector {
    pub fn get(&self, actor: &ActorId) -> u64 {
        self.0.get(actor).copied().unwrap_or(0)
    }

    /// Whether every op counted in `other` is counted here.
    pub fn includes(&self, other: &VersionVector) -> bool {
        other.0.iter().all(|(a, s)| self.get(a) >= *s)
    }
}
