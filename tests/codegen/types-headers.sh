#!/bin/sh
# types-headers.sh OUTDIR: tests/codegen/types_sqlite.sql into a new SQLite
# file and tests/codegen/types_pg.sql into a PostgreSQL schema of its own,
# then calx-codegen's header for each: OUTDIR/types_sqlite.h and
# OUTDIR/types_pg.h, which the build runs through calx-reflect
# (tests/models/models.ninja) and tests/test_codegen.c writes and reads
# rows through. The PostgreSQL connection's search_path is that schema, so
# that the enum's name comes unqualified, as the test's own schema will
# resolve it. Run inside tools/with-postgres.sh.
set -eu
out=$1
mkdir -p "$out"

db="$out/types_ddl.db"
rm -f "$db"
sqlite3 "$db" <tests/codegen/types_sqlite.sql
build/calx-codegen --quiet "sqlite:$db" -o "$out/types_sqlite.h" --guard CGX_TYPES_SQLITE_H
rm -f "$db"

schema=cgx_types_gen
url=$CALX_TEST_POSTGRESQL_URL
case $url in
*options=*) scoped=$(printf '%s' "$url" | sed "s/options=/options=-c%20search_path%3D$schema%20/") ;;
*\?*) scoped="$url&options=-c%20search_path%3D$schema" ;;
*) scoped="$url?options=-c%20search_path%3D$schema" ;;
esac
psql -q -v ON_ERROR_STOP=1 "$url" -c "SET client_min_messages TO warning" -c "DROP SCHEMA IF EXISTS $schema CASCADE" \
	-c "CREATE SCHEMA $schema"
psql -q -v ON_ERROR_STOP=1 "$scoped" -f tests/codegen/types_pg.sql
build/calx-codegen --quiet "$scoped" -o "$out/types_pg.h" --guard CGX_TYPES_PG_H
psql -q -v ON_ERROR_STOP=1 "$url" -c "SET client_min_messages TO warning" -c "DROP SCHEMA $schema CASCADE"
