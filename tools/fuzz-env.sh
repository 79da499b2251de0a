# Sourced by tools/fuzz.sh and tools/fuzz-long.sh (from the source root):
# the environment of the libFuzzer targets, and replaying regressions.

# LeakSanitizer: only libclang's own leaks are suppressed (tests/fuzz/lsan.supp).
LSAN_OPTIONS=suppressions=$(pwd)/tests/fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}
export LSAN_OPTIONS

# fuzz_uow commits to a SQLite file in a directory under $TMPDIR, and every
# commit's fsync would cost more than the rest of the input (about 80
# inputs a second on a disk, 1,000 on tmpfs): tmpfs when there is one.
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
	TMPDIR=/dev/shm
	export TMPDIR
fi

# fuzz_replay TARGET LOG: run every input of tests/fuzz/regressions/TARGET/
# once (a crash fixed must stay fixed); sets nreg; fails with the log's tail.
fuzz_replay() {
	nreg=0
	[ -d "tests/fuzz/regressions/$1" ] || return 0
	set -- "$1" "$2" tests/fuzz/regressions/"$1"/*
	[ -e "$3" ] || return 0
	_t=$1
	_log=$2
	shift 2
	nreg=$#
	if ! "build/fuzz/$_t" -timeout=10 "$@" >> "$_log" 2>&1; then
		tail -n 40 "$_log" >&2
		echo "fuzz $_t: a regression input fails again (log: $_log)" >&2
		return 1
	fi
}
