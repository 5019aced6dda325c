#!/usr/bin/env bash
# Starts the demo server (`serve --demo`) on a free loopback port, runs Microsoft's SDS
# collection against it with sds_newman.sh, and stops the server again, whatever happens.
#
# Usage: tests/conformance/run_against_demo.sh PORT SECRET
set -euo pipefail

port="${1:?usage: run_against_demo.sh PORT SECRET}"
secret="${2:?usage: run_against_demo.sh PORT SECRET}"
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="$repo/target/conformance"
mkdir -p "$out"
db="$out/demo.sqlite"
rm -f "$db" "$db-wal" "$db-shm"

UMS_DEMO_CLIENT_SECRET="$secret" "$repo/target/debug/ums-oneroster" serve --demo \
    --db "$db" --listen "127.0.0.1:$port" >"$out/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT

for _ in $(seq 1 100); do
    if curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; then break; fi
    if ! kill -0 "$server" 2>/dev/null; then
        echo "the demo server exited early:" >&2
        cat "$out/server.log" >&2
        exit 2
    fi
    sleep 0.2
done

"$here/sds_newman.sh" "http://127.0.0.1:$port" "$secret"
