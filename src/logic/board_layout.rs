//! The shape of a brainstorm board as plain data: which notes stand in which column, the
//! stacks, the chunks a column is listed in. The board's signals hand it out in pieces
//! (`brainstorm::BoardLayout`).

use std::collections::{BTreeMap, HashMap};

use bijeen_core::{BoardKind, GroupId, Note, NoteId, Workshop};

use crate::logic::board_order::BoardOrder;

/// Top-level notes per chunk: the unit a column's list is built from. A column is a list
/// of chunks and each chunk a keyed list of at most this many notes, so a new note at the
/// end of a column of a thousand re-lists one chunk, not a thousand keys.
pub const CHUNK: usize = 8;

/// What a column shows besides its notes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ColumnShape {
    /// Notes in the column including stacked ones (shown or not).
    pub count: usize,
    /// Notes in the column the viewer may not see yet (hidden until reveal).
    pub withheld: usize,
    /// Top-level notes shown (a cluster counts once).
    pub roots: usize,
}

impl ColumnShape {
    /// How many chunks the column's notes fill.
    pub fn chunks(&self) -> usize {
        self.roots.div_ceil(CHUNK)
    }
}

/// Which chunk of which column: the "no group" column is `None`.
pub type ChunkKey = (Option<GroupId>, usize);

/// One column of a board: a theme group (or no group) and its top-level notes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnLayout {
    pub group: Option<GroupId>,
    pub roots: Vec<NoteId>,
    /// Notes in the column including stacked ones (shown or not).
    pub count: usize,
    /// Notes in the column the viewer may not see yet (hidden until reveal).
    pub withheld: usize,
}

/// The shape of a board: which notes are where. Cards read their content themselves.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Layout {
    pub columns: Vec<ColumnLayout>,
    /// Stack root -> notes stacked onto it, in order.
    pub stacks: BTreeMap<NoteId, Vec<NoteId>>,
    /// Most votes on one note, for scaling the result bars.
    pub max_votes: u32,
}

impl ColumnLayout {
    pub fn shape(&self) -> ColumnShape {
        ColumnShape {
            count: self.count,
            withheld: self.withheld,
            roots: self.roots.len(),
        }
    }
}

impl Layout {
    pub fn column(&self, group: Option<&GroupId>) -> Option<&ColumnLayout> {
        self.columns.iter().find(|c| c.group.as_ref() == group)
    }

    pub fn column_groups(&self) -> Vec<Option<GroupId>> {
        self.columns.iter().map(|c| c.group.clone()).collect()
    }

    pub fn fullest(&self) -> usize {
        self.columns.iter().map(|c| c.count).max().unwrap_or(0)
    }

    pub fn shapes(&self) -> impl Iterator<Item = (Option<GroupId>, ColumnShape)> + '_ {
        self.columns.iter().map(|c| (c.group.clone(), c.shape()))
    }

    /// Chunk `index` of `column` as its list shows it: notes with "is a cluster".
    pub fn chunk<'a>(
        &'a self,
        column: &'a ColumnLayout,
        index: usize,
    ) -> impl Iterator<Item = (&'a NoteId, bool)> + Clone + 'a {
        column
            .roots
            .iter()
            .skip(index * CHUNK)
            .take(CHUNK)
            .map(|root| (root, self.stacks.contains_key(root)))
    }

    /// The chunks of this layout that `last` did not show the same: compared in place,
    /// so an unchanged chunk costs no allocation.
    pub fn chunk_changes(&self, last: &Layout) -> Vec<(ChunkKey, Vec<(NoteId, bool)>)> {
        let mut changes = Vec::new();
        for column in &self.columns {
            let before = last.column(column.group.as_ref());
            for index in 0..column.shape().chunks() {
                let now = self.chunk(column, index);
                let same = before.is_some_and(|before| now.clone().eq(last.chunk(before, index)));
                if !same {
                    let notes = now.map(|(id, cluster)| (id.clone(), cluster)).collect();
                    changes.push(((column.group.clone(), index), notes));
                }
            }
        }
        changes
    }

    /// The chunks this layout has and `next` has not (a column shrank or went).
    pub fn chunks_gone_in(&self, next: &Layout) -> Vec<ChunkKey> {
        let mut gone = Vec::new();
        for column in &self.columns {
            let kept = next
                .column(column.group.as_ref())
                .map_or(0, |c| c.shape().chunks());
            gone.extend((kept..column.shape().chunks()).map(|index| (column.group.clone(), index)));
        }
        gone
    }
}

/// Where a live note of the board sits: the note it is stacked on (its stack's root) and
/// its group. The answers of `Workshop::stack_root` and `Workshop::note_group`, without
/// looking the note up again for the usual note that is not stacked: every note is placed
/// on every change of a board of a thousand.
pub fn placement<'a>(
    w: &'a Workshop,
    id: &NoteId,
    note: &'a Note,
) -> (Option<&'a NoteId>, Option<&'a GroupId>) {
    if note.stacked_on.is_some() {
        return (w.stack_root(id), w.note_group(id));
    }
    let group = (note.board == BoardKind::Brainstorm)
        .then(|| note.group.as_ref().filter(|g| w.group(g).is_some()))
        .flatten();
    (None, group)
}

/// Votes per note in the round the board shows, tallied in one pass over the ballots.
pub fn vote_totals(w: &Workshop) -> HashMap<&NoteId, u32> {
    let mut totals: HashMap<&NoteId, u32> = HashMap::new();
    if let Some(round) = w
        .shown_round(BoardKind::Brainstorm)
        .and_then(|r| w.votes.get(r))
    {
        for ballots in round.values() {
            for (note, count) in ballots {
                *totals.entry(note).or_default() += **count;
            }
        }
    }
    totals
}

/// Lays out the brainstorm board. `show` says which notes the viewer may see; the others
/// are only counted. The "no group" column comes last and only when it has notes or
/// `always_no_group`. With `sort_by_votes`, stacks are ordered by their total votes.
pub fn layout(
    w: &Workshop,
    order: &BoardOrder,
    sort_by_votes: bool,
    always_no_group: bool,
    show: impl Fn(&NoteId, &Note) -> bool,
) -> Layout {
    let mut columns: Vec<ColumnLayout> = w
        .groups_in_order()
        .into_iter()
        .map(|(id, _)| ColumnLayout {
            group: Some(id.clone()),
            roots: Vec::new(),
            count: 0,
            withheld: 0,
        })
        .collect();
    columns.push(ColumnLayout {
        group: None,
        roots: Vec::new(),
        count: 0,
        withheld: 0,
    });
    let no_group = columns.len() - 1;
    let index: BTreeMap<GroupId, usize> = columns
        .iter()
        .enumerate()
        .filter_map(|(i, c)| c.group.clone().map(|g| (g, i)))
        .collect();
    let mut stacks: BTreeMap<NoteId, Vec<NoteId>> = BTreeMap::new();
    let mut max_votes = 0;
    let totals = vote_totals(w);
    let votes = |id: &NoteId| totals.get(id).copied().unwrap_or(0);
    for (id, note) in order
        .notes()
        .filter_map(|id| w.notes.get(id).map(|note| (id, note)))
    {
        let (root, group) = placement(w, id, note);
        let column = group
            .and_then(|g| index.get(g).copied())
            .unwrap_or(no_group);
        columns[column].count += 1;
        if !show(id, note) {
            columns[column].withheld += 1;
            continue;
        }
        max_votes = max_votes.max(votes(id));
        match root {
            Some(root) => stacks.entry(root.clone()).or_default().push(id.clone()),
            None => columns[column].roots.push(id.clone()),
        }
    }
    if sort_by_votes {
        let total = |id: &NoteId| -> u32 {
            votes(id)
                + stacks
                    .get(id)
                    .map(|s| s.iter().map(votes).sum::<u32>())
                    .unwrap_or(0)
        };
        for column in &mut columns {
            // Stable: equal totals keep the board order.
            column
                .roots
                .sort_by_cached_key(|id| std::cmp::Reverse(total(id)));
        }
    }
    if !always_no_group && columns[no_group].count == 0 {
        columns.pop();
    }
    Layout {
        columns,
        stacks,
        max_votes,
    }
}

#[cfg(test)]
mod tests {
    use bijeen_core::{ActorId, Colour, Command, Doc, GroupId, Role};

    use super::*;

    fn run(doc: &mut Doc, command: Command) {
        doc.execute(&command, Role::Facilitator, 1_000)
            .expect("a valid command");
    }

    fn add_note(doc: &mut Doc, text: &str, group: Option<&GroupId>) -> NoteId {
        run(
            doc,
            Command::AddNote {
                board: BoardKind::Brainstorm,
                group: group.cloned(),
                category: None,
                text: text.into(),
                colour: None,
            },
        );
        doc.workshop()
            .notes_in_order(BoardKind::Brainstorm)
            .into_iter()
            .find(|(_, n)| n.text.value == text)
            .map(|(id, _)| id.clone())
            .expect("the note is on the board")
    }

    fn board() -> (Doc, GroupId) {
        let mut doc = Doc::new(ActorId::new("facilitator"));
        run(
            &mut doc,
            Command::AddGroup {
                name: "Jeugd".into(),
                colour: Some(Colour::Blue),
            },
        );
        let group = doc.workshop().groups_in_order()[0].0.clone();
        (doc, group)
    }

    fn lay_out(doc: &Doc, show: impl Fn(&NoteId, &Note) -> bool) -> Layout {
        let mut order = BoardOrder::default();
        order.update(doc.workshop());
        layout(doc.workshop(), &order, false, false, show)
    }

    #[test]
    fn notes_stand_in_their_group_and_the_no_group_column_comes_last_only_when_it_has_notes() {
        let (mut doc, group) = board();
        let school = add_note(&mut doc, "Scholen", Some(&group));
        let shown = lay_out(&doc, |_, _| true);
        assert_eq!(shown.columns.len(), 1, "no empty no-group column");
        assert_eq!(shown.columns[0].roots, vec![school.clone()]);
        let loose = add_note(&mut doc, "Zonder groep", None);
        let shown = lay_out(&doc, |_, _| true);
        assert_eq!(shown.columns.len(), 2);
        assert_eq!(shown.columns[1].group, None);
        assert_eq!(shown.columns[1].roots, vec![loose]);
    }

    #[test]
    fn a_stacked_note_is_listed_under_its_root_not_as_a_card_of_its_own() {
        let (mut doc, group) = board();
        let root = add_note(&mut doc, "Bibliotheek", Some(&group));
        let child = add_note(&mut doc, "Bieb", Some(&group));
        run(
            &mut doc,
            Command::StackNote {
                id: child.clone(),
                onto: root.clone(),
            },
        );
        let shown = lay_out(&doc, |_, _| true);
        assert_eq!(shown.columns[0].roots, vec![root.clone()]);
        assert_eq!(shown.stacks.get(&root), Some(&vec![child]));
        assert_eq!(shown.columns[0].count, 2, "both notes count in the column");
    }

    #[test]
    fn a_note_the_viewer_may_not_see_is_counted_but_not_shown() {
        let (mut doc, group) = board();
        let secret = add_note(&mut doc, "Nog verborgen", Some(&group));
        let shown = lay_out(&doc, |id, _| *id != secret);
        let column = &shown.columns[0];
        assert!(column.roots.is_empty());
        assert_eq!((column.count, column.withheld), (1, 1));
    }

    #[test]
    fn only_the_chunks_that_changed_are_handed_out_again() {
        let (mut doc, group) = board();
        for n in 0..CHUNK {
            add_note(&mut doc, &format!("Notitie {n}"), Some(&group));
        }
        let before = lay_out(&doc, |_, _| true);
        assert!(before.chunk_changes(&before).is_empty());
        add_note(&mut doc, "Nog een", Some(&group));
        let after = lay_out(&doc, |_, _| true);
        let changed: Vec<_> = after
            .chunk_changes(&before)
            .into_iter()
            .map(|(key, _)| key)
            .collect();
        assert_eq!(
            changed,
            vec![(Some(group.clone()), 1)],
            "only the new second chunk"
        );
        // Going back (the note deleted) drops the second chunk; going forward drops none.
        assert_eq!(
            after.chunks_gone_in(&before),
            vec![(Some(group.clone()), 1)]
        );
        assert_eq!(before.chunks_gone_in(&after), Vec::new());
    }
}
