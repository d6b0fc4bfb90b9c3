# The demo's database suite on the real PostgreSQL: rows inserted, backed up, the table
# dropped, restored, and the rows are back; a missing backup is a clear error; db-stats and
# db-vacuum run; a migration that fails stops an update of the app with nothing changed, and
# the next one that works is applied once, with the data kept across the update.
source "$(dirname "$0")/lib.sh"
require_docker
docker image inspect run-demo/postgres:15 >/dev/null 2>&1 || fail "run-demo/postgres:15 is missing (scripts/make-images.sh makes it)"
cp -r "$RUN_SOURCE_DIR/run-config.yaml" "$RUN_SOURCE_DIR/environments" "$RUN_SOURCE_DIR/demo" \
  "$RUN_SOURCE_DIR/migrations" .
project=$(unique_project)
sed -i -e "s/^project: tsp/project: $project/" -e "s|image: tsp/app$|image: $project/app|" run-config.yaml
trap 'cleanup_project "$project"; rm -rf "$work"' EXIT
git -C "$work" init -q
export RUN_SECRET_DB_PASSWORD=e2e-db-password-5c1f APP_PORT=$((20000 + RANDOM % 20000))
psql_in_db() { "$RUN_BIN" exec db -- psql -h /tmp -U postgres -d signals -At -v ON_ERROR_STOP=1 -c "$1"; }
milliseconds() { date +%s%3N; }

run_expect_within 300 0 apply --auto-approve
stderr_has "db-migrate: 2 applied, 2 in all"
psql_in_db "INSERT INTO signals (symbol, side, price) SELECT 'SYM' || g, 'buy', g FROM generate_series(1, 1000) g" >/dev/null ||
  fail "could not insert rows"

started=$(milliseconds)
run_expect_within 120 0 task db-backup
backup_ms=$(($(milliseconds) - started))
backup=$(sed -n 's/^db-backup: \(backups\/dev-[0-9TZ]*\.sql\) .*/\1/p' "$work/stdout")
[ -n "$backup" ] && [ -s "$work/$backup" ] || fail "db-backup did not say where its dump is, or it is empty"
grep -q "e2e-db-password" "$work/$backup" "$work/stdout" "$work/stderr" && fail "the password is in the backup or its output"

psql_in_db "DROP TABLE signals" >/dev/null || fail "could not drop the table"
psql_in_db "SELECT count(*) FROM signals" >/dev/null 2>&1 && fail "the table is still there"

run_expect_within 60 1 task db-restore -- backups/no-such-backup.sql
stderr_has "db-restore: no backup 'backups/no-such-backup.sql' in backups/"
stderr_has "$backup"
started=$(milliseconds)
run_expect_within 120 0 task db-restore -- "$backup"
restore_ms=$(($(milliseconds) - started))
stdout_has "db-restore: restored $backup into signals"
[ "$(psql_in_db "SELECT count(*) FROM signals")" = 1000 ] || fail "the restored table does not hold the 1000 rows"

run_expect_within 120 0 task db-vacuum
run_expect_within 120 0 task db-stats
grep -qE "^ signals +\| +1000 " "$work/stdout" || fail "db-stats does not show the signals table's 1000 rows"

# An update of the app with a migration that fails: nothing changes.
app_before=$(docker inspect -f '{{.Id}}' "$project-dev-app-1")
db_before=$(docker inspect -f '{{.Id}}' "$project-dev-db-1")
echo "<!-- v2 -->" >>demo/app/www/index.html
echo "ALTER TABLE signals ADD COLUMN broken no_such_type;" >migrations/003_broken.sql
run_expect_within 60 0 plan
stdout_has "Hook: pre-deploy task db-migrate runs before any change (services.app.image changes)."
run_expect_within 300 1 apply --auto-approve
stderr_has "db-migrate"
stderr_has 'type "no_such_type" does not exist'
[ "$(docker inspect -f '{{.Id}}' "$project-dev-app-1")" = "$app_before" ] || fail "the app was changed by a failed migration"
[ "$(docker inspect -f '{{.Id}}' "$project-dev-db-1")" = "$db_before" ] || fail "the database was changed"
[ "$(psql_in_db "SELECT count(*) FROM schema_migrations")" = 2 ] || fail "the failed migration was recorded"

# The fixed migration: applied once, the app updated, the data kept.
echo "ALTER TABLE signals ADD COLUMN strategy text;" >migrations/003_broken.sql
mv migrations/003_broken.sql migrations/003_signal_strategy.sql
run_expect_within 300 0 apply --auto-approve
stderr_has "db-migrate: applying 003_signal_strategy.sql"
[ "$(docker inspect -f '{{.Id}}' "$project-dev-app-1")" != "$app_before" ] || fail "the app was not updated"
[ "$(docker inspect -f '{{.Id}}' "$project-dev-db-1")" = "$db_before" ] || fail "an update of the app touched the database"
[ "$(psql_in_db "SELECT count(*) FROM signals")" = 1000 ] || fail "the rows did not survive the update"
run_expect_within 120 0 task db-migrate
stdout_has "db-migrate: 0 applied, 3 in all"
echo "backup ${backup_ms} ms, restore ${restore_ms} ms (1000 rows, the task's container included)"
pass
