#!/usr/bin/env bash
# Papers: the time to upload and to download one 25 MiB file through a
# release server, and the server's resident memory at its peak during the
# upload (it streams: a buffered upload would show the file's size).
#
#   benches/papers.sh                      # SQLite; builds target/release/convene
#   benches/papers.sh path/to/convene      # measures that binary
#   PAPERS_PG=postgres://postgres@127.0.0.1:5432/postgres benches/papers.sh
#                                          # on a new PostgreSQL database (dropped after)
#   PAPERS_IN_DIRECTORY=1 benches/papers.sh  # papers' files in a directory
#                                          # (CONVENE_PAPER_DIR), on either database
#
# Linux only (reads /proc). The server listens on loopback only; it is
# stopped at the end.
set -euo pipefail

SIZE_MIB=${SIZE_MIB:-25}

cd "$(dirname "$0")/.."
binary=${1:-}
if [[ -z $binary ]]; then
    cargo build --release --quiet --bin convene
    binary=target/release/convene
fi

dir=$(mktemp -d)
database="sqlite://$dir/papers.db"
pg_database=""
if [[ -n ${PAPERS_PG:-} ]]; then
    pg_database="convene_papers_$$"
    psql "$PAPERS_PG" -qc "CREATE DATABASE $pg_database"
    database="${PAPERS_PG%/*}/$pg_database"
fi
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
export DATABASE_URL="$database" CONVENE_BIND="127.0.0.1:$port" RUST_LOG=warn \
    CONVENE_JWT_SECRET="a-secret-for-measuring-papers-only-0123456789"
if [[ -n ${PAPERS_IN_DIRECTORY:-} ]]; then
    export CONVENE_PAPER_DIR="$dir/papers"
fi
echo 'a long enough passphrase' | "$binary" create-admin --email bench@example.org --name Bench >/dev/null
"$binary" serve 2>"$dir/server.log" &
server=$!
cleanup() {
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    rm -rf "$dir"
    if [[ -n $pg_database ]]; then
        psql "$PAPERS_PG" -qc "DROP DATABASE IF EXISTS $pg_database" || true
    fi
}
trap cleanup EXIT

for _ in $(seq 1 300); do
    curl -sf -o /dev/null "$base/readyz" && break
    sleep 0.1
done
curl -sf -o /dev/null "$base/readyz" || { cat "$dir/server.log" >&2; exit 1; }

field() { python3 -c "import json, sys; print(json.load(sys.stdin)[\"$1\"])"; }
kib() { awk -v key="$1:" '$1 == key { print $2 }' "/proc/$server/status"; }

token=$(curl -sf -H 'content-type: application/json' \
    -d '{"email":"bench@example.org","password":"a long enough passphrase"}' \
    "$base/api/v1/auth/login" | field access_token)
auth="authorization: Bearer $token"
forum=$(curl -sf -H "$auth" -H 'content-type: application/json' \
    -d '{"region":"wales","name":"Bench forum"}' "$base/api/v1/forums" | field id)
starts=$(date -u -d '+2 days' +%Y-%m-%dT%H:%M:%SZ)
ends=$(date -u -d '+2 days 2 hours' +%Y-%m-%dT%H:%M:%SZ)
meeting=$(curl -sf -H "$auth" -H 'content-type: application/json' \
    -d "{\"title\":\"Bench\",\"starts_at\":\"$starts\",\"ends_at\":\"$ends\",\"location\":\"Here\"}" \
    "$base/api/v1/forums/$forum/meetings" | field id)

{ printf '%%PDF-1.7\n'; head -c $((SIZE_MIB * 1024 * 1024 - 9)) /dev/urandom; } >"$dir/paper.pdf"
expected=$(sha256sum "$dir/paper.pdf" | cut -d ' ' -f 1)
sleep 1
idle_kib=$(kib VmRSS)
peak_before=$(kib VmHWM)
# From here the peak is the upload's own (signing in hashed a password with
# 19 MiB of memory, which set the peak so far).
echo 5 >"/proc/$server/clear_refs"

started=$(date +%s.%N)
paper=$(curl -sf -H "$auth" -F title=Bench -F "file=@$dir/paper.pdf" \
    "$base/api/v1/meetings/$meeting/papers" | field id)
uploaded=$(date +%s.%N)
peak_after=$(kib VmHWM)
curl -sf -H "$auth" -o "$dir/back.pdf" "$base/api/v1/papers/$paper/content"
downloaded=$(date +%s.%N)
[[ $(sha256sum "$dir/back.pdf" | cut -d ' ' -f 1) == "$expected" ]] || { echo "the bytes differ" >&2; exit 1; }

awk -v size="$SIZE_MIB" -v a="$started" -v b="$uploaded" -v c="$downloaded" \
    -v idle="$idle_kib" -v before="$peak_before" -v after="$peak_after" -v db="${pg_database:+PostgreSQL}" \
    -v store="${CONVENE_PAPER_DIR:+, files in a directory}" 'BEGIN {
    printf "%s%s, %d MiB: upload %.2f s (%.0f MiB/s), download %.2f s (%.0f MiB/s); RSS idle %.1f MiB, peak before (sign-in hashing) %.1f MiB, peak during the upload %.1f MiB\n",
        (db == "" ? "SQLite" : db), store, size, b - a, size / (b - a), c - b, size / (c - b),
        idle / 1024, before / 1024, after / 1024
}'
