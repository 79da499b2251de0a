#!/bin/sh
# instructions.sh [ROWS [WORKLOAD...]]: calx against hand-written sqlite3, counted in
# instructions by callgrind rather than timed. Instruction counts repeat
# exactly for the same binaries and inputs whatever else the machine is
# doing, so the ratio is reproducible where wall-clock medians on a shared
# machine are not. It leaves out what instructions cannot see: cache misses,
# memory bandwidth, fsync (so it complements `ninja bench`, it does not
# replace it). Only what runs inside main() is counted: the dynamic
# loader's work differs between the binaries (libcalx links libpq too).
# Every row runs calx as the README's code does (default tracking); the
# rows marked "opt-in" after them are extra: calx's CALX_TRACK_MARKED, and
# the hand-written program's multi-row INSERTs against calx's default.
# Run after `ninja bench-bins`. The relationship workloads (bench/graph.h)
# use ROWS / 2 parents with 10 children each (10,000 by default, the size
# of `ninja bench`). WORKLOADs, if given, keep only those rows (e.g.
# `sh bench/instructions.sh 20000 load_graph insert_graph`;
# load_graph_joined loads the same graph by joined eager loading). The query
# workloads (bench/query.h: group_report, join_children) run over the same
# graph. The mixed workload's threads are left out: they wait on locks.
set -eu
rows=${1:-20000}
[ $# -gt 0 ] && shift
only=" $* "
parents=$((rows / 2))
bin=build/bench
dir=build/bench/instructions
mkdir -p "$dir"
fixture="$dir/fixture.db"
rm -f "$fixture" "$fixture-wal" "$fixture-shm"
"$bin/bench_sqlite" setup "sqlite:$fixture" "$rows" >/dev/null
graph="$dir/graph.db"
rm -f "$graph" "$graph-wal" "$graph-shm"
"$bin/bench_sqlite" setup_graph "sqlite:$graph" "$parents" >/dev/null
python3 -c "
import random; random.seed(7); n=$rows
print('\n'.join(str(i) for i in random.sample(range(1, n + 1), min(n, 10000))))" > "$dir/ids.txt"

count() { # count CONTENDER WORKLOAD URL N [ARGS]: instructions of one run
	prog=$1; shift
	valgrind --tool=callgrind --toggle-collect=main --callgrind-out-file=/dev/null "$bin/$prog" "$@" 2>&1 >/dev/null |
		sed -n 's/.*refs: *//p' | tr -d ,
}
fresh() {
	rm -f "$dir/run.db" "$dir/run.db-wal" "$dir/run.db-shm"
	cp "$fixture" "$dir/run.db"
	echo "sqlite:$dir/run.db"
}
memory_url() {
	echo "sqlite::memory:"
}
graph_fresh() {
	rm -f "$dir/run.db" "$dir/run.db-wal" "$dir/run.db-shm"
	cp "$graph" "$dir/run.db"
	echo "sqlite:$dir/run.db"
}
graph_empty() {
	rm -f "$dir/run.db" "$dir/run.db-wal" "$dir/run.db-shm"
	"$bin/bench_sqlite" setup_graph "sqlite:$dir/run.db" 0 >/dev/null
	echo "sqlite:$dir/run.db"
}
empty() {
	rm -f "$dir/run.db" "$dir/run.db-wal" "$dir/run.db-shm"
	"$bin/bench_sqlite" setup "sqlite:$dir/run.db" 0 >/dev/null
	echo "sqlite:$dir/run.db"
}

printf '| workload | rows | calx Ir | hand-written Ir | calx / hand |\n|---|--:|--:|--:|--:|\n'
run() { # run LABEL WORKLOAD N URLKIND [ARGS]
	label=$1 workload=$2 n=$3 kind=$4; shift 4
	case "$only" in "  " | *" $workload "*) ;; *) return 0 ;; esac
	a=$(count "${calx_prog:-bench_calx}" "$workload" "$($kind)" "$n" "$@")
	b=$(count "${hand_prog:-bench_sqlite}" "$workload" "$($kind)" "$n" "$@")
	printf '| %s | %s | %s | %s | %s× |\n' "$label" "$n" "$a" "$b" \
		"$(python3 -c "print('%.2f' % ($a / $b))")"
}
run "bulk insert, keys generated" insert_no_pk "$rows" empty
run "bulk insert, keys given" insert_pk_given "$rows" empty
run "load objects, one session" load_objects "$rows" fresh
run "load objects, session per page" load_pages "$rows" fresh
run "load column tuples" load_columns "$rows" fresh
run "single insert+commit, :memory:" single_insert 2000 memory_url
run "get by key, cold" get_cold 10000 fresh "ids=$dir/ids.txt"
run "get by key, warm" get_warm 10000 fresh "ids=$dir/ids.txt"
run "bulk update" bulk_update "$rows" fresh
run "bulk delete" bulk_delete "$rows" fresh
run "load graph, select-in (parents)" load_graph "$parents" graph_fresh
run "load graph, joined (parents)" load_graph_joined "$parents" graph_fresh
run "insert graph, one flush (parents)" insert_graph "$parents" graph_empty
# extra rows, never the headline
run "bulk insert, keys generated (opt-in CALX_TRACK_MARKED)" insert_no_pk_marked "$rows" empty
run "bulk insert, keys given (opt-in CALX_TRACK_MARKED)" insert_pk_given_marked "$rows" empty
run "bulk update (opt-in CALX_TRACK_MARKED)" bulk_update_marked "$rows" fresh
run "bulk insert, keys generated (hand-written: multi-row VALUES, 100 a statement, RETURNING id)" \
	insert_no_pk_values "$rows" empty
run "bulk insert, keys generated (hand-written: multi-row VALUES, 100 a statement, keys from last_insert_rowid)" \
	insert_no_pk_values_rowid "$rows" empty
run "bulk insert, keys given (hand-written: multi-row VALUES, 100 a statement)" insert_pk_given_values "$rows" empty
# the query workloads (bench/query.h) have programs of their own
calx_prog=bench_calx_query hand_prog=bench_sqlite_query
run "GROUP BY report, windows of 100 parents (parents)" group_report "$parents" graph_fresh
run "join query, children of half the parents (parents)" join_children "$parents" graph_fresh
