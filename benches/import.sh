#!/usr/bin/env bash
# Commitments import: the time to import a spreadsheet of 10,000 commitment
# rows into a plan through a release server (a dry run, then the import),
# to import the same file again (nothing changes), and one that moves every
# commitment's status (an update and a history row each).
#
#   benches/import.sh                      # SQLite; builds target/release/convene
#   benches/import.sh path/to/convene      # measures that binary
#   IMPORT_PG=postgres://postgres@127.0.0.1:5432/postgres benches/import.sh
#                                          # on a new PostgreSQL database (dropped after)
#
# The server listens on loopback only; it is stopped at the end.
set -euo pipefail

ROWS=${ROWS:-10000}

cd "$(dirname "$0")/.."
binary=${1:-}
if [[ -z $binary ]]; then
    cargo build --release --quiet --bin convene
    binary=target/release/convene
fi

dir=$(mktemp -d)
database="sqlite://$dir/import.db"
pg_database=""
if [[ -n ${IMPORT_PG:-} ]]; then
    pg_database="convene_import_$$"
    psql "$IMPORT_PG" -qc "CREATE DATABASE $pg_database"
    database="${IMPORT_PG%/*}/$pg_database"
fi
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
export DATABASE_URL="$database" CONVENE_BIND="127.0.0.1:$port" RUST_LOG=warn \
    CONVENE_JWT_SECRET="a-secret-for-measuring-imports-only-0123456789"
echo 'a long enough passphrase' | "$binary" create-admin --email bench@example.org --name Bench >/dev/null
"$binary" serve 2>"$dir/server.log" &
server=$!
cleanup() {
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    rm -rf "$dir"
    if [[ -n $pg_database ]]; then
        psql "$IMPORT_PG" -qc "DROP DATABASE IF EXISTS $pg_database" || true
    fi
}
trap cleanup EXIT

for _ in $(seq 1 300); do
    curl -sf -o /dev/null "$base/readyz" && break
    sleep 0.1
done
curl -sf -o /dev/null "$base/readyz" || { cat "$dir/server.log" >&2; exit 1; }

field() { python3 -c "import json, sys; print(json.load(sys.stdin)[\"$1\"])"; }
token=$(curl -sf -H 'content-type: application/json' \
    -d '{"email":"bench@example.org","password":"a long enough passphrase"}' \
    "$base/api/v1/auth/login" | field access_token)
auth="authorization: Bearer $token"
plan=$(curl -sf -H "$auth" -H 'content-type: application/json' \
    -d '{"title":"Bench plan","period":"2021-22"}' "$base/api/v1/regions/wales/plans" | field id)

python3 - "$ROWS" >"$dir/plan.csv" <<'PY'
import sys
themes = ["accommodation", "women", "families", "commissioning", "race-equality"]
firmness = ["specific", "general", "mention"]
print("reference,theme,firmness,status,target,due_on,text")
for n in range(int(sys.argv[1])):
    print(f"W-{n:05},{themes[n % 5]},{firmness[n % 3]},not-started,,2027-03-31,"
          f"\"Commitment {n}: work with the voluntary sector on {themes[n % 5]}, reported quarterly.\"")
PY

post() {
    curl -sf -o "$dir/out.json" -w '%{time_total}' -H "$auth" -H 'content-type: text/csv' \
        --data-binary "@$dir/${2:-plan.csv}" "$base/api/v1/plans/$plan/commitments/import?dry_run=$1"
}
dry=$(post true)
real=$(post false)
created=$(field created <"$dir/out.json")
again=$(post false)
unchanged=$(field unchanged <"$dir/out.json")
# Every commitment moves on: an update and a history row each.
sed 's/,not-started,/,in-progress,/' "$dir/plan.csv" >"$dir/moved.csv"
moved=$(post false moved.csv)
updated=$(field updated <"$dir/out.json")
[[ $created == "$ROWS" && $unchanged == "$ROWS" && $updated == "$ROWS" ]] \
    || { echo "created $created, unchanged $unchanged, updated $updated" >&2; exit 1; }

db=SQLite
[[ -n $pg_database ]] && db=PostgreSQL
echo "$db, $ROWS rows ($(du -k "$dir/plan.csv" | cut -f1) KiB): dry run ${dry} s, import ${real} s, the same file again ${again} s, every status changed ${moved} s"
