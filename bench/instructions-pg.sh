#!/bin/sh
# instructions-pg.sh [PARENTS [WORKLOAD...]]: calx against hand-written libpq
# on PostgreSQL, counted in instructions of the client process by
# callgrind, as bench/instructions.sh counts SQLite: the customer table's
# bulk workloads at 2 x PARENTS rows (20,000 by default, the SQLite
# script's size), with the set-based contender (bench/set_pg.c) beside the
# pipelined one, then the relationship workloads (bench/graph.h) at PARENTS
# parents with 10 children each, and the query workloads over the same
# graph (bench/query.h). Every row runs calx as the README's code
# does (default tracking); the rows marked "opt-in" or "COPY" are extra.
# The server is another process: its work is not counted here (by the
# clock it is in every contender's time, and on this machine it shares the
# same cores), so the set-based contender's client, which hands the server
# one statement per 1,000 rows, does less than either. WORKLOADs, if given,
# keep only those rows. Run after `ninja bench-bins`, with a database:
#
#   sh tools/with-postgres.sh sh bench/instructions-pg.sh 10000
#
# It empties and refills the tables customer, bench_parents and
# bench_children of that database, and drops them and the fixtures' at the
# end.
set -eu
parents=${1:-10000}
[ $# -gt 0 ] && shift
only=" $* "
rows=$((parents * 2))
url=${CALX_TEST_POSTGRESQL_URL:?run inside tools/with-postgres.sh, or set CALX_TEST_POSTGRESQL_URL}
bin=build/bench
sql() {
	for q in "$@"; do
		psql -q -X -v ON_ERROR_STOP=1 "$url" -c "$q" >/dev/null
	done
}
wanted() {
	case "$only" in "  " | *" $1 "*) return 0 ;; *) return 1 ;; esac
}
"$bin/bench_pg" setup "$url" "$rows" >/dev/null
"$bin/bench_pg" setup_graph "$url" "$parents" >/dev/null

count() { # count CONTENDER WORKLOAD N: instructions of one run
	prog=$1; shift
	valgrind --tool=callgrind --toggle-collect=main --callgrind-out-file=/dev/null "$bin/$prog" "$@" 2>&1 >/dev/null |
		sed -n 's/.*refs: *//p' | tr -d ,
}
ratio() {
	python3 -c "print('%.2f×' % ($1 / $2))"
}
customer_empty() {
	sql "TRUNCATE customer RESTART IDENTITY" "VACUUM ANALYZE customer"
}
customer_fresh() { # the fixture, as bench/run.py copies it before every run
	sql "TRUNCATE customer RESTART IDENTITY" \
		"INSERT INTO customer (id, name, description) SELECT id, name, description FROM customer_fixture_$rows" \
		"ALTER TABLE customer ALTER COLUMN id RESTART WITH $((rows + 1))" "VACUUM ANALYZE customer"
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

printf '| workload (PostgreSQL, client) | rows | calx Ir | hand-written Ir | set-based Ir | calx / hand | calx / set-based |\n'
printf '|---|--:|--:|--:|--:|--:|--:|\n'
run_set() { # run_set LABEL WORKLOAD PREPARE [nohand]: calx, the pipelined and the set-based contender
	label=$1 workload=$2 prepare=$3 nohand=${4:-}
	wanted "$workload" || return 0
	$prepare
	a=$(count bench_calx "$workload" "$url" "$rows")
	b=- rb=-
	if [ -z "$nohand" ]; then
		$prepare
		b=$(count bench_pg "$workload" "$url" "$rows")
		rb=$(ratio "$a" "$b")
	fi
	$prepare
	c=$(count bench_pg_set "$workload" "$url" "$rows")
	printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$label" "$rows" "$a" "$b" "$c" "$rb" "$(ratio "$a" "$c")"
}
run_set "bulk insert, keys generated" insert_no_pk customer_empty
run_set "bulk insert, keys given" insert_pk_given customer_empty
run_set "bulk update" bulk_update customer_fresh
run_set "bulk delete" bulk_delete customer_fresh
# extra rows, never the headline
run_set "bulk insert, keys generated (opt-in CALX_TRACK_MARKED)" insert_no_pk_marked customer_empty
run_set "bulk insert, keys given (opt-in CALX_TRACK_MARKED)" insert_pk_given_marked customer_empty
run_set "bulk update (opt-in CALX_TRACK_MARKED)" bulk_update_marked customer_fresh
run_set "bulk insert, keys given (set-based: COPY, no keys back)" insert_pk_given_copy customer_empty nohand

printf '\n| workload (PostgreSQL, client) | parents | calx Ir | hand-written Ir | calx / hand |\n|---|--:|--:|--:|--:|\n'
run() { # run LABEL WORKLOAD PREPARE
	label=$1 workload=$2 prepare=$3
	wanted "$workload" || return 0
	$prepare
	a=$(count "${calx_prog:-bench_calx}" "$workload" "$url" "$parents")
	$prepare
	b=$(count "${hand_prog:-bench_pg}" "$workload" "$url" "$parents")
	printf '| %s | %s | %s | %s | %s |\n' "$label" "$parents" "$a" "$b" "$(ratio "$a" "$b")"
}
run "load graph, select-in" load_graph fresh
run "load graph, joined" load_graph_joined fresh
run "insert graph, one flush" insert_graph empty
# the query workloads (bench/query.h) have programs of their own
calx_prog=bench_calx_query hand_prog=bench_pg_query
run "GROUP BY report, windows of 100 parents" group_report fresh
run "join query, children of half the parents" join_children fresh
sql "DROP TABLE IF EXISTS bench_children, bench_parents, bench_children_fixture_$parents, bench_parents_fixture_$parents" \
	"DROP TABLE IF EXISTS customer, customer_fixture_$rows"
