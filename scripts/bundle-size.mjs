// Reports the release bundle (wasm + js + css) compressed with brotli at the level the
// relay serves, and fails when it passes the budget of the whole app.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

const BUDGET_BYTES = 300 * 1024;
const dir = process.argv[2] ?? 'dist';
let total = 0;
for (const name of readdirSync(dir).sort()) {
  if (!/\.(wasm|js|css)$/.test(name)) continue;
  const raw = readFileSync(join(dir, name));
  const br = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  total += br;
  console.log(`${name.padEnd(48)} ${String(raw.length).padStart(9)} B raw ${String(br).padStart(8)} B brotli`);
}
console.log(`bundle total (brotli): ${(total / 1024).toFixed(1)} KB of ${BUDGET_BYTES / 1024} KB budget`);
if (total === 0) {
  console.error('no wasm/js/css found in ' + dir);
  process.exit(1);
}
if (total > BUDGET_BYTES) {
  console.error('bundle is over budget');
  process.exit(1);
}
