#!/bin/sh
# run-test.sh OUT BINARY [ARGS...]: run one test binary; on success keep its
# output as OUT (read by test-summary.sh), on failure print it and fail.
set -u
out=$1; shift
log="$out.log"
mkdir -p "$(dirname "$out")"
rm -f "$out"
if "$@" >"$log" 2>&1; then
	mv "$log" "$out"
else
	rc=$?
	cat "$log"
	echo "FAILED ($rc): $*"
	exit 1
fi
