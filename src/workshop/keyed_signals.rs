//! Values by key, each behind a signal of its own, for lists of many cards: a workshop
//! listener hands in what changed, and only the cards of those keys are woken (a shared
//! memo would wake every card on every change; see `replica.rs`).

use std::collections::HashMap;
use std::hash::Hash;

use leptos::prelude::*;

struct Inner<K, V> {
    values: HashMap<K, V>,
    /// Only for keys a card asked for; most keys never get one.
    signals: HashMap<K, ArcRwSignal<V>>,
}

/// Per-key signals. `Copy`; lives as long as the owner that made it (the board view).
pub struct KeyedSignals<K: 'static, V: 'static> {
    inner: StoredValue<Inner<K, V>, LocalStorage>,
}

impl<K: 'static, V: 'static> Clone for KeyedSignals<K, V> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<K: 'static, V: 'static> Copy for KeyedSignals<K, V> {}

impl<K, V> KeyedSignals<K, V>
where
    K: Clone + Eq + Hash + 'static,
    V: Clone + Default + PartialEq + Send + Sync + 'static,
{
    pub fn new(values: HashMap<K, V>) -> Self {
        Self {
            inner: StoredValue::new_local(Inner {
                values,
                signals: HashMap::new(),
            }),
        }
    }

    /// The value of `key` (the default while there is none), as a signal that changes
    /// only when this key's value does.
    pub fn get(&self, key: &K) -> Signal<V> {
        let signal = self
            .inner
            .try_update_value(|inner| {
                if let Some(signal) = inner.signals.get(key) {
                    return signal.clone();
                }
                let signal = ArcRwSignal::new(inner.values.get(key).cloned().unwrap_or_default());
                inner.signals.insert(key.clone(), signal.clone());
                signal
            })
            .unwrap_or_else(|| ArcRwSignal::new(V::default()));
        signal.into()
    }

    /// Reads the current values without subscribing (to work out what changed).
    pub fn with_values<R>(&self, read: impl FnOnce(&HashMap<K, V>) -> R) -> Option<R> {
        self.inner.try_with_value(|inner| read(&inner.values))
    }

    /// Sets the keys that changed (`None`: the key is gone) and wakes their cards only.
    pub fn apply(&self, changes: Vec<(K, Option<V>)>) {
        let woken: Vec<(ArcRwSignal<V>, V)> = self
            .inner
            .try_update_value(|inner| {
                let mut woken = Vec::new();
                for (key, value) in changes {
                    let shown = value.clone().unwrap_or_default();
                    match value {
                        Some(value) => inner.values.insert(key.clone(), value),
                        None => inner.values.remove(&key),
                    };
                    if let Some(signal) = inner.signals.get(&key) {
                        woken.push((signal.clone(), shown));
                    }
                }
                woken
            })
            .unwrap_or_default();
        // Set outside the borrow: a woken card may ask for another key right away.
        for (signal, value) in woken {
            if signal.with_untracked(|current| *current != value) {
                signal.set(value);
            }
        }
    }

    /// Replaces every value by `next`, waking only the keys whose value changed.
    pub fn replace_all(&self, mut next: HashMap<K, V>) {
        let changes = self
            .inner
            .try_with_value(|inner| {
                let mut changes: Vec<(K, Option<V>)> = inner
                    .values
                    .iter()
                    .filter(|(key, _)| !next.contains_key(key))
                    .map(|(key, _)| (key.clone(), None))
                    .collect();
                for (key, value) in next.drain() {
                    if inner.values.get(&key) != Some(&value) {
                        changes.push((key, Some(value)));
                    }
                }
                changes
            })
            .unwrap_or_default();
        if !changes.is_empty() {
            self.apply(changes);
        }
    }
}
