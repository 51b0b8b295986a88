//! Fractional indexing: order keys that let an item move between two others by writing
//! only its own key, so concurrent moves never renumber (and never conflict on) siblings.
//!
//! A key is a non-empty string over the 62 ASCII digits `0-9A-Za-z` (in byte order) that
//! does not end in `0`; it reads as the fraction `0.key` in base 62. Equal keys can arise
//! when two replicas insert at the same spot concurrently; lists therefore sort by
//! `(key, id)`, which is still deterministic.

use crate::command::Place;

const DIGITS: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BASE: usize = 62;

fn digit_value(c: u8) -> usize {
    match c {
        b'0'..=b'9' => (c - b'0') as usize,
        b'A'..=b'Z' => (c - b'A') as usize + 10,
        b'a'..=b'z' => (c - b'a') as usize + 36,
        // Not a key digit: only reachable with corrupted input, which must not panic.
        _ => 0,
    }
}

/// Longest order key. Keys only grow by appending to a list (about one digit per 60 notes
/// written one after another, see [`APPEND_STEP_FROM`]), so this holds lists of tens of
/// thousands, above what any room may hold of one participant's making.
pub const MAX_KEY_LEN: usize = 1024;

/// Whether `key` is a well-formed order key.
pub fn is_valid(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= MAX_KEY_LEN
        && key.bytes().all(|c| c.is_ascii_alphanumeric())
        && !key.ends_with('0')
}

/// A key strictly between `a` and `b` (`None` meaning the start or the end of the list).
///
/// If the bounds are not in order (equal keys from concurrent inserts, or corrupted
/// input), the result is placed just after `a`, which is the closest honest answer.
pub fn between(a: Option<&str>, b: Option<&str>) -> String {
    let a = a.unwrap_or("").as_bytes();
    let b = b.map(str::as_bytes);
    let b = match b {
        Some(b) if b > a && !b.is_empty() => Some(b),
        _ => None,
    };
    let out = match b {
        None if a.len() >= APPEND_STEP_FROM => after(a),
        _ => midpoint(a, b),
    };
    // `midpoint` only produces bytes taken from `a`, `b` or DIGITS, all ASCII.
    String::from_utf8_lossy(&out).into_owned()
}

/// Keys for `n` items appended in order after `a`.
pub fn sequence_after(a: Option<&str>, n: usize) -> Vec<String> {
    let mut out = Vec::with_capacity(n);
    let mut prev = a.map(str::to_owned);
    for _ in 0..n {
        let k = between(prev.as_deref(), None);
        prev = Some(k.clone());
        out.push(k);
    }
    out
}

/// Key length from which appending steps a digit up instead of halving what is left. Halving
/// spends a digit on every six appends, so a board of 1,500 notes written one after another
/// ran out of key length and refused every new note; stepping spends a digit on sixty.
/// Shorter keys keep halving, so the keys of every template stay what they were.
const APPEND_STEP_FROM: usize = 3;

/// The shortest key after `a` that keeps its digits up to the last one below the greatest
/// digit, with that one raised by one; `a` followed by the smallest digit when every digit
/// is already the greatest.
fn after(a: &[u8]) -> Vec<u8> {
    match a.iter().rposition(|&c| digit_value(c) < BASE - 1) {
        Some(i) => {
            let mut out = a[..i].to_vec();
            out.push(DIGITS[digit_value(a[i]) + 1]);
            out
        }
        None => {
            let mut out = a.to_vec();
            out.push(DIGITS[1]);
            out
        }
    }
}

fn midpoint(a: &[u8], b: Option<&[u8]>) -> Vec<u8> {
    if let Some(b) = b {
        // Copy the common prefix (reading missing digits of `a` as 0), then recurse.
        let mut n = 0;
        while n < b.len() && a.get(n).copied().unwrap_or(b'0') == b[n] {
            n += 1;
        }
        if n > 0 {
            let mut out = b[..n].to_vec();
            out.extend(midpoint(a.get(n..).unwrap_or(&[]), b.get(n..)));
            return out;
        }
    }
    let da = a.first().map_or(0, |&c| digit_value(c));
    let db = match b {
        Some(b) => b.first().map_or(BASE, |&c| digit_value(c)),
        None => BASE,
    };
    if db > da + 1 {
        vec![DIGITS[(da + db) / 2]]
    } else {
        match b {
            // `b` has more digits after its first: its first digit alone lies between.
            Some(b) if b.len() > 1 => vec![b[0]],
            _ => {
                let mut out = vec![DIGITS[da.min(BASE - 1)]];
                out.extend(midpoint(a.get(1..).unwrap_or(&[]), None));
                out
            }
        }
    }
}

/// Where `id` goes to move one step up (`up`) or down in `order` (a list in display
/// order that holds `id`): up, after the item two above it, or at the start when it is
/// second; down, after the item below it. `None` when it cannot move that way (first
/// going up, last going down) or `order` does not hold it. The answer is what
/// `Command::MoveBlock`/`MoveGroup`/`MoveAgreement` take.
pub fn place_one_step<Id: Clone + PartialEq>(order: &[Id], id: &Id, up: bool) -> Option<Place<Id>> {
    let i = order.iter().position(|other| other == id)?;
    if up {
        match i {
            0 => None,
            1 => Some(Place::Start),
            _ => Some(Place::After(order[i - 2].clone())),
        }
    } else {
        order.get(i + 1).map(|next| Place::After(next.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn one_step_up_goes_after_the_item_two_above_or_to_the_start() {
        let order = ["a", "b", "c", "d"];
        assert_eq!(place_one_step(&order, &"c", true), Some(Place::After("a")));
        assert_eq!(place_one_step(&order, &"d", true), Some(Place::After("b")));
        assert_eq!(place_one_step(&order, &"b", true), Some(Place::Start));
    }

    #[test]
    fn one_step_down_goes_after_the_next_item() {
        let order = ["a", "b", "c"];
        assert_eq!(place_one_step(&order, &"a", false), Some(Place::After("b")));
        assert_eq!(place_one_step(&order, &"b", false), Some(Place::After("c")));
    }

    #[test]
    fn the_first_cannot_go_up_nor_the_last_down_nor_an_unknown_id_anywhere() {
        let order = ["a", "b", "c"];
        assert_eq!(place_one_step(&order, &"a", true), None);
        assert_eq!(place_one_step(&order, &"c", false), None);
        assert_eq!(place_one_step(&order, &"x", true), None);
        assert_eq!(place_one_step(&order, &"x", false), None);
        assert_eq!(place_one_step::<&str>(&[], &"a", true), None);
        assert_eq!(place_one_step(&["a"], &"a", false), None);
    }

    #[test]
    fn first_key_is_in_the_middle() {
        assert_eq!(between(None, None), "V");
    }

    #[test]
    fn appending_and_prepending_stay_ordered() {
        let mut keys = vec![between(None, None)];
        for _ in 0..200 {
            let last = keys.last().cloned();
            keys.push(between(last.as_deref(), None));
        }
        for _ in 0..200 {
            let first = keys.first().cloned();
            keys.insert(0, between(None, first.as_deref()));
        }
        for w in keys.windows(2) {
            assert!(w[0] < w[1], "{} < {}", w[0], w[1]);
        }
        assert!(keys.iter().all(|k| is_valid(k)));
    }

    #[test]
    fn thirty_thousand_notes_appended_one_after_another_still_get_valid_keys() {
        let mut last = between(None, None);
        for n in 0..30_000 {
            let next = between(Some(&last), None);
            assert!(next > last, "{next} after {last}");
            assert!(is_valid(&next), "note {n}: {} characters", next.len());
            last = next;
        }
        assert!(last.len() < MAX_KEY_LEN, "{}", last.len());
    }

    #[test]
    fn the_first_appends_keep_their_keys() {
        let keys = sequence_after(None, 9);
        assert_eq!(keys, ["V", "k", "s", "w", "y", "z", "zV", "zk", "zs"]);
    }

    #[test]
    fn repeated_insertion_between_the_same_neighbours_keeps_working() {
        let a = between(None, None);
        let mut b = between(Some(&a), None);
        for _ in 0..500 {
            let m = between(Some(&a), Some(&b));
            assert!(a < m && m < b, "{a} < {m} < {b}");
            assert!(is_valid(&m));
            b = m;
        }
    }

    #[test]
    fn out_of_order_bounds_place_the_key_after_a() {
        let k = between(Some("V"), Some("V"));
        assert!(k.as_str() > "V");
        let k = between(Some("x"), Some("a"));
        assert!(k.as_str() > "x");
    }

    #[test]
    fn garbage_input_does_not_panic() {
        let _ = between(Some("ÿ€"), Some("\u{0}"));
        let _ = between(Some(""), Some(""));
    }

    fn key() -> impl Strategy<Value = String> {
        "[0-9A-Za-z]{0,6}[1-9A-Za-z]"
    }

    proptest! {
        #[test]
        fn between_is_strictly_between(a in key(), b in key()) {
            let (lo, hi) = if a < b { (a, b) } else { (b, a) };
            prop_assume!(lo != hi);
            let m = between(Some(&lo), Some(&hi));
            prop_assert!(lo < m && m < hi, "{} < {} < {}", lo, m, hi);
            prop_assert!(is_valid(&m));
            let after = between(Some(&hi), None);
            prop_assert!(after > hi && is_valid(&after));
            let before = between(None, Some(&lo));
            prop_assert!(before < lo && is_valid(&before));
        }
    }
}
