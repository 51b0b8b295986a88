#!/usr/bin/env bash
# Installs every tool Bijeen needs, at pinned versions, skipping what is already there.
#   scripts/setup.sh           tools to build and run the app
#   scripts/setup.sh --test    also Chromium + chromedriver for the browser tests, and
#                              PostgreSQL + HAProxy for the relay's scale-out tests (they
#                              start their own throw-away cluster; no service is enabled)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

want_browser=false
[ "${1:-}" = "--test" ] && want_browser=true

command -v cargo >/dev/null || die "cargo not found: install Rust with rustup first"
command -v npm >/dev/null || die "npm not found: install Node.js 20 or newer first"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (about 6 minutes on 2 cores)"
  # No LTO and many codegen units: this is a build tool, its build time matters more than
  # its speed. rustls avoids a system OpenSSL.
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install trunk --version "$TRUNK_VERSION" --locked --no-default-features --features rustls
fi

wbg="$(wasm_bindgen_version)"
[ -n "$wbg" ] || die "no wasm-bindgen version in Cargo.lock"
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $wbg" ]; then
  say "installing wasm-bindgen-cli $wbg (about 4 minutes)"
  # Not --locked: its lockfile pins a webpki-roots release the registry no longer has.
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install wasm-bindgen-cli --version "$wbg"
fi

# wasm-opt (binaryen, pinned in package.json), playwright-core, axe-core and the QR
# decoder of the tests (jsqr, pngjs) come from npm.
if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] \
  || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages (wasm-opt, playwright-core, axe-core, the QR decoder)"
  npm ci --no-audit --no-fund
fi
case "$(wasm-opt --version 2>/dev/null)" in
  *"version $BINARYEN_VERSION"*) ;;
  *) die "wasm-opt on PATH is not binaryen $BINARYEN_VERSION: $(command -v wasm-opt)";;
esac

# The tests drive Debian's Chromium, and read the printed report's PDF with poppler.
if $want_browser && { ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null \
  || ! command -v pdftotext >/dev/null; }; then
  say "installing chromium, chromium-driver and poppler-utils from Debian"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver poppler-utils
fi

# The relay's PostgreSQL tests run initdb/pg_ctl from Debian's server package in a temp
# directory, and put HAProxy in front of two relays. Only the binaries are needed: the
# package's own cluster service is not started by the tests and need not run.
have_haproxy() { command -v haproxy >/dev/null || [ -x /usr/sbin/haproxy ]; }
if $want_browser && { ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null \
  || ! have_haproxy; }; then
  say "installing postgresql and haproxy from Debian (for the relay's scale-out tests)"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql haproxy
fi

# Trunk builds offline (Trunk.toml), so fetch every crate up front.
cargo fetch --locked >/dev/null
