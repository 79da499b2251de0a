#!/bin/sh
# chinook-headers.sh OUTDIR: the Chinook scripts' DDL (everything before
# their first INSERT) into a new SQLite file and a PostgreSQL schema of its
# own, then calx-codegen's header for each: OUTDIR/chinook_sqlite.h and
# OUTDIR/chinook_pg.h, which the build runs through calx-reflect like any
# test model (tests/models/models.ninja). Run inside tools/with-postgres.sh.
set -eu
out=$1
mkdir -p "$out"
ddl() { awk '/^INSERT INTO/ { exit } { print }' "$1"; }

db="$out/chinook_ddl.db"
rm -f "$db"
ddl examples/chinook/data/Chinook_Sqlite.sql | sqlite3 "$db"
# text of up to 40 characters as char[N] on SQLite, char * on PostgreSQL: both kinds round-trip.
# SQLite's DATETIME text ("2009-01-01 00:00:00") loads into calx_timestamp,
# but a copy would write calx's canonical "2009-01-01 00:00:00.000000": the
# dates stay text there (--times-as-text), and are calx_timestamp on PostgreSQL.
build/calx-codegen --quiet --char-arrays 40 --times-as-text "sqlite:$db" -o "$out/chinook_sqlite.h" --guard CGX_CHINOOK_SQLITE_H
rm -f "$db"

url=$CALX_TEST_POSTGRESQL_URL
schema=cgx_chinook_gen
psql -q -v ON_ERROR_STOP=1 "$url" -c "SET client_min_messages TO warning" -c "DROP SCHEMA IF EXISTS $schema CASCADE" -c "CREATE SCHEMA $schema"
{
	echo "SET search_path TO $schema;"
	ddl examples/chinook/data/Chinook_PostgreSql.sql | sed -n '/^CREATE TABLE/,$p'
} | psql -q -v ON_ERROR_STOP=1 "$url"
build/calx-codegen --quiet --schema "$schema" "$url" -o "$out/chinook_pg.h" --guard CGX_CHINOOK_PG_H
psql -q -v ON_ERROR_STOP=1 "$url" -c "SET client_min_messages TO warning" -c "DROP SCHEMA $schema CASCADE"
