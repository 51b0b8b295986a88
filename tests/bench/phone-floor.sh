#!/usr/bin/env bash
# "Phones first" (#14): what a participant's phone would download if it held no replica.
#   tests/bench/phone-floor.sh
# Builds tests/bench/phone-floor (the phone's screens in Leptos, fed a participant's view
# by the relay and sending intents, with no bijeen-core) the way Trunk builds an entry
# (release, erase_components, wasm-bindgen, wasm-opt -Oz) and prints its js and wasm with
# brotli at quality 11, in KB of 1024 bytes like scripts/bundle-size.mjs. Compare with the
# participant entry's figure from `node scripts/bundle-size.mjs dist`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
cd "$ROOT/tests/bench/phone-floor"
target="${CARGO_TARGET_DIR:-$ROOT/target}/phone-floor"
out="$target/out"
CARGO_TARGET_DIR="$target" cargo build --release --locked --target wasm32-unknown-unknown
rm -rf "$out"
wasm-bindgen --target web --out-dir "$out" "$target/wasm32-unknown-unknown/release/phone-floor.wasm"
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals "$out/phone-floor_bg.wasm" -o "$out/phone-floor_bg.wasm"
node --input-type=module - "$out" <<'JS'
import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants } from 'node:zlib';
const dir = process.argv[2];
let total = 0;
for (const name of ['phone-floor.js', 'phone-floor_bg.wasm']) {
  const raw = readFileSync(`${dir}/${name}`);
  const br = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  total += br;
  console.log(`  ${name.padEnd(24)} ${String(raw.length).padStart(9)} B raw ${String(br).padStart(8)} B brotli`);
}
console.log(`  phone without a replica (js+wasm, brotli): ${(total / 1024).toFixed(1)} KB`);
JS
