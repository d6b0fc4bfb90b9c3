#!/bin/sh
# db-vacuum: reclaims dead rows and refreshes the planner's statistics.
set -eu
vacuumdb --analyze --quiet
echo "db-vacuum: vacuumed and analysed $PGDATABASE"
