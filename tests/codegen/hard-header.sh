#!/bin/sh
# hard-header.sh OUT: tests/codegen/hard_schema.sql into a PostgreSQL schema
# of its own, then calx-codegen --skip-unmappable's header for it in OUT,
# which the build runs through calx-reflect (tests/models/models.ninja).
# The connection's search_path is that schema, so that the enum's and the
# domains' names come unqualified, as the test's own schema will resolve
# them. Run inside tools/with-postgres.sh.
set -eu
out=$1
mkdir -p "$(dirname "$out")"
schema=cgx_hard_gen
url=$CALX_TEST_POSTGRESQL_URL
case $url in
*options=*) scoped=$(printf '%s' "$url" | sed "s/options=/options=-c%20search_path%3D$schema%20/") ;;
*\?*) scoped="$url&options=-c%20search_path%3D$schema" ;;
*) scoped="$url?options=-c%20search_path%3D$schema" ;;
esac
psql -q -v ON_ERROR_STOP=1 "$url" -c "SET client_min_messages TO warning" -c "DROP SCHEMA IF EXISTS $schema CASCADE" \
	-c "CREATE SCHEMA $schema"
psql -q -v ON_ERROR_STOP=1 "$scoped" -f tests/codegen/hard_schema.sql
build/calx-codegen --quiet --skip-unmappable "$scoped" -o "$out" --guard CGX_HARD_PG_H 2>/dev/null
psql -q -v ON_ERROR_STOP=1 "$url" -c "SET client_min_messages TO warning" -c "DROP SCHEMA $schema CASCADE"
