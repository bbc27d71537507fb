#!/bin/sh
# Creates Temporal's two databases on PostgreSQL and brings their schemas up to date. Safe to
# run on every `docker compose up`: what exists already is kept, and updates are idempotent.
set -eu
tool() { SQL_PASSWORD="$POSTGRES_PWD" temporal-sql-tool --plugin postgres12 --ep postgres -p 5432 -u "$POSTGRES_USER" "$@"; }
schema=/etc/temporal/schema/postgresql/v12
for db in temporal temporal_visibility; do
  tool --db "$db" create 2>/dev/null || echo "database $db exists"
done
tool --db temporal setup-schema -v 0.0 2>/dev/null || echo "temporal schema exists"
tool --db temporal update-schema -d "$schema/temporal/versioned"
tool --db temporal_visibility setup-schema -v 0.0 2>/dev/null || echo "visibility schema exists"
tool --db temporal_visibility update-schema -d "$schema/visibility/versioned"
