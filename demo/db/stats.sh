#!/bin/sh
# db-stats: the database's size, its tables' rows and sizes, and who is connected.
set -eu
psql --no-psqlrc -v ON_ERROR_STOP=1 <<'SQL'
\pset footer off
SELECT current_database() AS database,
       pg_size_pretty(pg_database_size(current_database())) AS size,
       (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()) AS connections;
SELECT relname AS "table", n_live_tup AS rows, n_dead_tup AS dead_rows,
       pg_size_pretty(pg_total_relation_size(relid)) AS size,
       coalesce(greatest(last_vacuum, last_autovacuum)::text, 'never') AS last_vacuum
FROM pg_stat_user_tables ORDER BY relname;
SQL
