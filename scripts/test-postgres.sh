#!/usr/bin/env bash
# The database, service and API tests again, against a real PostgreSQL: Debian's postgresql package,
# installed if missing, started on a free loopback port in a scratch folder, removed afterwards.
# Where it cannot be installed, it says so and skips (exit 0), so it never fakes a pass.
set -euo pipefail
cd "$(dirname "$0")/.."

find_pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
PG_BIN=$(find_pg_bin)
if [ -z "$PG_BIN" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing Debian's postgresql package..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) || true
  PG_BIN=$(find_pg_bin)
fi
if [ -z "$PG_BIN" ]; then
  echo "SKIPPED: PostgreSQL tests: no PostgreSQL server binaries and no way to install Debian's postgresql package here."
  exit 0
fi

scratch=$(mktemp -d)
# PostgreSQL refuses to run as root: run it as the package's postgres user then.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$scratch"
port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")

as_pg "$PG_BIN/initdb" -D "$scratch/data" -U shop --auth=trust >/dev/null
# Durability settings off: this server lives for one test run.
as_pg "$PG_BIN/pg_ctl" -D "$scratch/data" -l "$scratch/server.log" -w start \
  -o "-p $port -k $scratch -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null
stop() { as_pg "$PG_BIN/pg_ctl" -D "$scratch/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$scratch"; }
trap stop EXIT

echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port: database, service and API tests"
TEST_DATABASE_URL="postgres://shop@127.0.0.1:$port/postgres" npx vitest run test/platform/db test/services test/api test/orders test/coffee test/reconciliation/reconcile.test.ts test/payments
