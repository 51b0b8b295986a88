//! JSON written straight into a `String`, so a snapshot is text from its first byte and is
//! never converted from bytes at the end (where a failed conversion could only have
//! answered with an empty snapshot, which would replace the stored workshop).

use std::io;

use serde::Serialize;

/// Append `v` as JSON. Serialising plain model data (string keys, no maps with non-string
/// keys) cannot fail, so there is no error to return.
pub(crate) fn push_json<T: Serialize + ?Sized>(out: &mut String, v: &T) {
    let _ = serde_json::to_writer(Text(out), v);
}

/// serde_json's output as it arrives. serde_json writes only UTF-8, and in whole
/// characters (it cuts a string only at the ASCII characters it escapes), so every chunk
/// is text and is appended unchanged; the lossy conversion only means no write can fail.
struct Text<'a>(&'a mut String);

impl io::Write for Text<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.push_str(&String::from_utf8_lossy(buf));
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_in_a_string_is_what_serde_json_writes_for_any_text() {
        let texts = [
            "plain",
            "Één café, naïef — “quotes” \\ \" / \n\t\r\u{8}\u{c}\u{1}\u{7f}",
            "🐻 beren 🐻‍❄️ 日本語 𝄞",
            "",
        ];
        for t in texts {
            let mut out = String::from("[");
            push_json(&mut out, t);
            push_json(&mut out, &vec![t, t]);
            let want = format!(
                "[{}{}",
                serde_json::to_string(t).expect("json"),
                serde_json::to_string(&vec![t, t]).expect("json")
            );
            assert_eq!(out, want, "{t:?}");
        }
    }
}
