#!/bin/sh
# db-restore FILE: loads a dump made by db-backup, in one transaction (a dump that fails half
# way changes nothing). FILE is a path under backups/ as the host sees it, or a bare name.
set -eu
if [ $# -ne 1 ]; then
  echo "db-restore: give the backup to restore: run task db-restore -- backups/NAME.sql" >&2
  exit 2
fi
name=${1#./}
name=${name#backups/}
file="/backups/$name"
if [ ! -f "$file" ]; then
  echo "db-restore: no backup '$1' in backups/" >&2
  found=$(cd /backups && ls -1 -- *.sql 2>/dev/null | tail -n 5 || true)
  if [ -n "$found" ]; then
    echo "the latest backups:" >&2
    echo "$found" | sed 's|^|  backups/|' >&2
  else
    echo "there are no backups yet: run task db-backup" >&2
  fi
  exit 1
fi
psql --quiet --no-psqlrc -v ON_ERROR_STOP=1 --single-transaction --file="$file" >/dev/null
echo "db-restore: restored backups/$name into $PGDATABASE"
