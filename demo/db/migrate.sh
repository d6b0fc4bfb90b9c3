#!/bin/sh
# db-migrate: applies migrations/*.sql in name order, each once. What was applied is kept in
# the schema_migrations table; a migration and its row commit together, so one that fails
# leaves no trace and stops here (the deploy it runs before then changes nothing).
set -eu
psql() { command psql --quiet --no-psqlrc -v ON_ERROR_STOP=1 "$@"; }
psql -c "CREATE TABLE IF NOT EXISTS schema_migrations (
  name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())" >/dev/null
record=$(mktemp)
printf "INSERT INTO schema_migrations (name) VALUES (:'name');\n" >"$record"
applied=0
for file in /migrations/*.sql; do
  [ -e "$file" ] || break
  name=$(basename "$file")
  # psql quotes :'name' itself, but only in what it reads, not in -c
  count=$(printf "SELECT count(*) FROM schema_migrations WHERE name = :'name';\n" |
    psql -At -v name="$name")
  [ "$count" = 0 ] || continue
  echo "db-migrate: applying $name"
  psql --single-transaction -v name="$name" --file="$file" --file="$record" >/dev/null
  applied=$((applied + 1))
done
echo "db-migrate: $applied applied, $(psql -At -c 'SELECT count(*) FROM schema_migrations') in all"
