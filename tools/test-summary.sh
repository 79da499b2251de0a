#!/bin/sh
# test-summary.sh OUT LOG...: print each suite's cmocka result lines and one
# closing line "N passed, N failed" over all of them.
set -u
out=$1; shift
passed=0; failed=0
for f in "$@"; do
	[ -f "$f" ] || continue
	grep -E '^\[ *(PASSED|FAILED|  SKIPPED) *\]|^\[==========\] tests?:|^\[==========\] [0-9]+ test' "$f" | sed "s|^|$(basename "$(dirname "$f")")/$(basename "$f" .ok): |"
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$f" | awk '{s+=$1} END {print s+0}')
	q=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$f" | awk '{s+=$1} END {print s+0}')
	passed=$((passed + p)); failed=$((failed + q))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && : > "$out"
