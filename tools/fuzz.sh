#!/bin/sh
# Run one libFuzzer target for a bounded time (ninja fuzz runs every one).
#
#   sh tools/fuzz.sh TARGET OUT
#
# 1. replays every input in tests/fuzz/regressions/TARGET/ (each once: a
#    crash fixed must stay fixed);
# 2. copies tests/fuzz/corpus/TARGET/ into build/fuzz/corpus/TARGET/ (which
#    keeps what earlier runs found; the repo's corpus is never written) and
#    fuzzes from it for $CALX_FUZZ_TIME seconds (default 20), at most 10 s
#    per input;
# 3. writes one line to OUT: executions, corpus size, crashes (0, or the
#    script fails with the report's tail and the input in
#    build/fuzz/artifacts/TARGET/).
# The whole libFuzzer output is in build/fuzz/TARGET.full.log. The
# environment (sanitizer options, TMPDIR) is tools/fuzz-env.sh's.
set -eu
t=$1
out=$2
secs=${CALX_FUZZ_TIME:-20}
root=$(pwd)
bin=$root/build/fuzz/$t
log=$root/build/fuzz/$t.full.log
corpus=$root/build/fuzz/corpus/$t
artifacts=$root/build/fuzz/artifacts/$t/

. tools/fuzz-env.sh

mkdir -p "$corpus" "$artifacts"
: > "$log"

fuzz_replay "$t" "$log"

cp tests/fuzz/corpus/"$t"/* "$corpus"/
if ! "$bin" -max_total_time="$secs" -timeout=10 -print_final_stats=1 \
	-artifact_prefix="$artifacts" "$corpus" >> "$log" 2>&1; then
	tail -n 60 "$log" >&2
	echo "fuzz $t: FAILED, input saved under $artifacts (log: $log)" >&2
	exit 1
fi
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
ncorpus=$(ls "$corpus" | wc -l)
printf 'fuzz %-8s %10s executions in %ss, corpus %s inputs, %s regression inputs replayed, 0 crashes\n' \
	"$t" "$execs" "$secs" "$ncorpus" "$nreg" > "$out"
