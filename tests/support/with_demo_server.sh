#!/usr/bin/env bash
# Starts the demo server (`serve --demo`, fresh database) on a loopback port, runs a suite
# against it as `SUITE BASE_URL SECRET`, and stops the server again, whatever happens.
#
# Usage: tests/support/with_demo_server.sh PORT SECRET SUITE
#   e.g. tests/support/with_demo_server.sh 18089 s3cret tests/conformance/sds_newman.sh
set -euo pipefail

port="${1:?usage: with_demo_server.sh PORT SECRET SUITE}"
secret="${2:?usage: with_demo_server.sh PORT SECRET SUITE}"
suite="${3:?usage: with_demo_server.sh PORT SECRET SUITE}"
repo="$(cd "$(dirname "$0")/../.." && pwd)"
out="$repo/target/demo-server-$port"
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

"$suite" "http://127.0.0.1:$port" "$secret"
