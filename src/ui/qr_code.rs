use leptos::prelude::*;
use qrcode::bits::Bits;
use qrcode::{Color, EcLevel, QrCode, Version};

/// Light modules around the code. The QR specification asks for four: without them a
/// phone camera cannot find the finder patterns against a busy background.
const QUIET_ZONE: usize = 4;

/// `text` as a QR code: dark modules on white, with the quiet zone, drawn as one SVG path
/// that scales without blur to any size the stylesheet gives it. `label` is its accessible
/// name. Renders nothing when the text cannot be encoded (far longer than a join link).
#[component]
pub fn QrCodeImage(text: String, label: Signal<&'static str>) -> impl IntoView {
    encode(&text).map(|code| {
        let modules = code.width();
        let size = (modules + 2 * QUIET_ZONE).to_string();
        let path = dark_module_path(&code.to_colors(), modules);
        view! {
            <svg
                class="qr-code"
                role="img"
                aria-label=move || label.get()
                viewBox=format!("0 0 {size} {size}")
                shape-rendering="crispEdges"
                data-modules=modules.to_string()
            >
                <rect width=size.clone() height=size.clone() fill="#fff" />
                <path d=path fill="#000" />
            </svg>
        }
    })
}

/// The smallest QR code that holds `text` in byte mode at level M. Level M survives some
/// glare or a smudged screen and keeps a join link at version 3 or 4 (29-33 modules),
/// coarse enough to scan from the back of a room. Byte mode only: the encoder's mode
/// optimiser (digit and capital-letter segments) would save a few modules on a link and
/// costs kilobytes of wasm. Version 10 holds over 200 bytes, far more than a link.
fn encode(text: &str) -> Option<QrCode> {
    (1..=10).find_map(|version| {
        let mut bits = Bits::new(Version::Normal(version));
        bits.push_byte_data(text.as_bytes()).ok()?;
        bits.push_terminator(EcLevel::M).ok()?;
        QrCode::with_bits(bits, EcLevel::M).ok()
    })
}

/// One rectangle per horizontal run of dark modules (`M x y h run v 1 h -run z`), offset
/// by the quiet zone: a few hundred path commands instead of one element per module.
fn dark_module_path(colors: &[Color], modules: usize) -> String {
    let mut path = String::new();
    for (y, row) in colors.chunks(modules).enumerate() {
        let mut x = 0;
        while x < row.len() {
            if row[x] != Color::Dark {
                x += 1;
                continue;
            }
            let start = x;
            while x < row.len() && row[x] == Color::Dark {
                x += 1;
            }
            let run = x - start;
            path.push_str(&format!(
                "M{} {}h{run}v1h-{run}z",
                start + QUIET_ZONE,
                y + QUIET_ZONE
            ));
        }
    }
    path
}
