//! How wide a text's longest word is, in em, so a projector card can shrink its type until
//! that word fits on one line. Chromium on Linux has no Dutch hyphenation dictionary, so
//! `hyphens: auto` does nothing and a long word ("Functioneringscyclus") would otherwise be
//! cut without a hyphen ("Voorleesochte|nd"), which reads as two words from the back of
//! the room. The stylesheet turns the width into a size, `clamp(0.8em, 100cqi / word-em,
//! 1em)`; a word still too wide at four fifths of the size breaks at a soft hyphen put
//! between two syllables here, so the break shows a hyphen.

/// Advance widths in em of a bold sans-serif, the widest of each class in DejaVu Sans Bold
/// (the widest of the fonts a projector laptop is likely to use: Segoe UI, San Francisco
/// and Roboto are narrower), so the estimate errs towards a word that fits.
fn advance_em(c: char) -> f32 {
    match c {
        'i' | 'j' | 'l' | 'ï' | 'í' | 'ì' | 'I' | 'J' | '\'' | '.' | ',' | ':' | ';' | '!'
        | '|' | '/' => 0.38,
        'f' | 't' | 'r' | '-' | '(' | ')' | '[' | ']' => 0.50,
        'c' | 's' | 'z' => 0.61,
        'm' | 'w' => 1.05,
        'M' | 'W' | '@' => 1.11,
        '&' | '%' => 0.90,
        '0'..='9' => 0.71,
        c if c.is_uppercase() => 0.86,
        c if c.is_lowercase() => 0.73,
        // Emoji, CJK and the like: wider than any letter above.
        _ => 1.1,
    }
}

/// Where the browser may break a line inside a word: after a hyphen (kept with the part
/// before it), except one between digits, which [`with_soft_hyphens`] makes a
/// non-breaking hyphen (a date stays whole: "2026-12-15"). Spaces separate words.
fn unbreakable_parts(text: &str) -> impl Iterator<Item = &str> {
    text.split_whitespace().flat_map(|word| {
        let mut parts = Vec::new();
        let mut start = 0;
        let mut previous: Option<char> = None;
        let mut chars = word.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let next = chars.peek().map(|&(_, n)| n);
            let between_digits = previous.is_some_and(|p| p.is_ascii_digit())
                && next.is_some_and(|n| n.is_ascii_digit());
            if c == '-' && !between_digits {
                parts.push(&word[start..i + 1]);
                start = i + 1;
            }
            previous = Some(c);
        }
        parts.push(&word[start..]);
        parts.into_iter().filter(|part| !part.is_empty())
    })
}

/// The width in em of the widest part of `text` that cannot be broken over two lines,
/// with `extra_em` added per character (letter spacing). `uppercase` measures the text as
/// `text-transform: uppercase` shows it.
pub fn longest_word_em(text: &str, uppercase: bool, extra_em: f32) -> f32 {
    let width = |part: &str| -> f32 {
        if uppercase {
            part.chars()
                .flat_map(char::to_uppercase)
                .map(|c| advance_em(c) + extra_em)
                .sum()
        } else {
            part.chars().map(|c| advance_em(c) + extra_em).sum()
        }
    };
    unbreakable_parts(text).map(width).fold(0.0_f32, f32::max)
}

/// Words at least this wide get soft hyphens: about eleven letters, which do not fit a
/// card of the densest board (five sub-columns) at the smallest size the stylesheet allows.
const HYPHENATE_FROM_EM: f32 = 8.0;
/// Letters kept together at either end of a word ("Ko-" or "-en" reads badly).
const MIN_PART: usize = 3;
const SOFT_HYPHEN: char = '\u{00AD}';
const NON_BREAKING_HYPHEN: char = '\u{2011}';

fn is_vowel(c: char) -> bool {
    matches!(
        c.to_lowercase().next().unwrap_or(c),
        'a' | 'e'
            | 'i'
            | 'o'
            | 'u'
            | 'y'
            | 'á'
            | 'à'
            | 'â'
            | 'ä'
            | 'é'
            | 'è'
            | 'ê'
            | 'ë'
            | 'í'
            | 'ï'
            | 'ó'
            | 'ö'
            | 'ô'
            | 'ú'
            | 'ü'
            | 'û'
    )
}

/// Two consonants that start a syllable together ("cy-clus", "boe-ken-proe-ve-rij"): a
/// break goes before them, not between.
fn is_onset(a: char, b: char) -> bool {
    let b = b.to_ascii_lowercase();
    matches!(
        (a.to_ascii_lowercase(), b),
        ('b' | 'c' | 'f' | 'g' | 'k' | 'p' | 'v', 'l' | 'r') | ('d' | 't' | 'w', 'r')
    )
}

/// Two letters that are one sound and never split: "ch", "th", "ph", "sh", "gh", and "ij"
/// (a vowel in Dutch).
fn is_digraph(a: char, b: char) -> bool {
    matches!(
        (a.to_ascii_lowercase(), b.to_ascii_lowercase()),
        ('c' | 't' | 'p' | 's' | 'g', 'h') | ('i', 'j')
    )
}

/// Where a long word may break between syllables, as character positions (a break goes
/// before the character at that position). Only between consonants that stand between
/// vowels, the rule of Dutch hyphenation that needs no dictionary: one consonant between
/// vowels is not a break point (it would cut "lees|ochtend" as "lee-sochtend"), two or
/// more break before the last ("func-tie", "erf-goed", "werkings-vormen"), or before the
/// last two when they start a syllable together ("boeken-proeverij"). Never inside a
/// digraph, and never leaving fewer than three letters at either end.
fn syllable_breaks(word: &[char]) -> Vec<usize> {
    let n = word.len();
    let vowel = |i: usize| {
        is_vowel(word[i]) || (word[i] == 'j' && i > 0 && word[i - 1].eq_ignore_ascii_case(&'i'))
    };
    let mut breaks = Vec::new();
    let mut i = 0;
    while i < n {
        if !vowel(i) {
            i += 1;
            continue;
        }
        // The consonants after this run of vowels, up to the next vowel.
        let mut start = i;
        while start < n && vowel(start) {
            start += 1;
        }
        let mut end = start;
        while end < n && !vowel(end) {
            end += 1;
        }
        if end < n && end - start >= 2 {
            let mut at = end - 1;
            // A digraph after another consonant moves to the next syllable whole ("ver-
            // schil"), and so do two consonants that start a syllable together.
            let digraph_last = is_digraph(word[at - 1], word[at]) && at - 1 > start;
            if digraph_last || is_onset(word[at - 1], word[at]) {
                at -= 1;
            }
            let digraph_cut = at > start && is_digraph(word[at - 1], word[at]);
            if !digraph_cut && at >= MIN_PART && n - at >= MIN_PART {
                breaks.push(at);
            }
        }
        i = end;
    }
    breaks
}

/// `text` with soft hyphens between the syllables of its long words, so a card too narrow
/// for such a word breaks it with a visible hyphen rather than a bare cut. Short words, and
/// words with anything but letters, are left as they are.
pub fn with_soft_hyphens(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut word = Vec::new();
    let flush = |word: &mut Vec<char>, out: &mut String| {
        let width: f32 = word.iter().copied().map(advance_em).sum();
        let breaks = if width >= HYPHENATE_FROM_EM {
            syllable_breaks(word)
        } else {
            Vec::new()
        };
        for (i, c) in word.iter().enumerate() {
            if breaks.contains(&i) {
                out.push(SOFT_HYPHEN);
            }
            out.push(*c);
        }
        word.clear();
    };
    let mut previous: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphabetic() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            let between_digits = previous.is_some_and(|p| p.is_ascii_digit())
                && chars.peek().is_some_and(|n| n.is_ascii_digit());
            out.push(if c == '-' && between_digits {
                NON_BREAKING_HYPHEN
            } else {
                c
            });
        }
        previous = Some(c);
    }
    flush(&mut word, &mut out);
    out
}

/// [`longest_word_em`] as the value of the stylesheet's `--word-em` (never zero: the
/// stylesheet divides by it).
pub fn word_em_css(text: &str, uppercase: bool, extra_em: f32) -> String {
    format!("{:.2}", longest_word_em(text, uppercase, extra_em).max(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_unbreakable_part_decides() {
        let long = longest_word_em("Functioneringscyclus bespreken", false, 0.0);
        assert_eq!(long, longest_word_em("Functioneringscyclus", false, 0.0));
        assert!(long > longest_word_em("bespreken", false, 0.0));
        // A hyphen is a place to break: the parts count, not the whole.
        assert_eq!(
            longest_word_em("West-Friesland", false, 0.0),
            longest_word_em("Friesland", false, 0.0)
        );
    }

    #[test]
    fn the_estimate_is_not_narrower_than_a_wide_bold_font() {
        // DejaVu Sans Bold at 100 px, measured in Chromium: the estimate may be wider,
        // never narrower (a narrower one lets the word break).
        for (word, measured_px) in [
            ("Functioneringscyclus", 1189.0),
            ("Consultatiebureau", 1042.0),
            ("Voorleesochtend", 946.0),
            ("Heerhugowaard", 900.0),
            ("erfgoedwandeling", 1022.0),
            ("WWWWWW", 662.0),
        ] {
            let estimate = longest_word_em(word, false, 0.0) * 100.0;
            assert!(
                estimate >= measured_px,
                "{word}: {estimate} < {measured_px}"
            );
            assert!(
                estimate < measured_px * 1.12,
                "{word}: {estimate} is far too wide"
            );
        }
    }

    #[test]
    fn uppercase_and_letter_spacing_widen_the_word() {
        let plain = longest_word_em("netwerkwerk", false, 0.0);
        let upper = longest_word_em("netwerkwerk", true, 0.0);
        assert!(upper > plain);
        let spaced = longest_word_em("netwerkwerk", true, 0.02);
        assert!((spaced - upper - 11.0 * 0.02).abs() < 1e-3);
    }

    #[test]
    fn an_empty_text_never_divides_by_zero() {
        assert_eq!(longest_word_em("", false, 0.0), 0.0);
        assert_eq!(word_em_css("  ", false, 0.0), "1.00");
        assert_eq!(word_em_css("ab", false, 0.0), "1.46");
    }

    fn shown(text: &str) -> String {
        with_soft_hyphens(text).replace(SOFT_HYPHEN, "-")
    }

    #[test]
    fn long_words_break_between_syllables() {
        assert_eq!(shown("Functioneringscyclus"), "Func-tionerings-cy-clus");
        assert_eq!(shown("Voorleesochtend"), "Voor-leesoch-tend");
        assert_eq!(shown("Samenwerkingsvormen"), "Samen-wer-kings-vor-men");
        assert_eq!(shown("Boekenproeverij"), "Boeken-proeverij");
        assert_eq!(shown("erfgoedwandeling"), "erf-goed-wan-deling");
        assert_eq!(shown("laaggeletterdheid"), "laag-gelet-terd-heid");
        assert_eq!(shown("Heerhugowaard"), "Heer-hugowaard");
    }

    #[test]
    fn short_words_digraphs_and_other_text_stay_whole() {
        for text in [
            "Bibliotheek Noord",
            "Samen lezen",
            "Netwerk 2026",
            "",
            "Leesnetwerk West-Friesland",
        ] {
            assert_eq!(shown(text), text.replace(SOFT_HYPHEN, "-"));
        }
        // "ch" is one sound: "och-tend", never "oc-htend".
        assert!(!shown("Voorleesochtend").contains("c-h"));
        // Never fewer than three letters at an end.
        assert!(!shown("Schrijfwedstrijden").starts_with("Sc-"));
        assert_eq!(
            with_soft_hyphens("<b>Functioneringscyclus</b>")
                .matches('<')
                .count(),
            2
        );
        // A date is one word, kept on one line.
        assert_eq!(
            with_soft_hyphens("uiterlijk 2026-12-15"),
            "uiterlijk 2026\u{2011}12\u{2011}15"
        );
        assert_eq!(
            longest_word_em("2026-12-15", false, 0.0),
            longest_word_em("2026012015", false, 0.0) - 2.0 * (0.71 - 0.50)
        );
        assert_eq!(shown("Noord-Holland"), "Noord-Holland");
    }
}
