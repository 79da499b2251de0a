#!/usr/bin/env python3
"""The joined-table inheritance scenario on SQLAlchemy's own models, for
tests/test_inherit_joined_seed.c.

    inherit_joined_sqla.py OUT

The models are SQLAlchemy's joined-table inheritance example
(examples/inheritance/joined.py of the 1.4 documentation, Debian's
python3-sqlalchemy): a company with people, engineers and managers, the
subclasses' tables keyed by a foreign key to the person table. The table
names take a jti_seed_ prefix, as tests/models/inherit_joined.h has them,
and the subclasses' foreign keys are ondelete="CASCADE", as calx creates
them.

OUT gets, first, the schema SQLAlchemy created, read back from the
database and written dialect-neutrally (the C test writes its own the
same way on SQLite and PostgreSQL): per table, each column by name as
name|affinity|notnull|pk (a key column counts as NOT NULL), then each
foreign key as fk|column|table|column|on delete. Then the scenario below,
the one the C test runs step for step: after every commit each table's
rows in key order, values joined by '|', NULL for SQL NULL.
"""
import sys

from sqlalchemy import Column, ForeignKey, Integer, String, create_engine
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class Company(Base):
    __tablename__ = "jti_seed_company"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    employees = relationship("Person", back_populates="company", cascade="all, delete-orphan")


class Person(Base):
    __tablename__ = "jti_seed_person"
    id = Column(Integer, primary_key=True)
    company_id = Column(ForeignKey("jti_seed_company.id"))
    name = Column(String(50))
    type = Column(String(50))
    company = relationship("Company", back_populates="employees")
    __mapper_args__ = {"polymorphic_identity": "person", "polymorphic_on": type}


class Engineer(Person):
    __tablename__ = "jti_seed_engineer"
    id = Column(ForeignKey("jti_seed_person.id", ondelete="CASCADE"), primary_key=True)
    status = Column(String(30))
    engineer_name = Column(String(30))
    primary_language = Column(String(30))
    __mapper_args__ = {"polymorphic_identity": "engineer"}


class Manager(Person):
    __tablename__ = "jti_seed_manager"
    id = Column(ForeignKey("jti_seed_person.id", ondelete="CASCADE"), primary_key=True)
    status = Column(String(30))
    manager_name = Column(String(30))
    __mapper_args__ = {"polymorphic_identity": "manager"}


TABLES = ["jti_seed_company", "jti_seed_person", "jti_seed_engineer", "jti_seed_manager"]

# The same statements as test_inherit_joined_seed.c's dump.
DUMP = [
    ("jti_seed_company", "SELECT id, name FROM jti_seed_company ORDER BY id"),
    ("jti_seed_person", "SELECT id, company_id, name, type FROM jti_seed_person ORDER BY id"),
    ("jti_seed_engineer", "SELECT id, status, engineer_name, primary_language FROM jti_seed_engineer ORDER BY id"),
    ("jti_seed_manager", "SELECT id, status, manager_name FROM jti_seed_manager ORDER BY id"),
]


def affinity(declared):
    """SQLite's affinity of a declared type (its documented rules, in order)."""
    t = declared.upper()
    if "INT" in t:
        return "integer"
    if "CHAR" in t or "CLOB" in t or "TEXT" in t:
        return "text"
    if t == "" or "BLOB" in t:
        return "blob"
    if "REAL" in t or "FLOA" in t or "DOUB" in t:
        return "real"
    return "numeric"


def schema(conn, out):
    out.append("== schema\n")
    for table in TABLES:
        out.append("-- %s\n" % table)
        cols = conn.exec_driver_sql("SELECT name, type, \"notnull\", pk FROM pragma_table_info('%s')" % table)
        for name, declared, notnull, pk in sorted(cols):
            out.append("%s|%s|%d|%d\n" % (name, affinity(declared), 1 if notnull or pk else 0, 1 if pk else 0))
        fks = conn.exec_driver_sql(
            "SELECT \"from\", \"table\", \"to\", on_delete FROM pragma_foreign_key_list('%s')" % table)
        for frm, ref, to, on_delete in sorted(fks):
            out.append("fk|%s|%s|%s|%s\n" % (frm, ref, to, on_delete.upper()))


def dump(session, step, out):
    out.append("== %s\n" % step)
    conn = session.connection()
    for table, sql in DUMP:
        out.append("-- %s\n" % table)
        for row in conn.exec_driver_sql(sql):
            out.append("|".join("NULL" if v is None else str(v) for v in row) + "\n")


def scenario(session, out):
    # The example's company: two engineers, a manager, an ordinary person.
    c = Company(name="company1", employees=[
        Manager(name="dogbert", manager_name="dogbert", status="AAB"),
        Engineer(name="dilbert", engineer_name="dilbert", primary_language="java", status="BBA"),
        Person(name="joesmith"),
        Engineer(name="wally", engineer_name="wally", primary_language="c++", status="CGG"),
    ])
    session.add(c)
    session.commit()
    dump(session, "a company with each class", out)

    # One column of a subclass table, one of the person table, one of each.
    dilbert = session.query(Person).filter_by(name="dilbert").one()
    dilbert.engineer_name = "hes dilbert!"
    dogbert = session.query(Person).filter_by(name="dogbert").one()
    dogbert.name = "dogbert the great"
    wally = session.query(Person).filter_by(name="wally").one()
    wally.name = "wally the brave"
    wally.status = "BBB"
    session.commit()
    dump(session, "updates of each table", out)

    # A new engineer; then one of each class deleted.
    c.employees.append(Engineer(name="alice", engineer_name="alice", primary_language="c", status="AAA"))
    session.commit()
    dump(session, "an engineer added", out)
    session.delete(wally)
    session.delete(dogbert)
    session.delete(session.query(Person).filter_by(name="joesmith").one())
    session.commit()
    dump(session, "one of each class deleted", out)

    # The company, and with it (delete-orphan) the rest of its people.
    session.delete(c)
    session.commit()
    dump(session, "the company deleted", out)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: inherit_joined_sqla.py OUT")
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    out = []
    with engine.connect() as conn:
        schema(conn, out)
    with Session(engine) as session:
        scenario(session, out)
    with open(sys.argv[1], "w", encoding="utf-8") as f:
        f.write("".join(out))


if __name__ == "__main__":
    main()
