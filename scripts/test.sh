#!/usr/bin/env bash
# Runs every check Bijeen has, the same way on a laptop and in CI, and stops at the first
# failure with a non-zero exit:
#   formatting, clippy (host and wasm32), host tests of all crates, the relay's room
#   suites once more against PostgreSQL, the app's wasm-bindgen tests in headless
#   Chromium, the release build and its size budget, and the end-to-end tests in headless
#   Chromium against the release build served by the relay.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

step() { say "[$1] $2"; }

# A hung test must fail its step, not eat CI's whole 90 minutes: each test step has a
# bound several times its usual length (a cold compile included), and `timeout` names it.
bounded() {
  local seconds=$1
  shift
  timeout --kill-after=30 "$seconds" "$@" || {
    local rc=$?
    [ "$rc" -eq 124 ] && echo "error: '$*' still ran after ${seconds}s (a hung test?)" >&2
    return "$rc"
  }
}

step 1/9 "installing what is missing"
"$ROOT/scripts/setup.sh" --test

step 2/9 "cargo fmt --check"
cargo fmt --all -- --check

step 3/9 "cargo clippy (host and wasm32)"
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo clippy -p bijeen --target wasm32-unknown-unknown --all-targets --locked -- -D warnings

step 4/9 "host tests of all crates"
bounded 2400 cargo test --workspace --locked

step 5/9 "the relay's room suites against PostgreSQL"
# The same tests as above, each on a throw-away PostgreSQL cluster instead of SQLite
# (crates/relay/tests/support/pg.rs): the rules of a room must not depend on the store.
BIJEEN_TEST_STORE=postgres bounded 1200 cargo test -p bijeen-relay --locked --test rooms --test hostile_room --test remote --test phone_view

step 6/9 "wasm-bindgen tests in headless Chromium"
export CHROMEDRIVER=/usr/bin/chromedriver
export WASM_BINDGEN_TEST_WEBDRIVER_JSON="$ROOT/tests/webdriver.json"
export WASM_BINDGEN_TEST_TIMEOUT=120
cargo test -p bijeen --target wasm32-unknown-unknown --locked

step 7/9 "release build of the app"
"$ROOT/scripts/build-app.sh"

step 8/9 "bundle size budget"
node "$ROOT/scripts/bundle-size.mjs" dist

step 9/9 "end-to-end tests in headless Chromium"
# The relay's debug build (made by the host tests above) serves the release app: what
# matters here is the app the browser gets, and this saves a release build of the relay.
export BIJEEN_RELAY_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/bijeen-relay"
export BIJEEN_DIST="$ROOT/dist"
# Each test at most 5 minutes: a test that waits longer has hung.
node --test --test-concurrency=1 --test-timeout=300000 tests/e2e/
