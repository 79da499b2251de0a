#!/bin/sh
# A long fuzzing campaign (ninja fuzz-long; never run by CI).
#
#   sh tools/fuzz-long.sh OUT [TARGET...]     (default: every target)
#
# For each target, one after the other:
# 1. replays tests/fuzz/regressions/TARGET/;
# 2. fuzzes for $CALX_FUZZ_LONG_TIME seconds (default 3600) from the
#    committed corpus and what earlier runs kept in build/fuzz/corpus/TARGET/,
#    into build/fuzz/long/TARGET/; with $CALX_FUZZ_LONG_JOBS above 1, that
#    many fuzzing processes at once (-fork), each input at most 10 s;
# 3. merges (libFuzzer -merge=1) what the campaign found into
#    tests/fuzz/corpus/TARGET/: only inputs that add coverage, named by
#    their SHA-1, ready to commit (tests/fuzz/seeds.py leaves them alone);
# 4. appends a line to OUT: target, seconds, executions, executions per
#    second, coverage (libFuzzer's cov: edges and ft: features at the end),
#    inputs merged, crashes.
# A crash stops that target's campaign (its input in
# build/fuzz/artifacts/TARGET/, the log in build/fuzz/long/TARGET.log), is
# counted in OUT, and the script goes on with the next target and fails at
# the end. A regression input that fails again stops the whole run at once.
# Run it at low priority on a shared machine: nice -n 19 ninja fuzz-long.
set -eu
out=$1
shift
secs=${CALX_FUZZ_LONG_TIME:-3600}
jobs=${CALX_FUZZ_LONG_JOBS:-1}
[ $# -gt 0 ] || set -- annot url decode reflect sql uow

. tools/fuzz-env.sh

mkdir -p build/fuzz/long
printf '# ninja fuzz-long, %s: CALX_FUZZ_LONG_TIME=%s, CALX_FUZZ_LONG_JOBS=%s\n' \
	"$(date -u '+%Y-%m-%d %H:%M UTC')" "$secs" "$jobs" > "$out"
printf '%-8s %8s %12s %8s %7s %7s %7s %7s\n' target seconds executions exec/s cov ft merged crashes >> "$out"
failed=0
for t in "$@"; do
	bin=build/fuzz/$t
	work=build/fuzz/long/$t
	log=build/fuzz/long/$t.log
	artifacts=build/fuzz/artifacts/$t/
	mkdir -p "$work" "$artifacts" build/fuzz/corpus/"$t"
	: > "$log"
	fuzz_replay "$t" "$log"
	cp tests/fuzz/corpus/"$t"/* "$work"/
	cp -R build/fuzz/corpus/"$t"/. "$work"/
	fork=
	[ "$jobs" -le 1 ] || fork="-fork=$jobs"
	crashes=0
	start=$(date +%s)
	"$bin" $fork -max_total_time="$secs" -timeout=10 -print_final_stats=1 \
		-artifact_prefix="$artifacts" "$work" >> "$log" 2>&1 || crashes=1
	elapsed=$(( $(date +%s) - start ))
	# the last status line: "#N  DONE cov: C ft: F ..." (or "#N: cov: C ft: F ..." with -fork)
	last=$(grep -E '^#[0-9]+:?[[:space:]].*cov: [0-9]+ ft: [0-9]+' "$log" | tail -n 1)
	execs=$(printf '%s\n' "$last" | sed -n 's/^#\([0-9]*\).*/\1/p')
	cov=$(printf '%s\n' "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
	ft=$(printf '%s\n' "$last" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
	before=$(ls tests/fuzz/corpus/"$t" | wc -l)
	"$bin" -merge=1 -timeout=10 tests/fuzz/corpus/"$t" "$work" >> "$log" 2>&1 || crashes=1
	after=$(ls tests/fuzz/corpus/"$t" | wc -l)
	printf '%-8s %8s %12s %8s %7s %7s %7s %7s\n' "$t" "$elapsed" "${execs:-?}" \
		"$(( ${execs:-0} / (elapsed > 0 ? elapsed : 1) ))" "${cov:-?}" "${ft:-?}" "$(( after - before ))" \
		"$crashes" >> "$out"
	if [ "$crashes" -ne 0 ]; then
		failed=1
		tail -n 30 "$log" >&2
		echo "fuzz-long $t: FAILED, input under $artifacts (log: $log)" >&2
	fi
done
cat "$out"
exit "$failed"
