//! Random identifiers from the browser's cryptographic generator. Ids are hex so they
//! are safe in URLs and storage keys (no dots: the relay treats a dotted last path
//! segment as a file).

/// `bytes` random bytes as lowercase hex.
pub fn random_hex(bytes: usize) -> String {
    random_vec(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// `N` random bytes, for secrets the protocol crate formats itself.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut out = [0_u8; N];
    out.copy_from_slice(&random_vec(N));
    out
}

fn random_vec(bytes: usize) -> Vec<u8> {
    let mut buffer = vec![0_u8; bytes];
    let filled = web_sys::window()
        .and_then(|window| window.crypto().ok())
        .and_then(|crypto| crypto.get_random_values_with_u8_array(&mut buffer).ok())
        .is_some();
    if !filled {
        // No Web Crypto (very old browser): Math.random is enough to keep ids apart
        // within one workshop, which is all they are for.
        for byte in &mut buffer {
            *byte = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    buffer
}

/// A number in `[0, 1)` for jitter (a reconnect's back-off), not for secrets.
pub fn jitter() -> f64 {
    js_sys::Math::random()
}
