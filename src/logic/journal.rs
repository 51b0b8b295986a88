//! One window's journal of one workshop in browser storage: the ops it saved since it last
//! rewrote the snapshot, kept as the JSON text of the journal key. Appending one op costs
//! rewriting this small text instead of a snapshot of a megabyte; past [`JOURNAL_LIMIT`]
//! the journal is folded into the snapshot. Plain data: the session owns its journal and
//! `workshop::library` does the storage.

use bijeen_core::{Doc, VersionVector};

/// A journal longer than this (in bytes of JSON, about two hundred notes) is folded into
/// the snapshot: appending rewrites the journal, so it must stay small, and the snapshot
/// is rewritten once per that many ops instead of once per op.
pub const JOURNAL_LIMIT: usize = 32 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Journal {
    /// The ops of the journal key, as JSON joined by commas (the key holds `[text]`).
    text: String,
    /// Ops that need no copy in this journal: saved by this window, or counted in a
    /// version another window wrote after saving them.
    stored: VersionVector,
}

/// What saving a replica asks of storage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JournalStep {
    /// Storage has everything.
    Nothing,
    /// Write `[text]` under the journal key (then [`Journal::appended`]).
    Append(String),
    /// Write the whole snapshot instead (then [`Journal::folded`]).
    Fold,
}

impl Journal {
    /// The journal right after the snapshot took everything `doc` has.
    pub fn folded(doc: &Doc) -> Self {
        Self {
            text: String::new(),
            stored: doc.version_vector().clone(),
        }
    }

    /// Another window announced it stored everything `announced` counts: those ops need
    /// no copy here.
    pub fn heard_stored(&mut self, announced: &VersionVector) {
        for (actor, seq) in &announced.0 {
            let known = self.stored.0.entry(actor.clone()).or_default();
            *known = (*known).max(*seq);
        }
    }

    /// What saving `doc` takes: nothing, the journal with the new ops appended, or (past
    /// the limit: many notes, or a catch-up of thousands of ops in one go) a fold.
    pub fn next_step(&self, doc: &Doc) -> Result<JournalStep, serde_json::Error> {
        let new = doc.missing_for(&self.stored);
        if new.is_empty() {
            return Ok(JournalStep::Nothing);
        }
        let mut text = self.text.clone();
        for op in &new {
            if !text.is_empty() {
                text.push(',');
            }
            text.push_str(&serde_json::to_string(op)?);
            if text.len() > JOURNAL_LIMIT {
                return Ok(JournalStep::Fold);
            }
        }
        Ok(JournalStep::Append(text))
    }

    /// The appended text is stored. Kept in memory only then: a refused write (a full
    /// quota) leaves the journal as it was, and the next save tries these ops again.
    pub fn appended(&mut self, text: String, doc: &Doc) {
        self.text = text;
        self.stored = doc.version_vector().clone();
    }

    /// The key's content for `text` from [`JournalStep::Append`].
    pub fn key_value(text: &str) -> String {
        format!("[{text}]")
    }
}

#[cfg(test)]
mod tests {
    use bijeen_core::{ActorId, BoardKind, Command, Op, Role};

    use super::*;

    fn add(doc: &mut Doc, text: &str) -> Vec<Op> {
        doc.execute(
            &Command::AddNote {
                board: BoardKind::Brainstorm,
                text: text.into(),
                category: None,
                group: None,
                colour: None,
            },
            Role::Facilitator,
            1_000,
        )
        .expect("a valid note")
    }

    fn step(journal: &Journal, doc: &Doc) -> JournalStep {
        journal.next_step(doc).expect("ops serialise")
    }

    fn ops_in(value: &str) -> Vec<Op> {
        serde_json::from_str(value).expect("the journal key holds a JSON array of ops")
    }

    #[test]
    fn each_save_appends_only_the_new_ops_and_the_key_reads_back_as_every_op_since_the_fold() {
        let mut doc = Doc::new(ActorId::new("w1"));
        let mut journal = Journal::folded(&doc);
        assert_eq!(step(&journal, &doc), JournalStep::Nothing);
        let first = add(&mut doc, "een");
        let JournalStep::Append(text) = step(&journal, &doc) else {
            panic!("a small change appends");
        };
        assert_eq!(ops_in(&Journal::key_value(&text)), first);
        journal.appended(text, &doc);
        let second = add(&mut doc, "twee");
        let JournalStep::Append(text) = step(&journal, &doc) else {
            panic!("a small change appends");
        };
        let stored = ops_in(&Journal::key_value(&text));
        assert_eq!(stored, [first, second].concat());
    }

    #[test]
    fn a_write_that_failed_is_tried_again_with_the_next_save() {
        let mut doc = Doc::new(ActorId::new("w1"));
        let journal = Journal::folded(&doc);
        let first = add(&mut doc, "een");
        // Not `appended`: storage refused the write.
        let _ = step(&journal, &doc);
        let second = add(&mut doc, "twee");
        let JournalStep::Append(text) = step(&journal, &doc) else {
            panic!("a small change appends");
        };
        assert_eq!(ops_in(&Journal::key_value(&text)), [first, second].concat());
    }

    #[test]
    fn ops_another_window_stored_need_no_copy() {
        let mut there = Doc::new(ActorId::new("w2"));
        let theirs = add(&mut there, "van daar");
        let mut doc = Doc::new(ActorId::new("w1"));
        let mut journal = Journal::folded(&doc);
        for op in &theirs {
            doc.receive(op).expect("a valid op");
        }
        journal.heard_stored(there.version_vector());
        assert_eq!(step(&journal, &doc), JournalStep::Nothing);
    }

    #[test]
    fn a_journal_past_its_limit_is_folded_into_the_snapshot() {
        let mut doc = Doc::new(ActorId::new("w1"));
        let journal = Journal::folded(&doc);
        let long = "x".repeat(400);
        for _ in 0..(JOURNAL_LIMIT / 400 + 1) {
            add(&mut doc, &long);
        }
        assert_eq!(step(&journal, &doc), JournalStep::Fold);
    }
}
