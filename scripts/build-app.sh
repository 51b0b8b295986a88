#!/usr/bin/env bash
# Builds the web app's two entries into dist/ (release), with compressed copies:
#   index.html        the facilitator's app: home, console, projector, report
#   participant.html  only the participant's screens, which the relay serves for /j/CODE
#                     and /w/ID/join, so a phone downloads a fraction of the app
# Trunk builds one HTML entry per run and empties its output directory, so the participant
# entry is built on its own and its files (js and wasm under content-hashed names; the
# stylesheets are inlined in each HTML) join the facilitator's.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

participant_dist="${CARGO_TARGET_DIR:-$ROOT/target}/participant-dist"
# --minify: the stylesheets are inlined in the HTML, comments and all; minified, the phone's
# page is a quarter smaller (measured with scripts/bundle-size.mjs).
trunk build --release --minify
trunk build participant.html --release --minify --dist "$participant_dist"
cp "$participant_dist"/participant-* dist/
cp "$participant_dist/index.html" dist/participant.html
"$ROOT/scripts/precompress.sh" dist
