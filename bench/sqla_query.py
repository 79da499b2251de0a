#!/usr/bin/python3
"""The SQLAlchemy 1.4 contender of the query and concurrency workloads
(bench/query.h, bench/mixed.h), each done the idiomatic ORM way, with the
models and engine settings of bench/sqla_bench.py.

    /usr/bin/python3 bench/sqla_query.py WORKLOAD URL N

    group_report   per parent, count and sum of its children's values:
                   session.query(..., func.count(), func.sum(...)).join(...)
                   .filter(...).group_by(...).having(...).order_by(...),
                   a window of 100 parents a report
    join_children  session.query(Child).join(Child.parent).filter(...)
                   .order_by(Child.id).all()
    mixed          N transactions on 8 threads, a Session each on one engine
                   (a QueuePool of 8), retried as bench/mixed.h says

Same command line and report line as the C contenders (bench/common.h;
mixed adds tps, p50, p99 and retries as bench/mixed.c prints them).
"""
import json
import math
import random
import resource
import sqlite3
import sys
import threading
import time

from sqlalchemy import create_engine, event, exc, func
from sqlalchemy.orm import Session
from sqlalchemy.pool import QueuePool

from sqla_bench import GRAPH_CHILDREN, Child, Customer, Parent, make_engine

# bench/query.h
REPORT_WINDOW = 100
REPORT_FIRST_CHILD = 3
# bench/mixed.h
MIXED_THREADS = 8
MIXED_READS = 5
MIXED_ATTEMPTS = 10
MIXED_FIRST_PAUSE = 0.001
MIXED_MAX_PAUSE = 0.2
STRIDE = 7919


def report_min_sum(lo):
    mid = lo - 1 + REPORT_WINDOW // 2
    return sum(mid * GRAPH_CHILDREN + k for k in range(REPORT_FIRST_CHILD, GRAPH_CHILDREN))


def group_report(engine, n):
    check = 0
    total = func.sum(Child.value)
    with Session(engine) as session:
        for w in range((n + REPORT_WINDOW - 1) // REPORT_WINDOW):
            lo, hi = w * REPORT_WINDOW + 1, min((w + 1) * REPORT_WINDOW, n)
            rows = (
                session.query(Parent.id, Parent.name, func.count(), total)
                .join(Parent.children)
                .filter(Parent.id.between(lo, hi),
                        Child.value - Parent.value * GRAPH_CHILDREN >= REPORT_FIRST_CHILD)
                .group_by(Parent.id, Parent.name)
                .having(total > report_min_sum(lo))
                .order_by(total.desc(), Parent.id)
                .all()
            )
            for pos, (id_, name, count, sum_) in enumerate(rows):
                check += (pos + 1) * id_ + len(name or "") + count + int(sum_)
        session.commit()
    return check


def join_children(engine, n):
    check = 0
    with Session(engine) as session:
        children = (
            session.query(Child)
            .join(Child.parent)
            .filter(Parent.value < n // 2)
            .order_by(Child.id)
            .all()
        )
        for pos, c in enumerate(children):
            check += (pos + 1) * c.id + c.parent_id + c.value + len(c.name or "")
        session.commit()
    return check


def mixed_engine(url):
    """sqla_bench's settings (foreign keys, WAL, the 5 s busy timeout), a QueuePool of 8 shared by the threads."""
    for scheme in ("postgresql://", "postgres://"):
        if url.startswith(scheme):
            return create_engine("postgresql+psycopg2://" + url[len(scheme):], poolclass=QueuePool,
                                 pool_size=MIXED_THREADS)
    if not url.startswith("sqlite:") or url == "sqlite::memory:":
        raise SystemExit("sqla_query: mixed needs an SQLite file or PostgreSQL: %s" % url)
    # pooled connections move between threads: pysqlite must not refuse that
    engine = create_engine("sqlite:///" + url[len("sqlite:"):], poolclass=QueuePool, pool_size=MIXED_THREADS,
                           connect_args={"check_same_thread": False})

    @event.listens_for(engine, "connect")
    def pragmas(dbapi_connection, record):
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.close()
    return engine


def plan(n, thread, txn):
    """bench/mixed.c's mixed_plan."""
    rng = n // MIXED_THREADS
    reads = [thread * rng + 1 + ((txn * MIXED_READS + r) * STRIDE) % rng for r in range(MIXED_READS)]
    return ("customer name %d.%d" % (thread, txn), "customer description inserted in %d.%d" % (thread, txn),
            reads, "customer description updated in %d.%d" % (thread, txn))


def retryable(e):
    orig = getattr(e, "orig", None)
    if isinstance(orig, sqlite3.Error):
        return isinstance(orig, sqlite3.OperationalError) and "locked" in str(orig)
    return getattr(orig, "pgcode", None) in ("40001", "40P01", "55P03")


def transaction(engine, t, rnd):
    """One transaction of bench/mixed.h, retried: the check of its reads, the attempts it took."""
    new_name, new_description, reads, description = t
    delay = MIXED_FIRST_PAUSE
    for attempt in range(1, MIXED_ATTEMPTS + 1):
        try:
            with Session(engine) as session:
                session.add(Customer(name=new_name, description=new_description))
                session.flush()  # the write first (bench/mixed.h)
                check = 0
                read = [session.get(Customer, k) for k in reads]
                for c in read:
                    check += c.id + len(c.name or "") + len(c.description or "")
                read[0].description = description
                session.commit()
            return check, attempt
        except exc.DBAPIError as e:
            if not retryable(e) or attempt == MIXED_ATTEMPTS:
                raise
            time.sleep(rnd.uniform(delay / 2, delay))
            delay = min(delay * 2, MIXED_MAX_PAUSE)
    raise AssertionError("unreachable")


def cpu_seconds():
    """bench/mixed.c's: user + system time of the process (every thread)."""
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def mixed(url, n):
    engine = mixed_engine(url)
    start = threading.Barrier(MIXED_THREADS + 1)
    out = [None] * MIXED_THREADS
    failures = []

    def work(thread):
        try:
            conn = engine.raw_connection()  # checked out before the clock starts, as the C contenders do
        except Exception as e:  # noqa: BLE001 -- reported below, the barrier must still be reached
            failures.append(e)
            conn = None
        start.wait()
        if conn is not None:
            conn.close()  # back to the pool
        rnd = random.Random(thread)
        check, retries, latency = 0, 0, []
        try:
            txns = n // MIXED_THREADS + (thread < n % MIXED_THREADS)
            for j in range(txns):
                t = plan(n, thread, j)
                t0 = time.perf_counter()
                c, attempts = transaction(engine, t, rnd)
                latency.append(time.perf_counter() - t0)
                check += c
                retries += attempts - 1
        except Exception as e:  # noqa: BLE001
            failures.append(e)
        out[thread] = (check, retries, latency, time.perf_counter())

    threads = [threading.Thread(target=work, args=(t,)) for t in range(MIXED_THREADS)]
    for th in threads:
        th.start()
    start.wait()
    t0 = time.perf_counter()
    cpu0 = cpu_seconds()
    for th in threads:
        th.join()
    cpu = cpu_seconds() - cpu0
    engine.dispose()
    if failures:
        raise SystemExit("sqla_query: mixed: %s" % failures[0])
    seconds = max(o[3] for o in out) - t0
    latency = sorted(x for o in out for x in o[2])

    def percentile(p):
        return latency[max(1, math.ceil(p * len(latency))) - 1] if latency else 0.0
    return {"workload": "mixed", "n": n, "seconds": round(seconds, 6), "check": sum(o[0] for o in out),
            "threads": MIXED_THREADS, "tps": round(n / seconds, 1) if seconds > 0 else 0.0,
            "p50": round(percentile(0.5), 6), "p99": round(percentile(0.99), 6),
            "retries": sum(o[1] for o in out), "cpu_seconds": round(cpu, 6)}


def main(argv):
    if len(argv) != 4:
        raise SystemExit("usage: sqla_query.py WORKLOAD URL N")
    workload, url, n = argv[1], argv[2], int(argv[3])
    if workload == "mixed":
        print(json.dumps(mixed(url, n)))
        return
    engine = make_engine(url, False, [Parent.__table__, Child.__table__])
    t0 = time.perf_counter()
    if workload == "group_report":
        check = group_report(engine, n)
    elif workload == "join_children":
        check = join_children(engine, n)
    else:
        raise SystemExit("sqla_query: unknown workload %s" % workload)
    t = time.perf_counter() - t0
    engine.dispose()
    print(json.dumps({"workload": workload, "n": n, "seconds": round(t, 6), "check": check}))


if __name__ == "__main__":
    main(sys.argv)
