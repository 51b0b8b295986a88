//! How large the closed bear wall's summary can draw its text on the projector: as large as
//! the fullest column allows while it still fits the screen. Five bears in four columns
//! leave most of a 1080-pixel screen empty at the old fixed 2.6vh; six long bears with
//! answers in one column do not fit at 4vh.
//!
//! Everything is in vh (the summary's type is sized in vh), with the screen taken as
//! 16:10, the narrowest common projector shape, so a 16:9 screen only has room to spare.

/// Sizes tried, largest first. The last one is the floor: 2.3vh is 24.8 px at 1080, the
/// smallest text the room should have to read.
const SIZES_VH: [f32; 7] = [4.4, 3.8, 3.4, 3.0, 2.7, 2.5, 2.3];
/// 100vw in vh on a 16:10 screen.
const WIDTH_VH: f32 = 160.0;
/// The projector's side padding (4vw each), the gap between columns (1.2vw), and a
/// column's and an item's side padding (0.8vw and 0.7vw), in vw.
const PAGE_PADDING_VW: f32 = 8.0;
const COLUMN_GAP_VW: f32 = 1.2;
const INSIDE_PADDING_VW: f32 = 2.0 * (0.8 + 0.7);
/// The height left for the columns under the header and the progress line.
const AVAILABLE_VH: f32 = 70.0;
/// A column's own head (status and count, 4vh, with its margin and top border).
const COLUMN_HEAD_VH: f32 = 7.0;
/// An item's vertical padding, border and the gap to the next one.
const ITEM_FRAME_VH: f32 = 2.8;
/// The average advance of bold text, in em (DejaVu Sans Bold's lowercase is 0.6–0.7).
const CHAR_EM: f32 = 0.66;
const LINE_HEIGHT: f32 = 1.2;

/// The text size in vh for the closed summary. `columns` holds, per status column shown,
/// each bear's texts (the bear, its stacked bears, the answer, the actions) by length in
/// characters.
pub fn summary_size_vh(columns: &[Vec<Vec<usize>>]) -> f32 {
    let shown = columns.len().max(1) as f32;
    let column_vw =
        (100.0 - PAGE_PADDING_VW - COLUMN_GAP_VW * (shown - 1.0)) / shown - INSIDE_PADDING_VW;
    let column_vh = column_vw * WIDTH_VH / 100.0;
    let fits = |size: f32| {
        let per_line = (column_vh / (CHAR_EM * size)).floor().max(1.0);
        columns.iter().all(|items| {
            let height: f32 = items
                .iter()
                .map(|texts| {
                    let lines: f32 = texts
                        .iter()
                        .map(|&chars| (chars as f32 / per_line).ceil().max(1.0))
                        .sum();
                    lines * LINE_HEIGHT * size + ITEM_FRAME_VH
                })
                .sum();
            COLUMN_HEAD_VH + height <= AVAILABLE_VH
        })
    };
    SIZES_VH
        .into_iter()
        .find(|&size| fits(size))
        .unwrap_or(SIZES_VH[SIZES_VH.len() - 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_few_short_bears_are_drawn_large() {
        // The e2e scenario: five bears over four columns, one with an answer: 41 px at
        // 1080 (it was 28).
        let columns = vec![
            vec![vec![50, 31, 55]],
            vec![vec![42, 80]],
            vec![vec![43]],
            vec![vec![36]],
        ];
        assert_eq!(summary_size_vh(&columns), 3.8);
        assert_eq!(summary_size_vh(&[vec![vec![30]]]), 4.4);
    }

    #[test]
    fn a_full_column_makes_the_text_smaller_but_not_below_the_floor() {
        let six_answered = vec![vec![vec![60, 90]; 6], vec![vec![40]]];
        let size = summary_size_vh(&six_answered);
        assert!((2.3..4.4).contains(&size), "{size}");
        // Six bears with answers still read at 24 px or more on a 1080-pixel screen.
        assert!(size * 10.8 >= 24.0);
        let twenty = vec![vec![vec![80, 120]; 20]];
        assert_eq!(summary_size_vh(&twenty), 2.3);
    }

    #[test]
    fn more_text_never_gives_larger_type() {
        let mut previous = f32::MAX;
        for bears in 1..15 {
            let size = summary_size_vh(&[vec![vec![70, 60]; bears], vec![vec![30]]]);
            assert!(size <= previous, "{bears} bears: {size} > {previous}");
            previous = size;
        }
    }

    #[test]
    fn no_columns_is_not_a_division_by_zero() {
        assert_eq!(summary_size_vh(&[]), 4.4);
    }
}
