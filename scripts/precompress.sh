#!/usr/bin/env bash
# Writes .br and .gz next to each text/wasm asset of a built dist/, at the best levels, so
# the relay serves them without compressing on every request. Uses Node's zlib (brotli is
# built in), so no extra tool is needed.
set -euo pipefail
dir="${1:-dist}"
node --input-type=module - "$dir" <<'JS'
import { readdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
const dir = process.argv[2];
const walk = (d) => readdirSync(d).flatMap((n) => {
  const p = join(d, n);
  return statSync(p).isDirectory() ? walk(p) : [p];
});
for (const file of walk(dir)) {
  if (!/\.(wasm|js|css|html|svg|json|webmanifest)$/.test(file)) continue;
  const data = readFileSync(file);
  writeFileSync(file + '.br', brotliCompressSync(data, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
  }));
  writeFileSync(file + '.gz', gzipSync(data, { level: 9 }));
}
JS
