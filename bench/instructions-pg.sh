#!/bin/sh
# instructions-pg.sh [PARENTS]: the relationship workloads (bench/graph.h)
# and the query workloads over the same graph (bench/query.h) on
# PostgreSQL, calx against hand-written libpq, counted in instructions of
# the client process by callgrind, as bench/instructions.sh counts SQLite.
# The server is another process: its work is not counted here (by the
# clock it is in every contender's time, and on this machine it
# shares the same cores). Run after `ninja bench-bins`, with a database:
#
#   sh tools/with-postgres.sh sh bench/instructions-pg.sh 10000
#
# It empties and refills the tables bench_parents and bench_children of
# that database, and drops them and the fixture's at the end.
set -eu
parents=${1:-10000}
url=${CALX_TEST_POSTGRESQL_URL:?run inside tools/with-postgres.sh, or set CALX_TEST_POSTGRESQL_URL}
bin=build/bench
sql() {
	for q in "$@"; do
		psql -q -X -v ON_ERROR_STOP=1 "$url" -c "$q" >/dev/null
	done
}
"$bin/bench_pg" setup_graph "$url" "$parents" >/dev/null

count() { # count CONTENDER WORKLOAD N: instructions of one run
	prog=$1; shift
	valgrind --tool=callgrind --toggle-collect=main --callgrind-out-file=/dev/null "$bin/$prog" "$@" 2>&1 >/dev/null |
		sed -n 's/.*refs: *//p' | tr -d ,
}
empty() {
	sql "TRUNCATE bench_children, bench_parents RESTART IDENTITY" \
		"VACUUM ANALYZE bench_parents" "VACUUM ANALYZE bench_children"
}
fresh() { # the fixture, as bench/run.py copies it before every run
	sql "TRUNCATE bench_children, bench_parents RESTART IDENTITY" \
		"INSERT INTO bench_parents (id, name, value) SELECT id, name, value FROM bench_parents_fixture_$parents" \
		"INSERT INTO bench_children (id, parent_id, name, value) SELECT id, parent_id, name, value FROM bench_children_fixture_$parents" \
		"VACUUM ANALYZE bench_parents" "VACUUM ANALYZE bench_children"
}

printf '| workload (PostgreSQL, client) | parents | calx Ir | hand-written Ir | calx / hand |\n|---|--:|--:|--:|--:|\n'
run() { # run LABEL WORKLOAD PREPARE
	label=$1 workload=$2 prepare=$3
	$prepare
	a=$(count "${calx_prog:-bench_calx}" "$workload" "$url" "$parents")
	$prepare
	b=$(count "${hand_prog:-bench_pg}" "$workload" "$url" "$parents")
	printf '| %s | %s | %s | %s | %s× |\n' "$label" "$parents" "$a" "$b" \
		"$(python3 -c "print('%.2f' % ($a / $b))")"
}
run "load graph, select-in" load_graph fresh
run "insert graph, one flush" insert_graph empty
# the query workloads (bench/query.h) have programs of their own
calx_prog=bench_calx_query hand_prog=bench_pg_query
run "GROUP BY report, windows of 100 parents" group_report fresh
run "join query, children of half the parents" join_children fresh
sql "DROP TABLE IF EXISTS bench_children, bench_parents, bench_children_fixture_$parents, bench_parents_fixture_$parents"
