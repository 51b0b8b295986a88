#!/usr/bin/env bash
# Builds the app in release mode and starts the relay that serves it.
#   scripts/run.sh [relay flags]     e.g. --port 9000 --data-dir /var/lib/bijeen
#                                    or --tls-cert cert.pem --tls-key key.pem for https
# Port and data directory also come from BIJEEN_PORT and BIJEEN_DATA_DIR.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

"$ROOT/scripts/setup.sh"

# Rebuild the app only when one of its inputs changed since the last build: wasm-opt alone
# takes half a minute, and a second start should be quick.
app_inputs=(src style public index.html participant.html remote.html window.html first-screen.js first-join.js sw.js Trunk.toml Cargo.toml Cargo.lock
  crates/core crates/protocol package-lock.json scripts/build-app.sh)
if [ ! -f dist/remote.html ] \
  || [ -n "$(find "${app_inputs[@]}" -newer dist/remote.html -print -quit 2>/dev/null)" ]; then
  say "building the app's three entries (release)"
  "$ROOT/scripts/build-app.sh"
else
  say "the app in dist/ is up to date"
  # A few seconds; also covers a dist/ that was built by hand without the compressed copies.
  "$ROOT/scripts/precompress.sh" dist
fi

say "building the relay"
cargo build --profile relay --locked -p bijeen-relay

port="${BIJEEN_PORT:-8080}"
# With a certificate the relay serves https (and redirects plain http there).
scheme=http
[ -n "${BIJEEN_TLS_CERT:-}" ] && scheme=https
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in
    --port) port="${args[$((i + 1))]:-$port}" ;;
    --port=*) port="${args[$i]#--port=}" ;;
    --tls-cert | --tls-cert=*) scheme=https ;;
  esac
done

echo
echo "Bijeen — open one of these links:"
echo "  on this computer:        $scheme://localhost:$port/"
for ip in $(hostname -I 2>/dev/null || true); do
  case "$ip" in *:*) continue ;; esac
  echo "  from phones on the wifi: $scheme://$ip:$port/"
done
if [ "$scheme" = http ]; then
  echo "  (phones get offline reload and a private connection over https: see README,"
  echo "   \"Phones on the wifi: HTTPS\")"
fi
echo "  A workshop's console is /w/<id>, its projector /w/<id>/present,"
echo "  and participants join at /w/<id>/join (links are shown in the console)."
echo "Stop with Ctrl-C."
echo
exec "${CARGO_TARGET_DIR:-$ROOT/target}/relay/bijeen-relay" --dist "$ROOT/dist" "$@"
