#!/bin/sh
# Compiles tests/compile/typed_handles.c: case 0 must compile cleanly, and
# every other case must fail to compile with the message listed for it, at
# the case's own line. Usage: run.sh CC OUT
set -u
cc=$1 out=$2
src=tests/compile/typed_handles.c
flags="-std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -Iinclude -Itests/models -Ibuild/gen/tests/models -fsyntax-only"
log=$out.log
: > "$log"
fail=0
if ! $cc $flags -DCASE=0 "$src" >> "$log" 2>&1; then
	echo "typed handles: case 0 (what must compile) does not compile:"; cat "$log"; exit 1
fi
value="calx: the C type of the value does not fit the column"
while read -r n want; do
	err=$($cc $flags -DCASE="$n" "$src" 2>&1) && { echo "typed handles: case $n compiled, and must not"; fail=1; continue; }
	line=$(grep -n "^#elif CASE == $n\$" "$src" | cut -d: -f1)
	case $want in value) want=$value ;; esac
	if ! printf '%s\n' "$err" | grep -qF -- "$want"; then
		echo "typed handles: case $n failed without \"$want\":"; printf '%s\n' "$err" | head -20; fail=1
	elif ! printf '%s\n' "$err" | grep -q "typed_handles.c:$((line + 1)):"; then
		echo "typed handles: case $n is not reported at its line $((line + 1)):"; printf '%s\n' "$err" | head -20; fail=1
	fi
	printf 'case %s: refused\n' "$n" >> "$log"
done <<'CASES'
1 value
2 value
3 value
4 value
5 value
6 value
7 value
8 value
9 calx: LIKE and ILIKE need a text column
10 calx: an array of int64_t needs an integer column
11 _Generic
12 _Generic
13 value
14 value
15 calx: LIKE and ILIKE need a text column
16 value
17 value
18 value
19 value
20 calx: LIKE and ILIKE need a text column
CASES
[ $fail -eq 0 ] && touch "$out"
exit $fail
