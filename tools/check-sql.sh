#!/bin/sh
# check-sql.sh [FILE...]: no SQL text is written outside orm/sql/.
#
# Every statement the runtime sends is a syntax tree compiled by orm/sql/
# (DESIGN.md, "One SQL layer"). This scans the C files of orm/ outside
# orm/sql/, and of dialects/ (or the FILEs given), and fails naming
# file:line for:
#   - a string literal shaped like SQL: starting with a statement keyword
#     (SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, BEGIN, COMMIT,
#     ROLLBACK, SAVEPOINT, RELEASE, WITH, VALUES, SET, PRAGMA, ...), or
#     holding a clause (INSERT INTO, DELETE FROM, FROM "t", WHERE, VALUES (,
#     RETURNING, ORDER BY, GROUP BY, LIMIT, JOIN, CREATE TABLE, PRIMARY
#     KEY (, REFERENCES, ON DELETE, IS NULL, UNION SELECT, ...).
#     Keywords count in capitals only, and a clause needs its SQL
#     neighbours, so messages ("a LIKE pattern", "connection lost during
#     COMMIT") pass;
#   - code that runs or prepares text or quotes identifiers on its own:
#     ->exec( or ->prepare( through the dialect vtable, calx__buf_ident(.
# Comments are skipped. With --self-test it checks itself on
# tools/check-sql.d/: bad.c must fail on each of its marked lines,
# good.c must pass.
#
# The allow-list below holds what may stay, each with its reason.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)

allow='
# file|text the finding holds (awk regex)|why
# Connection setup, run once by the dialect on connect.
dialects/sqlite/sqlite.c|PRAGMA foreign_keys = ON|connect-time setup: foreign keys, case-sensitive LIKE, WAL
dialects/postgresql/pg_connect.c|SET client_min_messages = warning|connect-time setup: quiet notices, exact float text
# Recognized, never sent: the dialect checks the file has not moved before a transaction that wrote commits.
dialects/sqlite/sqlite.c|^"COMMIT"$|is_commit: a write COMMIT first checks the database file was not deleted or replaced
dialects/sqlite/sqlite.c|^"END"$|is_commit: a write END (COMMIT) first checks the database file was not deleted or replaced
dialects/sqlite/sqlite.c|^"BEGIN"$|autocommit_moved: text run outside a transaction first checks the file, except a BEGIN, which writes nothing
# Protocol housekeeping: a finalized statement frees its server-side name (libpq 15 has no PQclosePrepared).
dialects/postgresql/pg.c|DEALLOCATE %s|frees the name of a prepared statement on the server
# Live schemas: the inspect hook of each dialect reads its own catalog, of tables and functions no other dialect has.
dialects/sqlite/catalog.c|pragma_[a-z_]+[ (]|inspect: the PRAGMA functions of SQLite, table and schema bound
dialects/sqlite/catalog.c|FROM sqlite_master WHERE|inspect: the CREATE TABLE text, for the names and checks no PRAGMA reports
dialects/postgresql/pg_catalog.c|[a-z][.][a-z]|inspect: queries of pg_catalog, each column qualified by its catalog table alias, every value a parameter
dialects/postgresql/pg_catalog.c|^"SET [A-Z]+"$|inspect: SET NULL and SET DEFAULT, the foreign-key actions pg_constraint codes as n and d
# The one documented exception: calx_engine_exec runs the caller s text.
orm/engine/engine.c|c->d->exec\(c->raw, sql, err\)|calx_engine_exec runs the caller s own SQL, as documented
# The tracer passes the text it is given through to the real dialect, and recognizes statements it reports rows for.
orm/engine/trace.c|tc->d->exec\(tc->raw, sql, err\)|the traced exec passes the caller s statement through
orm/engine/trace.c|tc->d->prepare\(tc->raw, sql, &ts->raw, err\)|the traced prepare passes the caller s statement through
orm/engine/trace.c|^"INSERT"$|is_dml: the trace reports rows changed by these, recognized in the text it was given
orm/engine/trace.c|^"UPDATE"$|is_dml, as above
orm/engine/trace.c|^"DELETE"$|is_dml, as above
'

scan() {
	printf '%s\n' "$allow" | awk -v files="$*" '
	BEGIN {
		stmt = "^[ \t]*(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|WITH|VALUES|SET|PRAGMA|TRUNCATE|EXPLAIN|DEALLOCATE|PREPARE|EXECUTE|VACUUM|REINDEX|ANALYZE|ATTACH|DETACH|END)([ \t(;%]|$)"
		clause = "(INSERT INTO|DELETE FROM|UPDATE [\"%]|FROM ([\"%(]|$)| WHERE( |$)|VALUES ?[(]|RETURNING( [\"%]| ?$)|ORDER BY|GROUP BY| HAVING( |$)| LIMIT( [?$%0-9-]| ?$)| OFFSET( [?$%0-9]| ?$)|JOIN( [\"%(]| ?$)|CREATE (UNIQUE )?(TABLE|INDEX)|DROP (TABLE|INDEX)|ALTER TABLE|PRIMARY KEY ?[(]|FOREIGN KEY ?[(]|REFERENCES( [\"%]| ?$)|ON (DELETE|UPDATE) [A-Z%]|DEFAULT VALUES| SET [\"%]|UNION (ALL )?SELECT|INTERSECT SELECT|EXCEPT SELECT|ROLLBACK TO| IS (NOT )?NULL|ESCAPE [?$\x27])"
		code = "(->exec[(]|->prepare[(]|calx__buf_ident[(])"
		n_allow = 0
		bad = 0
	}
	# the allow-list comes first, on stdin
	FILENAME == "-" || FILENAME == "" {
		if ($0 ~ /^#/ || $0 == "") next
		split($0, f, "|")
		n_allow++; allow_file[n_allow] = f[1]; allow_re[n_allow] = f[2]; allow_used[n_allow] = 0
		next
	}
	FNR == 1 { in_comment = 0; file = FILENAME }
	function allowed(what,    i) {
		for (i = 1; i <= n_allow; i++)
			if (allow_file[i] == file && what ~ allow_re[i]) { allow_used[i] = 1; return 1 }
		return 0
	}
	function report(kind, what) {
		if (allowed(what)) return
		printf "%s:%d: %s: %s\n", file, FNR, kind, what
		bad = 1
	}
	{
		line = $0; out = ""; i = 1; n = length(line)
		while (i <= n) {
			c = substr(line, i, 1); c2 = substr(line, i, 2)
			if (in_comment) {
				if (c2 == "*/") { in_comment = 0; i += 2 } else i++
				continue
			}
			if (c2 == "/*") { in_comment = 1; i += 2; continue }
			if (c2 == "//") break
			if (c == "\x27") {      # a character literal: skip it
				j = i + 1
				while (j <= n && substr(line, j, 1) != "\x27") j += (substr(line, j, 1) == "\\") ? 2 : 1
				i = j + 1; out = out "0"
				continue
			}
			if (c == "\"") {
				j = i + 1; lit = ""
				while (j <= n && substr(line, j, 1) != "\"") {
					if (substr(line, j, 1) == "\\") { lit = lit substr(line, j + 1, 1); j += 2 }
					else { lit = lit substr(line, j, 1); j++ }
				}
				if (lit ~ stmt || lit ~ clause)
					report("SQL text outside orm/sql/", "\"" lit "\"")
				i = j + 1; out = out "\"\""
				continue
			}
			out = out c; i++
		}
		if (out ~ code) {
			sub(/^[ \t]+/, "", line)
			report("SQL run or quoted outside orm/sql/", line)
		}
	}
	END {
		for (i = 1; i <= n_allow; i++)
			if (!allow_used[i] && index(files, allow_file[i]))
				printf "check-sql: allow-list entry not needed any more: %s|%s\n", allow_file[i], allow_re[i]
		exit bad
	}' - "$@"
}

if [ "${1:-}" = "--self-test" ]; then
	cd "$root" || exit 2
	d=tools/check-sql.d
	out=$(scan "$d/bad.c")
	status=0
	for l in $(grep -n 'MUST FAIL' "$d/bad.c" | cut -d: -f1); do
		printf '%s\n' "$out" | grep -q "^$d/bad.c:$l:" || { echo "check-sql self-test: $d/bad.c:$l not caught"; status=1; }
	done
	scan "$d/good.c" || { echo "check-sql self-test: $d/good.c flagged"; status=1; }
	[ $status -eq 0 ] && echo "check-sql self-test: $(printf '%s\n' "$out" | grep -c .) findings in bad.c, good.c clean"
	exit $status
fi

if [ $# -eq 0 ]; then
	cd "$root" || exit 2
	# shellcheck disable=SC2046
	set -- $(find orm dialects -name '*.[ch]' ! -path 'orm/sql/*' | sort)
fi
if scan "$@"; then
	echo "check-sql: no SQL text outside orm/sql/ ($# files)"
else
	echo "check-sql: build the statement as a tree in orm/sql/ instead (see orm/sql/ast.h)"
	exit 1
fi
