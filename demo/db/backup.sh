#!/bin/sh
# db-backup: a plain SQL dump of the database into backups/, named after the environment and
# the time (UTC), never after anything secret. The dump drops what it recreates, so restoring
# it over a damaged database gives back exactly what was dumped.
set -eu
name="${RUN_ENVIRONMENT}-$(date -u +%Y%m%dT%H%M%SZ).sql"
partial="/backups/.${name}.partial"
pg_dump --clean --if-exists --no-owner --file="$partial"
# Only a complete dump gets its name: a failed one never looks like a backup.
mv "$partial" "/backups/$name"
echo "db-backup: backups/$name ($(wc -c <"/backups/$name") bytes)"
