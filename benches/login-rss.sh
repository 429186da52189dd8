#!/usr/bin/env bash
# Resident memory of a release server around a burst of sign-ins: idle, right
# after 32 concurrent logins, and 10 s later, at production hashing cost.
#
#   benches/login-rss.sh                 # builds target/release/convene first
#   benches/login-rss.sh path/to/convene # measures that binary
#
# Linux only (reads /proc). The server runs on a fresh SQLite file in a
# temporary directory and listens on loopback only; it is stopped at the end.
set -euo pipefail

BURST=${BURST:-32}
SETTLE_SECS=${SETTLE_SECS:-10}

cd "$(dirname "$0")/.."
binary=${1:-}
if [[ -z $binary ]]; then
    cargo build --release --quiet --bin convene
    binary=target/release/convene
fi

dir=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
DATABASE_URL="sqlite://$dir/rss.db" \
    CONVENE_BIND="127.0.0.1:$port" \
    CONVENE_JWT_SECRET="a-secret-for-measuring-memory-only-0123456789" \
    RUST_LOG=warn \
    "$binary" serve 2>"$dir/server.log" &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$dir"' EXIT

for _ in $(seq 1 300); do
    curl -sf -o /dev/null "$base/readyz" && break
    sleep 0.1
done
curl -sf -o /dev/null "$base/readyz" || { cat "$dir/server.log" >&2; exit 1; }

rss_mib() {
    awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$server/status"
}

credentials='{"email":"rss@example.org","password":"a long enough passphrase"}'
curl -sf -o /dev/null -X POST "$base/api/v1/auth/register" -H 'content-type: application/json' \
    -d '{"email":"rss@example.org","display_name":"RSS","password":"a long enough passphrase"}'
sleep 1
idle=$(rss_mib)

started=$(date +%s.%N)
logins=()
for _ in $(seq 1 "$BURST"); do
    curl -sf -o /dev/null -X POST "$base/api/v1/auth/login" -H 'content-type: application/json' \
        -d "$credentials" &
    logins+=("$!")
done
failed=0
for login in "${logins[@]}"; do
    wait "$login" || failed=$((failed + 1))
done
finished=$(date +%s.%N)
[[ $failed -eq 0 ]] || { echo "$failed of $BURST logins failed" >&2; exit 1; }
after=$(rss_mib)
sleep "$SETTLE_SECS"
later=$(rss_mib)

seconds=$(awk -v a="$started" -v b="$finished" 'BEGIN { printf "%.1f", b - a }')
printf 'RSS idle %s MiB; after %d concurrent logins (%s s) %s MiB; %d s later %s MiB\n' \
    "$idle" "$BURST" "$seconds" "$after" "$SETTLE_SECS" "$later"
