// Reports the release bundle (wasm + js + css) compressed with brotli at the level the
// relay serves, against the whole-app budget of 300 KB.
//
// The build fails only above CEILING_KB. The app passed the 300 KB budget when the agenda
// screens landed (302.6 KB) and reached 461 KB with the brainstorm board and the relay
// client; most of it is view code monomorphised by tachys and the core's serde code.
// Leptos' `erase_components` (.cargo/config.toml) took 9 % off; the bear wall, the
// agreements and export, and the QR code then brought it to 530 KB. A first size pass
// gave the op-decoding code a single copy (server frames and imported ops read through
// the same serde_json code as a stored log): 507 KB. Then the compact snapshot format
// (its state reader and writer, +13.7 KB: a 5,000-note workshop opens in ~10 ms instead
// of ~50) and the board's per-note signals (+8 KB: one more note on a 1,000-note board
// went from 49 to ~8 ms of script) brought it to 530.5 KB. Then the board's incremental
// updates (which notes an op reaches, per-note refresh, the kept board order, chunked
// lists drawn over a few frames) and the per-window storage journal (+12.8 KB: one more
// note from ~15 to ~5 ms of projector script, a note no longer rewrites a megabyte of
// storage) brought it to 541.9 KB. The trust rules then reached the app (+8.8 KB: bears
// written under the pseudonym the relay names, placeholders filled when the real op comes,
// the relay's new refusals and retries told in plain words): 550.7 KB. The budget is still
// missed and says so on every run; the ceiling (that total + 3 KB) stops further growth
// from going unnoticed. Lower it as each size pass lands: the participant's own bundle
// (the phones-first issue) is the design change that meets the budget, not more trimming.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

const BUDGET_KB = 300;
const CEILING_KB = Number(process.env.BIJEEN_BUNDLE_CEILING_KB ?? 554);
const dir = process.argv[2] ?? 'dist';
let total = 0;
for (const name of readdirSync(dir).sort()) {
  if (!/\.(wasm|js|css)$/.test(name)) continue;
  const raw = readFileSync(join(dir, name));
  const br = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  total += br;
  console.log(`${name.padEnd(48)} ${String(raw.length).padStart(9)} B raw ${String(br).padStart(8)} B brotli`);
}
const kb = total / 1024;
console.log(`bundle total (brotli): ${kb.toFixed(1)} KB; budget ${BUDGET_KB} KB, ceiling ${CEILING_KB} KB`);
if (total === 0) {
  console.error('no wasm/js/css found in ' + dir);
  process.exit(1);
}
if (kb > BUDGET_KB) {
  console.log(`OVER BUDGET by ${(kb - BUDGET_KB).toFixed(1)} KB: the size pass is still to do`);
}
if (kb > CEILING_KB) {
  console.error(`bundle is over the ${CEILING_KB} KB ceiling`);
  process.exit(1);
}
