#!/usr/bin/python3
"""The SQLAlchemy 1.4 contender: each workload done the idiomatic ORM way.

    /usr/bin/python3 bench/sqla_bench.py WORKLOAD URL N [ids=FILE] [sync=off]

Same command line and the same one-line JSON report as the C contenders
(bench/common.h). URL is a calx URL (sqlite:PATH, sqlite::memory:,
postgresql://...; the last goes to psycopg2 as postgresql+psycopg2://...).
Only the work is timed: the engine is made, and its first connection
opened, before the clock starts.

Connections get what calx gives its own: foreign keys on, WAL for files,
a 5 s busy timeout (pysqlite's default), synchronous = OFF when asked. File
databases use a QueuePool (1.4 would default to NullPool for SQLite files,
reconnecting for every session); the in-memory database a StaticPool, as
SQLAlchemy's own single_inserts example does. PostgreSQL uses psycopg2
(Debian's python3-psycopg2) and a QueuePool (1.4's default there), with the
server's settings as they are.
"""
import json
import sys
import time

from sqlalchemy import Column, ForeignKey, Integer, String, create_engine, event
from sqlalchemy.orm import Session, declarative_base, joinedload, relationship, selectinload
from sqlalchemy.pool import QueuePool, StaticPool

CHUNK = 1000
GRAPH_CHILDREN = 10  # bench/graph.h

Base = declarative_base()


class Customer(Base):
    __tablename__ = "customer"
    id = Column(Integer, primary_key=True)
    name = Column(String(255))
    description = Column(String(255))


# bench/models.h's bench_parent and bench_child; children in key order, as calx loads them
class Parent(Base):
    __tablename__ = "bench_parents"
    id = Column(Integer, primary_key=True)
    name = Column(String(255))
    value = Column(Integer, nullable=False)
    children = relationship("Child", back_populates="parent", order_by="Child.id")


class Child(Base):
    __tablename__ = "bench_children"
    id = Column(Integer, primary_key=True)
    parent_id = Column(Integer, ForeignKey("bench_parents.id"), nullable=False, index=True)
    name = Column(String(255))
    value = Column(Integer, nullable=False)
    parent = relationship("Parent", back_populates="children")


def tables_of(workload):
    """The tables a workload uses: create_all makes only these (the others are not its business)."""
    if "_graph" in workload:
        return [Parent.__table__, Child.__table__]
    return [Customer.__table__]


def make_engine(url, sync_off, tables):
    for scheme in ("postgresql://", "postgres://"):
        if url.startswith(scheme):
            if sync_off:
                raise SystemExit("sqla_bench: sync=off is an SQLite option")
            engine = create_engine("postgresql+psycopg2://" + url[len(scheme):], poolclass=QueuePool)
            Base.metadata.create_all(engine, tables=tables)  # the tables exist: checks, and opens the pooled connection
            return engine
    memory = url == "sqlite::memory:"
    if memory:
        engine = create_engine("sqlite://", poolclass=StaticPool)
    elif url.startswith("sqlite:"):
        engine = create_engine("sqlite:///" + url[len("sqlite:"):], poolclass=QueuePool)
    else:
        raise SystemExit("sqla_bench: unsupported URL %s" % url)

    @event.listens_for(engine, "connect")
    def pragmas(dbapi_connection, record):
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA foreign_keys = ON")
        if not memory:
            cur.execute("PRAGMA journal_mode = WAL")
        if sync_off:
            cur.execute("PRAGMA synchronous = OFF")
        cur.close()

    Base.metadata.create_all(engine, tables=tables)  # the tables exist for files; opens the pooled connection
    return engine


def row_check(c):
    return c.id + len(c.name or "") + len(c.description or "")


def insert(engine, n, pk_given):
    last = 0
    with Session(engine) as session:
        for chunk in range(0, n, CHUNK):
            objs = [
                Customer(
                    id=i + 1 if pk_given else None,
                    name="customer name %d" % i,
                    description="customer description %d" % i,
                )
                for i in range(chunk, min(chunk + CHUNK, n))
            ]
            session.add_all(objs)
            session.flush()
            last = objs[-1].id
        session.commit()
    return last


def insert_many(engine, n):
    """bulk_insert_mappings with return_defaults: rows, not objects, keys back (SQLAlchemy 1.4)."""
    rows = [{"name": "customer name %d" % i, "description": "customer description %d" % i} for i in range(n)]
    with Session(engine) as session:
        session.bulk_insert_mappings(Customer, rows, return_defaults=True)
        session.commit()
    return rows[-1]["id"] if rows else 0


def load_objects(engine, n):
    check = 0
    with Session(engine) as session:
        for c in session.query(Customer).yield_per(CHUNK).limit(n):
            check += row_check(c)
    return check


def load_pages(engine, n):
    check, last, got = 0, 0, 0
    while got < n:
        with Session(engine) as session:
            page = (
                session.query(Customer)
                .filter(Customer.id > last)
                .order_by(Customer.id)
                .limit(min(CHUNK, n - got))
                .all()
            )
            for c in page:
                check += row_check(c)
                last = c.id
        if not page:
            break
        got += len(page)
    return check


def load_columns(engine, n):
    check = 0
    with Session(engine) as session:
        q = session.query(Customer.id, Customer.name, Customer.description)
        for row in q.yield_per(10000).limit(n):
            check += row.id + len(row.name or "") + len(row.description or "")
    return check


def single_insert(engine, n):
    check = 0
    for i in range(n):
        with Session(engine) as session:
            c = Customer(name="customer name %d" % i, description="customer description %d" % i)
            session.add(c)
            session.flush()
            check += c.id  # read before commit expires it
            session.commit()
    return check


def get_pass(session, ids, expunge):
    check = 0
    for id_ in ids:
        c = session.get(Customer, id_)
        check += row_check(c)
        if expunge:
            session.expunge(c)
    return check


def get_keys(engine, ids, warm):
    with Session(engine) as session:
        if warm:
            # not timed: fills the identity map, which holds objects weakly,
            # so keep them referenced as a calx session keeps its own
            held = [session.get(Customer, id_) for id_ in ids]  # noqa: F841
        t0 = time.perf_counter()
        check = get_pass(session, ids, not warm)
        t = time.perf_counter() - t0
    return t, check


def bulk_update(engine, n):
    check = 0
    with Session(engine) as session:
        for chunk in range(0, n, CHUNK):
            customers = (
                session.query(Customer)
                .filter(Customer.id > chunk, Customer.id <= chunk + CHUNK)
                .all()
            )
            for c in customers:
                c.description += "updated"
                check += row_check(c)
            session.flush()
        session.commit()
    return check


def bulk_delete(engine, n):
    """bulk_update's chunks, each object deleted with session.delete, a flush per chunk, one commit."""
    check = 0
    with Session(engine) as session:
        for chunk in range(0, n, CHUNK):
            customers = (
                session.query(Customer)
                .filter(Customer.id > chunk, Customer.id <= chunk + CHUNK)
                .all()
            )
            for c in customers:
                check += row_check(c)
                session.delete(c)
            session.flush()
        session.commit()
    return check


def load_graph(engine, n, joined=False):
    """bench/graph.h's graph_check_loaded over n parents, their children by selectinload (joined: joinedload,
    which with a limit wraps the parents' select in a subquery, as calx does)."""
    check = 0
    with Session(engine) as session:
        load = joinedload(Parent.children) if joined else selectinload(Parent.children)
        parents = session.query(Parent).options(load).limit(n).all()
        for p in parents:
            check += p.id + p.value + len(p.name or "")
            for c in p.children:
                check += c.id + c.parent_id + c.value + len(c.name or "") + (c.parent is p)
    return check


def insert_graph(engine, n):
    """n parents with their children, add_all, one flush; graph_check_inserted read before commit expires them."""
    check = 0
    with Session(engine) as session:
        parents = []
        for i in range(n):
            p = Parent(name="parent %d" % i, value=i)
            for k in range(GRAPH_CHILDREN):
                j = i * GRAPH_CHILDREN + k
                p.children.append(Child(name="child %d" % j, value=j))
            parents.append(p)
        session.add_all(parents)
        session.flush()
        for p in parents:
            check += p.id
            for c in p.children:
                check += c.id + (c.parent_id == p.id) + (c.parent is p)
        session.commit()
    return check


def main(argv):
    if len(argv) < 4:
        raise SystemExit("usage: sqla_bench.py WORKLOAD URL N [ids=FILE] [sync=off]")
    workload, url, n = argv[1], argv[2], int(argv[3])
    ids_file, sync_off = None, False
    for opt in argv[4:]:
        if opt.startswith("ids="):
            ids_file = opt[4:]
        elif opt == "sync=off":
            sync_off = True
        else:
            raise SystemExit("sqla_bench: unknown option %s" % opt)
    engine = make_engine(url, sync_off, tables_of(workload))

    t = None
    t0 = time.perf_counter()
    # *_marked: calx's opt-in tracking mode; SQLAlchemy's work is the same
    if workload in ("insert_no_pk", "insert_no_pk_marked"):
        check = insert(engine, n, False)
    elif workload in ("insert_pk_given", "insert_pk_given_marked"):
        check = insert(engine, n, True)
    elif workload == "insert_many":
        check = insert_many(engine, n)
    elif workload in ("load_objects", "load_objects_held"):
        check = load_objects(engine, n)
    elif workload == "load_pages":
        check = load_pages(engine, n)
    elif workload == "load_columns":
        check = load_columns(engine, n)
    elif workload == "single_insert":
        check = single_insert(engine, n)
    elif workload in ("get_cold", "get_warm"):
        with open(ids_file) as f:
            ids = [int(x) for x in f.read().split()][:n]
        t, check = get_keys(engine, ids, workload == "get_warm")
    elif workload in ("bulk_update", "bulk_update_marked"):
        check = bulk_update(engine, n)
    elif workload == "bulk_delete":
        check = bulk_delete(engine, n)
    elif workload == "load_graph":
        check = load_graph(engine, n)
    elif workload == "load_graph_joined":
        check = load_graph(engine, n, joined=True)
    elif workload == "insert_graph":
        check = insert_graph(engine, n)
    else:
        raise SystemExit("sqla_bench: unknown workload %s" % workload)
    if t is None:
        t = time.perf_counter() - t0
    engine.dispose()
    print(json.dumps({"workload": workload, "n": n, "seconds": round(t, 6), "check": check}))


if __name__ == "__main__":
    main(sys.argv)
