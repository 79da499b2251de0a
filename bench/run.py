#!/usr/bin/python3
"""The benchmark driver: calx, hand-written C and SQLAlchemy 1.4's ORM on
the workloads of SQLAlchemy's examples/performance, on three relationship
workloads (a graph of parents with 10 children each, loaded select-in, loaded
joined and inserted in one flush: bench/graph.h), on a GROUP BY report and a
join query over that graph (bench/query.h) and on 8 threads of read/write
transactions (bench/mixed.h: throughput and p99 latency, a table of its
own), in one run.

    /usr/bin/python3 bench/run.py [--smoke] [--out DIR] [--reps N] ...
    ninja bench          (full run)
    ninja bench-smoke    (1,000 rows, one repetition: CI keeps it building)

Every contender runs as its own process, once per workload and repetition,
the contenders taking turns (the order rotates every repetition) on a fresh
copy of the same fixture database. The contender times only the work and
prints one JSON line (bench/common.h); the driver reads the process's peak
RSS from wait4(), checks that every contender computed the same checksum
and left the same rows, and prints the tables (also written to
OUT/results.md and OUT/results.json).

The headline rows run calx as the README's code would (default tracking);
rows with headline=False (an opt-in mode of calx, another form of the
hand-written program) are extra: shown, never judged against a target. On
PostgreSQL a fourth contender, hand-written set-based (bench/set_pg.c: a
statement per 1,000 rows), runs the bulk writes.

A database backend (SQLiteBackend, PostgreSQLBackend) knows its
contenders, its workloads, how to build a fixture, hand out a fresh
database, summarize what a run left in it, and which targets apply.
--backend postgresql needs a server: CALX_TEST_POSTGRESQL_URL (or --pg-url),
as tools/with-postgres.sh sets it for the command it runs:

    sh tools/with-postgres.sh /usr/bin/python3 bench/run.py --backend postgresql

Benchmarks are not tests: nothing here fails on a time. It exits non-zero
only when a contender fails or the contenders disagree on the data.
"""
import argparse
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PY = "/usr/bin/python3"
BIN = "build/bench"

CALX, HAND, SQLA = "calx", "hand-written", "SQLAlchemy"
SET = "hand-written set-based"  # PostgreSQL only: a statement per 1,000 rows (bench/set_pg.c)


class Workload:
    def __init__(self, key, label, workload, n, rows=0, memory=False, sync_off=False,
                 ids=False, orm_target=False, source="", fixture="customer", headline=True, contenders=None,
                 programs=None):
        self.key = key              # unique name in the tables
        self.label = label
        self.workload = workload    # the contenders' workload argument
        self.n = n
        self.rows = rows            # fixture rows (0: an empty table)
        self.memory = memory        # a private in-memory database instead of a file
        self.sync_off = sync_off
        self.ids = ids              # gets: a key list from the fixture
        self.orm_target = orm_target  # the 25x-faster-than-SQLAlchemy target applies
        self.source = source        # the SQLAlchemy example it mirrors
        self.fixture = fixture      # "customer", or "graph": rows parents with their children
        # False: an extra row (an opt-in mode of calx, another way to write the hand-written
        # program), shown but never judged against a target
        self.headline = headline
        self.contenders = contenders  # None: every contender; else the names that run it
        self.programs = programs    # contender -> argv, instead of the backend's (None: the backend's)


def graph_workloads(smoke):
    """The relationship workloads: 10,000 parents with 10 children each (bench/graph.h)."""
    parents = 1000 if smoke else 10000
    return [
        Workload("load_graph", "load graph: parents + 10 children each, select-in", "load_graph", parents,
                 rows=parents, fixture="graph", orm_target=True, source="selectinload"),
        Workload("load_graph_joined", "load graph: parents + 10 children each, joined", "load_graph_joined",
                 parents, rows=parents, fixture="graph", orm_target=True, source="joinedload"),
        Workload("insert_graph", "insert graph: parents + 10 children each, one flush", "insert_graph", parents,
                 fixture="graph", orm_target=True, source="add_all, one flush and commit"),
    ]


GRAPH_CHILDREN = 10
MIXED_THREADS, MIXED_READS = 8, 5   # bench/mixed.h

# The query and concurrency workloads (bench/query.h, bench/mixed.h) run in programs of their own.
QUERY_PROGRAMS = {
    "sqlite": {CALX: [BIN + "/bench_calx_query"], HAND: [BIN + "/bench_sqlite_query"],
               SQLA: [PY, "bench/sqla_query.py"]},
    "postgresql": {CALX: [BIN + "/bench_calx_query"], HAND: [BIN + "/bench_pg_query"],
                   SQLA: [PY, "bench/sqla_query.py"]},
}


def query_workloads(smoke, backend):
    """A GROUP BY report and a join returning objects over the graph of 10,000 parents (bench/query.h)."""
    parents = 1000 if smoke else 10000
    programs = QUERY_PROGRAMS[backend]
    return [
        Workload("group_report", "GROUP BY report, %d windows of 100 parents" % (parents // 100), "group_report",
                 parents, rows=parents, fixture="graph", orm_target=True, programs=programs,
                 source="query(..., func.count(), func.sum(...)).join(...).group_by(...).having(...)"),
        Workload("join_children", "join query: children of half the parents, as objects", "join_children",
                 parents, rows=parents, fixture="graph", orm_target=True, programs=programs,
                 source="query(Child).join(Child.parent).filter(...).all()"),
    ]


def mixed_workloads(smoke, backend):
    """8 threads of read/write transactions over the customer table (bench/mixed.h): its own table."""
    n = 200 if smoke else 10000
    return [Workload("mixed", "mixed read/write, 8 threads", "mixed", n, rows=n, programs=QUERY_PROGRAMS[backend],
                     source="a Session a thread on one engine")]


def graph_objects(w):
    """Parents and children a graph workload loads or inserts."""
    return w.n * (1 + GRAPH_CHILDREN)


def main_workloads(smoke):
    """SQLAlchemy's default sizes; gets take 10,000 keys out of 10,999 rows, as short_selects does."""
    big = 1000 if smoke else 100000
    huge = 1000 if smoke else 500000
    few = 1000 if smoke else 10000
    return [
        Workload("insert_no_pk", "bulk insert, keys generated", "insert_no_pk", big,
                 orm_target=True, source="bulk_inserts.test_flush_no_pk"),
        Workload("insert_pk_given", "bulk insert, keys given", "insert_pk_given", big,
                 orm_target=True, source="bulk_inserts.test_flush_pk_given"),
        Workload("insert_many", "insert many, array of structs, keys back (opt-in calx_insert_many)",
                 "insert_many", big, headline=False,
                 source="bulk_inserts.test_bulk_insert_mappings (return_defaults)"),
        Workload("load_objects", "load objects, streamed (yield_per)", "load_objects", huge, rows=huge,
                 orm_target=True, source="large_resultsets.test_orm_full_objects_chunks"),
        Workload("load_objects_held", "load objects, streamed, every object held (opt-in calx_select_hold_passed)",
                 "load_objects_held", huge, rows=huge, headline=False,
                 source="large_resultsets.test_orm_full_objects_chunks"),
        Workload("load_pages", "load objects, session per 1,000-row page", "load_pages", huge, rows=huge,
                 orm_target=True, source="(keyset pages; bounded memory)"),
        Workload("load_columns", "load column tuples", "load_columns", huge, rows=huge,
                 source="large_resultsets.test_orm_columns"),
        Workload("single_insert_mem", "single insert+commit, :memory:", "single_insert", few, memory=True,
                 source="single_inserts.test_orm_commit"),
        Workload("single_insert_file", "single insert+commit, file, synchronous=OFF", "single_insert", few,
                 sync_off=True, source="single_inserts.test_orm_commit"),
        Workload("get_cold", "get by key, cold (expunged after each)", "get_cold", few,
                 rows=few + few // 10 - 1, ids=True, source="short_selects (session.get)"),
        Workload("get_warm", "get by key, warm (identity map)", "get_warm", few,
                 rows=few + few // 10 - 1, ids=True, source="short_selects (session.get)"),
        Workload("bulk_update", "bulk update, 1,000 at a time", "bulk_update", big,
                 rows=big, source="bulk_updates.test_orm_flush"),
        Workload("bulk_delete", "bulk delete, 1,000 at a time", "bulk_delete", big,
                 rows=big, source="(session.delete loop, flush per 1,000)"),
    ] + graph_workloads(smoke) + opt_in_workloads(smoke)


def opt_in_workloads(smoke):
    """Extra rows: calx's opt-in CALX_TRACK_MARKED on the bulk workloads the headline rows run in the
    default tracking mode (calx and the hand-written contenders only: SQLAlchemy's work is the same)."""
    big = 1000 if smoke else 100000
    who = (CALX, HAND, SET)
    return [
        Workload("insert_no_pk_marked", "bulk insert, keys generated (opt-in CALX_TRACK_MARKED)",
                 "insert_no_pk_marked", big, headline=False, contenders=who),
        Workload("insert_pk_given_marked", "bulk insert, keys given (opt-in CALX_TRACK_MARKED)",
                 "insert_pk_given_marked", big, headline=False, contenders=who),
        Workload("bulk_update_marked", "bulk update, 1,000 at a time (opt-in CALX_TRACK_MARKED)",
                 "bulk_update_marked", big, rows=big, headline=False, contenders=who),
    ]


# The scaling rows: (key prefix, label). Per-row cost is time over rows; the graph load's rows are its
# objects (each parent with its GRAPH_CHILDREN children), the size its parents times 1 + GRAPH_CHILDREN.
SCALING = [("insert", "bulk insert, keys generated"), ("load", "load objects, streamed"),
           ("update", "bulk update, 1,000 at a time"), ("graph", "load graph, select-in (objects)")]


def scaling_workloads(smoke, sizes):
    out = []
    for n in sizes:
        parents = max(1, n // (1 + GRAPH_CHILDREN))
        out.append(Workload("scale_insert_%d" % n, "bulk insert, keys generated", "insert_no_pk", n))
        out.append(Workload("scale_load_%d" % n, "load objects, streamed", "load_objects", n, rows=n))
        out.append(Workload("scale_update_%d" % n, "bulk update, 1,000 at a time", "bulk_update", n, rows=n))
        out.append(Workload("scale_graph_%d" % n, "load graph, select-in", "load_graph", parents, rows=parents,
                            fixture="graph"))
    return out


def scaling_rows(key, n):
    """Rows a scaling run handled: the graph load's objects, every other's n."""
    return max(1, n // (1 + GRAPH_CHILDREN)) * (1 + GRAPH_CHILDREN) if key.startswith("scale_graph_") else n


class Contender:
    def __init__(self, name, argv, only=None):
        self.name = name
        self.argv = argv
        self.only = only    # None: every workload; else the workload arguments it has


# What a graph workload left in the tables, the same SQL on both databases: counts and sums, and how
# many children point at the parent their value says (child j belongs to parent j / 10).
GRAPH_SUMMARY = [
    "SELECT count(*), coalesce(sum(id), 0), coalesce(sum(value), 0), coalesce(sum(length(name)), 0) "
    "FROM bench_parents",
    "SELECT count(*), coalesce(sum(c.id), 0), coalesce(sum(c.value), 0), coalesce(sum(length(c.name)), 0), "
    "coalesce(sum(CASE WHEN c.value / %d = p.value THEN 1 ELSE 0 END), 0) "
    "FROM bench_children c JOIN bench_parents p ON p.id = c.parent_id" % GRAPH_CHILDREN,
]


class SQLiteBackend:
    """SQLite files in DIR: fixtures built once by the hand-written binary, copied per run."""

    name = "sqlite"
    description = ("SQLite %s, file database in WAL mode (calx's default for files), foreign keys on, "
                   "synchronous at its default (FULL) unless noted, 5 s busy timeout")

    # what memory_section says about the RSS difference between scaling sizes
    rss_note = "SQLite's page cache is the same for both sizes"
    reflect = True          # the calx-reflect measurement runs with this backend
    flat_target = 1.25      # scaling: calx's per-row cost across sizes
    sqla_max_scale = None   # scaling: SQLAlchemy runs at every size

    def __init__(self, workdir, args=None):
        self.dir = workdir
        self.fixtures = {}
        self.run_path = os.path.join(workdir, "run.db")

    def workloads(self, smoke):
        """The main list, and the hand-written multi-row INSERTs as extra rows against calx's default."""
        big = 1000 if smoke else 100000
        return main_workloads(smoke) + [
            Workload("insert_no_pk_values", "bulk insert, keys generated (hand-written: multi-row VALUES, "
                     "100 a statement, RETURNING id)", "insert_no_pk_values", big, headline=False,
                     contenders=(CALX, HAND)),
            Workload("insert_no_pk_values_rowid", "bulk insert, keys generated (hand-written: multi-row VALUES, "
                     "100 a statement, keys counted back from last_insert_rowid)", "insert_no_pk_values_rowid", big,
                     headline=False, contenders=(CALX, HAND)),
            Workload("insert_pk_given_values", "bulk insert, keys given (hand-written: multi-row VALUES, "
                     "100 a statement)", "insert_pk_given_values", big, headline=False, contenders=(CALX, HAND)),
        ] + query_workloads(smoke, self.name)

    @staticmethod
    def hand_target(w):
        """The calx / hand-written target for a workload (None: no target)."""
        return 1.25

    @staticmethod
    def orm_target(w):
        """The SQLAlchemy / calx target (None: no target)."""
        return 25 if w.orm_target else None

    def contenders(self):
        return [
            Contender(CALX, [BIN + "/bench_calx"]),
            Contender(HAND, [BIN + "/bench_sqlite"]),
            Contender(SQLA, [PY, "bench/sqla_bench.py"]),
        ]

    def describe(self):
        return self.description % sqlite3.sqlite_version

    @staticmethod
    def remove(path):
        for p in (path, path + "-wal", path + "-shm", path + "-journal"):
            if os.path.exists(p):
                os.remove(p)

    def fixture(self, rows, kind="customer"):
        if (kind, rows) not in self.fixtures:
            path = os.path.join(self.dir, "fixture-%s-%d.db" % (kind, rows))
            self.remove(path)
            check_call([BIN + "/bench_sqlite", "setup" if kind == "customer" else "setup_" + kind,
                        "sqlite:" + path, str(rows)])
            self.fixtures[(kind, rows)] = path
        return self.fixtures[(kind, rows)]

    def fresh(self, w):
        if w.memory:
            return "sqlite::memory:"
        src = self.fixture(w.rows, w.fixture)
        self.remove(self.run_path)
        shutil.copyfile(src, self.run_path)
        return "sqlite:" + self.run_path

    def summary(self, url, w):
        """What a run left in its tables (None for a private in-memory database)."""
        if url == "sqlite::memory:":
            return None
        con = sqlite3.connect(url[len("sqlite:"):])
        try:
            if w.fixture == "graph":
                return [int(x) for q in GRAPH_SUMMARY for x in con.execute(q).fetchone()]
            return list(con.execute(
                "SELECT count(*), total(id), total(length(name)), total(length(description)) FROM customer"
            ).fetchone())
        finally:
            con.close()

    def cleanup(self):
        self.remove(self.run_path)
        for path in self.fixtures.values():
            self.remove(path)


class PostgreSQLBackend:
    """One PostgreSQL database (CALX_TEST_POSTGRESQL_URL): the customer table as calx_create_all makes
    it, and a fixture table per row count (customer_fixture_N, written once by bench_pg setup) copied
    into it before every run."""

    name = "postgresql"
    rss_note = ("libpq holds a whole result in the client's memory, so this includes the "
                "PGresult of the rows; the server is another process")
    reflect = False
    flat_target = None
    # SQLAlchemy's PostgreSQL inserts are a round trip per row (1.4 fetches generated keys one
    # INSERT ... RETURNING at a time): flat per row, and a million rows would be about a minute a run
    sqla_max_scale = 100000

    def __init__(self, workdir, args=None):
        import psycopg2  # only this backend needs it (bench/deps.sh installs python3-psycopg2)
        url = (args.pg_url if args is not None else None) or os.environ.get("CALX_TEST_POSTGRESQL_URL")
        if not url:
            sys.exit("bench: --backend postgresql needs CALX_TEST_POSTGRESQL_URL or --pg-url "
                     "(sh tools/with-postgres.sh starts a throwaway server and sets it)")
        self.dir = workdir
        self.url = url
        self.fixtures = set()
        self.con = psycopg2.connect(url)
        self.con.autocommit = True  # never idle in a transaction while a contender runs
        # the set-based contender's arrays and COPY lines read back as sent (quotes, backslashes, braces...)
        check_call([BIN + "/bench_pg_set", "array_check", url, "0"])

    def _exec(self, *sqls):
        with self.con.cursor() as cur:
            for sql in sqls:
                cur.execute(sql)
            return cur.fetchone() if cur.description else None

    def contenders(self):
        return [
            Contender(CALX, [BIN + "/bench_calx"]),
            Contender(HAND, [BIN + "/bench_pg"]),
            Contender(SQLA, [PY, "bench/sqla_bench.py"]),
            Contender(SET, [BIN + "/bench_pg_set"], only=SET_WORKLOADS),
        ]

    def workloads(self, smoke):
        """SQLite's list, with one single-insert row at the server's settings instead of its two, and
        the set-based contender's COPY (keys given, none back) as an extra row against calx's default."""
        out = []
        for w in main_workloads(smoke):
            if w.key == "single_insert_mem":
                out.append(Workload("single_insert", "single insert+commit", "single_insert", w.n,
                                    source=w.source))
            elif not w.memory and not w.sync_off:
                out.append(w)
        big = 1000 if smoke else 100000
        out.append(Workload("insert_pk_given_copy", "bulk insert, keys given (set-based: COPY FROM STDIN, "
                            "no keys back)", "insert_pk_given_copy", big, headline=False, contenders=(CALX, SET)))
        return out + query_workloads(smoke, self.name)

    @staticmethod
    def set_target(w):
        """Issue 18's: calx's bulk insert, update and delete within 1.25x of the set-based contender."""
        return 1.25 if w.workload in ("insert_no_pk", "insert_pk_given", "bulk_update", "bulk_delete") else None

    @staticmethod
    def hand_target(w):
        """The PostgreSQL issue's target: bulk inserts within 1.5x of the pipelined libpq loop; the
        relationship issue's for its graph workloads, on both databases."""
        if w.fixture == "graph":
            return 1.25
        return 1.5 if w.workload in ("insert_no_pk", "insert_pk_given") else None

    @staticmethod
    def orm_target(w):
        return 25 if w.fixture == "graph" else None

    def describe(self):
        version = self._exec("SHOW server_version")[0]
        settings = []
        for name in ("fsync", "synchronous_commit", "full_page_writes", "shared_buffers"):
            settings.append("%s=%s" % (name, self._exec("SHOW " + name)[0]))
        host = self._exec("SELECT coalesce(inet_server_addr()::text, 'a Unix socket')")[0]
        return ("PostgreSQL %s on %s, same machine (%s; the same for every contender, no per-contender "
                "settings); a fresh table per run: TRUNCATE, INSERT ... SELECT from a fixture table, "
                "identity restarted after the last key, VACUUM ANALYZE" % (version, host, ", ".join(settings)))

    def fixture(self, rows, kind="customer"):
        if (kind, rows) not in self.fixtures:
            check_call([BIN + "/bench_pg", "setup" if kind == "customer" else "setup_" + kind, self.url, str(rows)])
            self.fixtures.add((kind, rows))

    def fresh(self, w):
        self.fixture(w.rows, w.fixture)
        if w.fixture == "graph":
            sqls = ["TRUNCATE bench_children, bench_parents RESTART IDENTITY"]
            if w.rows:
                sqls += ["INSERT INTO bench_parents (id, name, value) "
                         "SELECT id, name, value FROM bench_parents_fixture_%d" % w.rows,
                         "INSERT INTO bench_children (id, parent_id, name, value) "
                         "SELECT id, parent_id, name, value FROM bench_children_fixture_%d" % w.rows,
                         "ALTER TABLE bench_parents ALTER COLUMN id RESTART WITH %d" % (w.rows + 1),
                         "ALTER TABLE bench_children ALTER COLUMN id RESTART WITH %d" % (
                             w.rows * GRAPH_CHILDREN + 1)]
            sqls += ["VACUUM ANALYZE bench_parents", "VACUUM ANALYZE bench_children"]
            self._exec(*sqls)
            return self.url
        sqls = ["TRUNCATE customer RESTART IDENTITY"]
        if w.rows:
            sqls += ["INSERT INTO customer (id, name, description) "
                     "SELECT id, name, description FROM customer_fixture_%d" % w.rows,
                     "ALTER TABLE customer ALTER COLUMN id RESTART WITH %d" % (w.rows + 1)]
        sqls.append("VACUUM ANALYZE customer")
        self._exec(*sqls)
        return self.url

    def summary(self, url, w):
        if w.fixture == "graph":
            return [int(x) for q in GRAPH_SUMMARY for x in self._exec(q)]
        row = self._exec("SELECT count(*), coalesce(sum(id), 0), coalesce(sum(length(name)), 0), "
                         "coalesce(sum(length(description)), 0) FROM customer")
        return [int(x) for x in row]

    def cleanup(self):
        drops = []
        for kind, r in sorted(self.fixtures):
            if kind == "graph":
                drops.append("DROP TABLE IF EXISTS bench_children_fixture_%d, bench_parents_fixture_%d" % (r, r))
            else:
                drops.append("DROP TABLE IF EXISTS customer_fixture_%d" % r)
        self._exec(*drops + ["DROP TABLE IF EXISTS customer, bench_children, bench_parents"])
        self.con.close()


BACKENDS = {"sqlite": SQLiteBackend, "postgresql": PostgreSQLBackend}

# What bench/set_pg.c runs (the *_marked rows: the same work as their headline rows)
SET_WORKLOADS = {"insert_no_pk", "insert_pk_given", "insert_pk_given_copy", "bulk_update", "bulk_delete",
                 "insert_no_pk_marked", "insert_pk_given_marked", "bulk_update_marked"}


def check_call(argv):
    r = subprocess.run(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        sys.exit("bench: %s failed:\n%s" % (" ".join(argv), r.stdout))
    return r.stdout


def run_measured(argv):
    """Run argv through build/bench/measure: its stdout, wall seconds, peak RSS (KiB)."""
    fd, stats = tempfile.mkstemp(prefix="measure-", suffix=".txt")
    os.close(fd)
    try:
        r = subprocess.run([BIN + "/measure", stats] + argv, cwd=ROOT, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
        if r.returncode != 0:
            raise RuntimeError("%s exited %d:\n%s%s" % (" ".join(argv), r.returncode, r.stdout, r.stderr))
        with open(stats) as f:
            wall, rss = f.read().split()
    finally:
        os.remove(stats)
    return r.stdout, float(wall), int(rss)


class Results:
    def __init__(self):
        self.times = {}     # (key, contender) -> [seconds]
        self.rss = {}       # (key, contender) -> [KiB]
        self.reports = {}   # (key, contender) -> [the report line of each run]
        self.problems = []

    def add(self, key, contender, seconds, rss):
        self.times.setdefault((key, contender), []).append(seconds)
        self.rss.setdefault((key, contender), []).append(rss)

    def median(self, key, contender):
        v = self.times.get((key, contender))
        return statistics.median(v) if v else None

    def spread(self, key, contender):
        """Half the range, as a fraction of the median."""
        v = self.times.get((key, contender))
        if not v or len(v) < 2:
            return None
        m = statistics.median(v)
        return (max(v) - min(v)) / 2 / m if m > 0 else None

    def peak_rss(self, key, contender):
        v = self.rss.get((key, contender))
        return max(v) if v else None


def run_workloads(backend, workloads, contenders, reps, results, out_dir, skip=None, log=print):
    """Each repetition runs every workload once per contender, the contenders taking turns."""
    ids_cache = {}
    for rep in range(reps):
        for wi, w in enumerate(workloads):
            # progress: a full run takes minutes, and each step says where it is
            log("bench: [%d/%d] %s, repetition %d of %d" % (rep * len(workloads) + wi + 1, reps * len(workloads),
                                                           w.key, rep + 1, reps))
            opts = []
            if w.sync_off:
                opts.append("sync=off")
            if w.ids:
                if w.rows not in ids_cache:
                    path = os.path.join(out_dir, "ids-%d.txt" % w.rows)
                    keys = random.Random(4).sample(range(1, w.rows + 1), w.n)
                    with open(path, "w") as f:
                        f.write("\n".join(map(str, keys)) + "\n")
                    ids_cache[w.rows] = path
                opts.append("ids=" + ids_cache[w.rows])
            shift = (rep + wi) % len(contenders)
            order = contenders[shift:] + contenders[:shift]
            seen = {}
            for c in order:
                if (skip and skip(w, c)) or (w.programs is not None and c.name not in w.programs):
                    continue
                if (w.contenders is not None and c.name not in w.contenders) or (
                        c.only is not None and w.workload not in c.only):
                    continue
                url = backend.fresh(w)
                argv = (w.programs[c.name] if w.programs is not None else c.argv) + [w.workload, url, str(w.n)] + opts
                try:
                    text, _, rss = run_measured(argv)
                    res = json.loads(text.strip().splitlines()[-1])
                except (RuntimeError, ValueError, IndexError) as e:
                    results.problems.append("%s / %s: %s" % (w.key, c.name, e))
                    log("  FAILED %s %s: %s" % (w.key, c.name, e))
                    continue
                summary = backend.summary(url, w)
                results.add(w.key, c.name, res["seconds"], rss)
                results.reports.setdefault((w.key, c.name), []).append(res)
                seen[c.name] = (res["check"], summary)
                log("  rep %d  %-22s %-13s %10.4f s  %7.1f MB" % (rep + 1, w.key, c.name, res["seconds"], rss / 1024))
            if len({json.dumps(v) for v in seen.values()}) > 1:
                msg = "%s (rep %d): contenders disagree: %s" % (w.key, rep + 1, seen)
                results.problems.append(msg)
                log("  MISMATCH " + msg)


def fmt_time(s):
    if s is None:
        return "-"
    if s >= 1:
        return "%.2f s" % s
    if s >= 1e-3:
        return "%.1f ms" % (s * 1e3) if s < 0.1 else "%.0f ms" % (s * 1e3)
    return "%.0f µs" % (s * 1e6)


def fmt_cell(results, key, c):
    m = results.median(key, c)
    if m is None:
        return "-"
    sp = results.spread(key, c)
    return fmt_time(m) + (" ±%.0f%%" % (sp * 100) if sp is not None else "")


def fmt_ratio(a, b):
    return "%.2f×" % (a / b) if a and b else "-"


def fmt_ratio_big(a, b):
    if not a or not b:
        return "-"
    r = a / b
    return "%.0f×" % r if r >= 10 else "%.1f×" % r


def fmt_mb(kib):
    return "%.0f" % (kib / 1024) if kib else "-"


def main_table(results, workloads, set_based=False):
    """set_based: PostgreSQL's fourth contender, with its own time and a calx / set-based column."""
    who = (CALX, HAND, SET, SQLA) if set_based else (CALX, HAND, SQLA)
    lines = [
        "| workload | rows | calx | hand-written C |%s SQLAlchemy 1.4 ORM | calx / hand |%s SQLAlchemy / calx "
        "| peak RSS MB (calx / hand /%s SQLA) |" % ((" hand-written set-based |", " calx / set-based |", " set /")
                                                   if set_based else ("", "", "")),
        "|---|--:|--:|--:|--:|--:|--:|--:|" + ("--:|--:|" if set_based else ""),
    ]
    for w in workloads:
        tc, th, tset, ts = (results.median(w.key, c) for c in (CALX, HAND, SET, SQLA))
        rss = " / ".join(fmt_mb(results.peak_rss(w.key, c)) for c in who)
        cells = [w.label, "{:,}".format(w.n), fmt_cell(results, w.key, CALX), fmt_cell(results, w.key, HAND)]
        if set_based:
            cells.append(fmt_cell(results, w.key, SET))
        cells += [fmt_cell(results, w.key, SQLA), fmt_ratio(tc, th)]
        if set_based:
            cells.append(fmt_ratio(tc, tset))
        cells += [fmt_ratio_big(ts, tc), rss]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def mixed_table(results, w, reps):
    """The mixed workload (bench/mixed.h): throughput and latency per transaction, medians of the runs."""
    def med(c, field):
        v = [r[field] for r in results.reports.get((w.key, c), [])]
        return statistics.median(v) if v else None
    lines = [
        "Mixed read/write, {} threads, {:,} transactions (each: insert one customer, read {} by key, change one, "
        "commit; `bench/mixed.h`), median of {} runs:".format(MIXED_THREADS, w.n, MIXED_READS, reps),
        "",
        "| contender | transactions/s | p50 latency | p99 latency | CPU per transaction | retries (all runs) "
        "| peak RSS MB |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    for c in (CALX, HAND, SQLA):
        runs = results.reports.get((w.key, c))
        if not runs:
            continue
        cpu = [r["cpu_seconds"] / r["n"] for r in runs if r.get("n")]
        lines.append("| %s | %.0f | %s | %s | %s | %d | %s |" % (
            c, med(c, "tps"), fmt_time(med(c, "p50")), fmt_time(med(c, "p99")),
            fmt_time(statistics.median(cpu) if cpu else None), sum(r["retries"] for r in runs),
            fmt_mb(results.peak_rss(w.key, c))))
    tc, th, ts = (med(c, "tps") for c in (CALX, HAND, SQLA))
    pc, ph, ps = (med(c, "p99") for c in (CALX, HAND, SQLA))
    cc, ch, cs = (med(c, "cpu_seconds") for c in (CALX, HAND, SQLA))
    lines.append("")
    lines.append("CPU per transaction: the process's user + system time over the run (every thread), over the "
                 "transactions; calx / hand-written %s, SQLAlchemy / calx %s." % (fmt_ratio(cc, ch), fmt_ratio(cs, cc)))
    lines.append("")
    lines.append("calx / hand-written: throughput %s, p99 latency %s; SQLAlchemy / calx: throughput %s, "
                 "p99 latency %s." % (fmt_ratio(tc, th), fmt_ratio(pc, ph), fmt_ratio(ts, tc), fmt_ratio(ps, pc)))
    # the targets, read as throughput: calx within 1.25x of hand-written, 25x SQLAlchemy's
    if tc and th:
        lines.append("- target: hand-written / calx throughput = %.2f× (≤ 1.25×): %s" % (
            th / tc, "met" if th / tc <= 1.25 else "**missed**"))
    if tc and ts:
        lines.append("- target: calx / SQLAlchemy throughput = %.1f× (≥ 25×): %s" % (
            tc / ts, "met" if tc / ts >= 25 else "**missed**"))
    return lines


def targets(results, workloads, scale_keys, backend):
    lines = []
    for w in workloads:
        if not w.headline:
            continue    # extra rows (opt-in modes, other hand-written forms) are shown, not judged
        tc, th, ts = (results.median(w.key, c) for c in (CALX, HAND, SQLA))
        target = getattr(backend, "set_target", lambda w: None)(w)
        tset = results.median(w.key, SET)
        if target and tc and tset:
            r = tc / tset
            lines.append("- %s: calx / hand-written set-based = %.2f× (target ≤ %g×): %s" % (
                w.label, r, target, "met" if r <= target else "**missed**"))
        target = backend.hand_target(w)
        if target and tc and th:
            r = tc / th
            lines.append("- %s: calx / hand-written = %.2f× (target ≤ %g×): %s" % (
                w.label, r, target, "met" if r <= target else "**missed**"))
        target = backend.orm_target(w)
        if target and tc and ts:
            r = ts / tc
            lines.append("- %s: SQLAlchemy / calx = %.1f× (target ≥ %g×): %s" % (
                w.label, r, target, "met" if r >= target else "**missed**"))
    flat = backend.flat_target
    for label, keys in (scale_keys if flat else []):
        per = [(n, results.median(k, CALX), scaling_rows(k, n)) for n, k in keys]
        per = [(n, t / rows) for n, t, rows in per if t]
        if len(per) >= 2:
            lo, hi = min(p for _, p in per), max(p for _, p in per)
            r = hi / lo
            lines.append("- scaling, %s: calx per-row cost varies %.2f× from %s to %s rows (flat: ≤ %g×): %s" % (
                label, r, "{:,}".format(per[0][0]), "{:,}".format(per[-1][0]), flat,
                "met" if r <= flat else "**missed**"))
    return lines


def scaling_table(results, sizes):
    lines = [
        "| workload | rows | calx µs/row | hand-written µs/row | SQLAlchemy µs/row | calx / hand "
        "| peak RSS MB (calx / hand / SQLA) |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    for kind, label in SCALING:
        for n in sizes:
            key = "scale_%s_%d" % (kind, n)
            rows = scaling_rows(key, n)
            cells = []
            for c in (CALX, HAND, SQLA):
                m = results.median(key, c)
                cells.append("%.2f" % (m / rows * 1e6) if m else "-")
            tc, th = results.median(key, CALX), results.median(key, HAND)
            rss = " / ".join(fmt_mb(results.peak_rss(key, c)) for c in (CALX, HAND, SQLA))
            lines.append("| %s | %s | %s | %s | %s | %s | %s |" % (
                label, "{:,}".format(rows), cells[0], cells[1], cells[2], fmt_ratio(tc, th), rss))
    return lines


def memory_section(backend, rows, results, sizes):
    w = Workload("mem", "", "mem_per_object", rows, rows=rows)
    url = backend.fresh(w)
    text, _, _ = run_measured([BIN + "/bench_calx", "mem_per_object", url, str(rows)])
    m = json.loads(text.strip().splitlines()[-1])
    lines = [
        "calx's heap, counted through its allocator hook (`calx_set_allocator`), after loading "
        "{:,} rows into one session: {:.1f} bytes per object, of which {:.1f} are the struct "
        "({} bytes) and its two strings, so **{:.1f} bytes per object beyond the struct and its strings** "
        "(object header, snapshot of the row for change detection, NULL bits, identity-map slot, "
        "the session's object list, arena slack).".format(
            m["rows"], m["bytes_per_object"], m["payload_per_object"], m["sizeof_struct"],
            m["overhead_per_object"]),
    ]
    if len(sizes) >= 2:
        a, b = sizes[0], sizes[-1]
        ra, rb = results.peak_rss("scale_load_%d" % a, CALX), results.peak_rss("scale_load_%d" % b, CALX)
        if ra and rb:
            lines.append("")
            lines.append(
                "By peak RSS (streamed load, one session holding every object): ({:.0f} MB − {:.0f} MB) / "
                "({:,} − {:,} rows) = {:.0f} bytes per loaded object, everything included ({}).".format(
                    rb / 1024, ra / 1024, b, a, (rb - ra) * 1024 / (b - a), backend.rss_note))
    return lines, m


def graph_memory_section(backend, results, workloads, contenders):
    """Memory per loaded object of the graph load: calx's heap counted through its allocator hook, and
    each contender's peak RSS less that of the same run loading no parent (the program, its libraries,
    the connection: for SQLAlchemy the interpreter and the library)."""
    w = next((w for w in workloads if w.key == "load_graph"), None)
    if w is None:
        return [], None
    text, _, _ = run_measured([BIN + "/bench_calx", "memory_graph", backend.fresh(w), str(w.n)])
    m = json.loads(text.strip().splitlines()[-1])
    objects = graph_objects(w)
    lines = [
        "Memory per loaded object, graph load ({:,} parents + {:,} children = {:,} objects). calx's heap, "
        "counted through its allocator hook (`bench_calx memory_graph`): {:.1f} bytes per object, of which "
        "{:.1f} are the structs ({} and {} bytes), their names and the list arrays' pointers, so **{:.1f} "
        "bytes per object beyond them** (object header, snapshot, identity-map slot, the session's object "
        "list, relationship state, arena slack). By peak RSS, each contender's run less the same run "
        "loading no parent, over the objects ({}):".format(
            m["parents"], m["children"], m["parents"] + m["children"], m["bytes_per_object"],
            m["payload_per_object"], m["sizeof_parent"], m["sizeof_child"], m["overhead_per_object"],
            backend.rss_note),
        "",
        "| contender | peak RSS MB, {:,} parents | peak RSS MB, none | bytes per loaded object |".format(w.n),
        "|---|--:|--:|--:|",
    ]
    per = {}
    for c in contenders:
        full = results.peak_rss(w.key, c.name)
        if full is None:
            continue
        _, _, empty = run_measured(c.argv + [w.workload, backend.fresh(w), "0"])
        per[c.name] = (full - empty) * 1024 / objects
        lines.append("| %s | %.1f | %.1f | %.0f |" % (c.name, full / 1024, empty / 1024, per[c.name]))
    m["rss_bytes_per_object"] = per
    return lines, m


def reflect_section(out_dir, n_structs, reps):
    header = os.path.join(out_dir, "reflect%d.h" % n_structs)
    check_call([PY, "bench/gen_reflect.py", header, str(n_structs)])
    c_out = os.path.join(out_dir, "reflect%d.calx.c" % n_structs)
    h_out = os.path.join(out_dir, "reflect%d.calx.h" % n_structs)
    walls, rsss = [], []
    for _ in range(reps):
        _, wall, rss = run_measured(["build/calx-reflect", header, "-o", c_out, "--header", h_out, "-Iinclude"])
        walls.append(wall)
        rsss.append(rss)
    _, cc_wall, cc_rss = run_measured(["gcc", "-std=c11", "-O2", "-Iinclude", "-I" + out_dir, "-c", c_out,
                                       "-o", os.path.join(out_dir, "reflect.o")])
    with open(c_out) as f:
        c_lines = sum(1 for _ in f)
    with open(h_out) as f:
        h_lines = sum(1 for _ in f)
    return [
        "`calx-reflect` on a generated header of {} annotated structs (7 fields each: key, unique "
        "`char[32]`, text, checked int with default, double, bool, indexed foreign key; "
        "`bench/gen_reflect.py`), {} runs: **{} wall (median), peak RSS {:.0f} MB**; it wrote {:,} lines "
        "of C and {:,} of header, which `gcc -O2` compiles in {} (peak RSS {:.0f} MB).".format(
            n_structs, reps, fmt_time(statistics.median(walls)), max(rsss) / 1024, c_lines, h_lines,
            fmt_time(cc_wall), cc_rss / 1024),
    ]


def machine():
    model = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    sqla = subprocess.run([PY, "-c", "import sqlalchemy; print(sqlalchemy.__version__)"],
                          stdout=subprocess.PIPE, text=True).stdout.strip()
    gcc = subprocess.run(["gcc", "-dumpfullversion"], stdout=subprocess.PIPE, text=True).stdout.strip()
    py = subprocess.run([PY, "-c", "import platform; print(platform.python_version())"],
                        stdout=subprocess.PIPE, text=True).stdout.strip()
    rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True).stdout.strip() or "?"
    return ("%d CPUs (nproc), %s; gcc %s -O2; Python %s, SQLAlchemy %s; calx at %s" % (
        os.cpu_count(), model, gcc, py, sqla, rev))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--smoke", action="store_true", help="1,000 rows, one repetition (CI)")
    ap.add_argument("--out", default="build/bench/full", help="work and results directory")
    ap.add_argument("--backend", default="sqlite", choices=sorted(BACKENDS))
    ap.add_argument("--reps", type=int, help="repetitions of the main workloads (default 5)")
    ap.add_argument("--scale-reps", type=int, help="repetitions of the scaling runs (default 3)")
    ap.add_argument("--sizes", help="scaling sizes, comma separated (default 10000,100000,1000000)")
    ap.add_argument("--sqla-max-scale", type=int, default=None,
                    help="skip SQLAlchemy in scaling runs above this many rows "
                    "(default: every size on SQLite, 100000 on PostgreSQL; 0: every size)")
    ap.add_argument("--only", help="main workloads to run, comma separated keys")
    ap.add_argument("--no-scaling", action="store_true")
    ap.add_argument("--contenders", help="comma separated: calx,hand-written,SQLAlchemy "
                    "(PostgreSQL also: 'hand-written set-based')")
    ap.add_argument("--pg-url", help="PostgreSQL backend: the database (default: $CALX_TEST_POSTGRESQL_URL); "
                    "the benchmark truncates and drops its customer tables there")
    args = ap.parse_args()

    os.chdir(ROOT)
    out_dir = args.out
    os.makedirs(out_dir, exist_ok=True)
    reps = args.reps or (1 if args.smoke else 5)
    scale_reps = args.scale_reps or (1 if args.smoke else 3)
    sizes = ([int(x) for x in args.sizes.split(",")] if args.sizes
             else [1000, 2000] if args.smoke else [10000, 100000, 1000000])
    backend = BACKENDS[args.backend](out_dir, args)
    contenders = backend.contenders()
    if args.contenders:
        wanted = args.contenders.split(",")
        contenders = [c for c in contenders if c.name in wanted]
    workloads = backend.workloads(args.smoke)
    if args.only:
        keep = args.only.split(",")
        workloads = [w for w in workloads if w.key in keep]

    started = time.time()
    log = lambda s: print(s, file=sys.stderr, flush=True)  # noqa: E731
    results = Results()
    log("bench: %s: %d main workloads x %d contenders x %d repetitions" % (
        backend.name, len(workloads), len(contenders), reps))
    run_workloads(backend, workloads, contenders, reps, results, out_dir, log=log)
    mixed = [w for w in mixed_workloads(args.smoke, backend.name) if not args.only or w.key in args.only.split(",")]
    if mixed:
        log("bench: %s: mixed read/write, 8 threads x %d repetitions" % (backend.name, reps))
        run_workloads(backend, mixed, contenders, reps, results, out_dir, log=log)
    scale_keys = []
    sqla_max = None
    if not args.no_scaling:
        scale = scaling_workloads(args.smoke, sizes)
        log("bench: scaling %s rows x %d repetitions" % (sizes, scale_reps))

        sqla_max = backend.sqla_max_scale if args.sqla_max_scale is None else args.sqla_max_scale or None

        def skip(w, c):
            # the scaling table shows calx, hand-written and SQLAlchemy: the set-based contender sits out
            return c.name == SET or (c.name == SQLA and sqla_max is not None and w.n > sqla_max)
        run_workloads(backend, scale, contenders, scale_reps, results, out_dir, skip=skip, log=log)
        scale_keys = [(label, [(n, "scale_%s_%d" % (kind, n)) for n in sizes]) for kind, label in SCALING]
    log("bench: memory per object" + (", reflection" if backend.reflect else ""))
    mem_rows = max(w.rows for w in workloads) if workloads else 1000
    mem_lines, mem = memory_section(backend, mem_rows or 1000, results, sizes if not args.no_scaling else [])
    graph_mem_lines, graph_mem = graph_memory_section(backend, results, workloads, contenders)
    refl_lines = reflect_section(out_dir, 20 if args.smoke else 500, 1 if args.smoke else 3) if backend.reflect else []
    elapsed = time.time() - started

    cmd = "ninja bench-smoke" if args.smoke else "ninja bench"
    md = []
    md.append("Produced by `%s` (`bench/run.py --backend %s`) in %.0f s on %s." % (
        cmd, backend.name, elapsed, machine()))
    md.append("")
    md.append("Database: %s. Every contender gets a fresh copy of the same fixture for every run; "
              "times are the median of %d runs (± half the range, as %% of the median), each contender "
              "timing only its work in its own process; peak RSS is the largest of the runs." % (
                  backend.describe(), reps))
    md.append("")
    md.extend(main_table(results, workloads, set_based=any(c.name == SET for c in contenders)))
    for w in mixed:
        md.append("")
        md.extend(mixed_table(results, w, reps))
    if not args.no_scaling:
        md.append("")
        md.append("Scaling (median of %d runs; per-row cost = time / rows%s):" % (
            scale_reps, "; SQLAlchemy runs up to {:,} rows".format(sqla_max) if sqla_max and sqla_max < max(sizes) else ""))
        md.append("")
        md.extend(scaling_table(results, sizes))
    md.append("")
    md.append("Targets:")
    md.append("")
    md.extend(targets(results, workloads, scale_keys, backend))
    md.append("")
    md.extend(mem_lines)
    if graph_mem_lines:
        md.append("")
        md.extend(graph_mem_lines)
    if refl_lines:
        md.append("")
        md.extend(refl_lines)
    if results.problems:
        md.append("")
        md.append("PROBLEMS:")
        md.extend("- " + p for p in results.problems)
    text = "\n".join(md) + "\n"
    print(text)
    with open(os.path.join(out_dir, "results.md"), "w") as f:
        f.write(text)
    with open(os.path.join(out_dir, "results.json"), "w") as f:
        json.dump({
            "times": {"%s|%s" % k: v for k, v in results.times.items()},
            "rss_kib": {"%s|%s" % k: v for k, v in results.rss.items()},
            "memory": mem, "memory_graph": graph_mem, "problems": results.problems, "elapsed": elapsed,
            "mixed": {"%s|%s" % k: v for k, v in results.reports.items() if k[0] == "mixed"},
        }, f, indent=1)
    backend.cleanup()
    return 1 if results.problems else 0


if __name__ == "__main__":
    sys.exit(main())
