#!/usr/bin/env bash
# Builds the web app's four entries into dist/ (release), with compressed copies:
#   index.html        the facilitator's app: home, console, projector, report
#   participant.html  only the participant's screens, which the relay serves for /j/CODE
#                     and /w/ID/join, so a phone downloads a fraction of the app
#   remote.html       only the facilitator's phone remote, served for /w/ID/remote
#   window.html       a participant's window in the facilitator's own browser (a replica,
#                     no relay needed), served for /w/ID/window
# Trunk builds one HTML entry per run and empties its output directory, so each phone
# entry is built on its own and its files (js and wasm under content-hashed names; the
# stylesheets are inlined in each HTML) join the facilitator's.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

target="${CARGO_TARGET_DIR:-$ROOT/target}"
# --minify: the stylesheets are inlined in the HTML, comments and all; minified, the phone's
# page is a quarter smaller (measured with scripts/bundle-size.mjs).
trunk build --release --minify
for entry in participant remote window; do
  trunk build "$entry.html" --release --minify --dist "$target/$entry-dist"
  cp "$target/$entry-dist/$entry"-* dist/
  cp "$target/$entry-dist/index.html" "dist/$entry.html"
done
"$ROOT/scripts/precompress.sh" dist
