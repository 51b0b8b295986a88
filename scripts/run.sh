#!/usr/bin/env bash
# Builds the app in release mode and starts the relay that serves it.
#   scripts/run.sh [relay flags]     e.g. --port 9000 --data-dir /var/lib/bijeen
# Port and data directory also come from BIJEEN_PORT and BIJEEN_DATA_DIR.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

"$ROOT/scripts/setup.sh"

# Rebuild the app only when one of its inputs changed since the last build: wasm-opt alone
# takes half a minute, and a second start should be quick.
app_inputs=(src style public index.html Trunk.toml Cargo.toml Cargo.lock crates/core package-lock.json)
if [ ! -f dist/index.html ] || [ -n "$(find "${app_inputs[@]}" -newer dist/index.html -print -quit 2>/dev/null)" ]; then
  say "building the app (release)"
  trunk build --release
else
  say "the app in dist/ is up to date"
fi
# A few seconds; also covers a dist/ that was built by hand without the compressed copies.
"$ROOT/scripts/precompress.sh" dist

say "building the relay"
cargo build --profile relay --locked -p bijeen-relay

port="${BIJEEN_PORT:-8080}"
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in
    --port) port="${args[$((i + 1))]:-$port}" ;;
    --port=*) port="${args[$i]#--port=}" ;;
  esac
done

echo
echo "Bijeen — open one of these links:"
echo "  on this computer:        http://localhost:$port/"
for ip in $(hostname -I 2>/dev/null || true); do
  case "$ip" in *:*) continue ;; esac
  echo "  from phones on the wifi: http://$ip:$port/"
done
echo "  A workshop's console is /w/<id>, its projector /w/<id>/present,"
echo "  and participants join at /w/<id>/join (links are shown in the console)."
echo "Stop with Ctrl-C."
echo
exec "${CARGO_TARGET_DIR:-$ROOT/target}/relay/bijeen-relay" --dist "$ROOT/dist" "$@"
