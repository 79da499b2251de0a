#!/bin/sh
# check-plugins.sh [FILE...]: plugins use the public headers only.
#
# Plugins (plugins/, headers in include/calx/plugins/) are what a user
# could have written (DESIGN.md): every #include in them must be
#   - <calx/...> naming a header under include/calx/ (the public API),
#   - "name.h" naming a header of plugins/ itself (their private helpers),
#   - or a system header <...> that is not one of calx's internal folders.
# Anything else (an internal header by any path: "session/session.h",
# <orm/...>, "../orm/...") fails, naming file:line. With --self-test it
# checks itself on tools/check-plugins.d/: bad.c must fail on each of its
# lines marked FAILS, good.c must pass.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)

check() {
	awk -v root="$root" -v dir="$(cd "$(dirname "$1")" && pwd)" '
	function exists(p) { return (system("test -f \"" p "\"") == 0) }
	/^[ \t]*#[ \t]*include/ {
		line = $0
		if (match(line, /<[^>]*>/)) {
			name = substr(line, RSTART + 1, RLENGTH - 2)
			if (name ~ /^calx\//) {
				if (!exists(root "/include/" name)) { print FILENAME ":" FNR ": <" name "> is not a public header"; bad = 1 }
			} else if (name ~ /^(orm|dialects|reflect|base|session|mapping|sql|loading|unitofwork|engine|schema)\//) {
				print FILENAME ":" FNR ": <" name "> is an internal header"; bad = 1
			}
		} else if (match(line, /"[^"]*"/)) {
			name = substr(line, RSTART + 1, RLENGTH - 2)
			if (name ~ /\// || !exists(dir "/" name) || dir !~ /\/plugins$/) {
				print FILENAME ":" FNR ": \"" name "\" is not a header of plugins/"; bad = 1
			}
		}
	}
	END { exit bad }' "$1"
}

if [ "${1:-}" = "--self-test" ]; then
	d="$root/tools/check-plugins.d"
	out=$(check "$d/bad.c") && { echo "check-plugins self-test: bad.c passed"; exit 1; }
	want=$(grep -c 'FAILS:' "$d/bad.c")
	got=$(printf '%s\n' "$out" | grep -c .)
	[ "$got" = "$want" ] || { echo "check-plugins self-test: $got findings in bad.c, want $want:"; echo "$out"; exit 1; }
	check "$d/good.c" || { echo "check-plugins self-test: good.c failed"; exit 1; }
	echo "check-plugins self-test: ok"
	exit 0
fi

[ $# -gt 0 ] || set -- "$root"/plugins/*.c "$root"/plugins/*.h "$root"/include/calx/plugins/*.h
fail=0
for f in "$@"; do
	check "$f" || fail=1
done
[ $fail = 0 ] && echo "check-plugins: $# files, public headers only"
exit $fail
