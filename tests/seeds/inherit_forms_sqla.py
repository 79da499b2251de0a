#!/usr/bin/env python3
"""The single-table and concrete-table inheritance scenarios on
SQLAlchemy's own models, for tests/test_inherit_forms_seed.c.

    inherit_forms_sqla.py OUT

The models are SQLAlchemy's single-table and concrete-table inheritance
examples (examples/inheritance/single.py and concrete.py of the 1.4
documentation, Debian's python3-sqlalchemy): a company with people,
engineers and managers. Table names take sti_seed_ and cti_seed_
prefixes, as tests/models/inherit_seeds.h has them. One change to the
concrete models, since calx's discriminator is a column of the root and
so stored in every concrete table: each table has a type column whose
default is its class's identity, and ConcreteBase's union names its own
discriminator _concrete_discriminator. The concrete scenario gives each
person a key unique across the tables (polymorphic loading needs that;
SQLAlchemy and calx both leave it to the program).

OUT gets, per form ("=== single", "=== concrete"), the schema SQLAlchemy
created, read back from the database and written dialect-neutrally as
tests/seeds/inherit_joined_sqla.py writes it, then the scenario below, the
one the C test runs step for step: after every commit each table's rows
in key order, values joined by '|', NULL for SQL NULL.
"""
import sys

from sqlalchemy import Column, ForeignKey, Integer, String, create_engine
from sqlalchemy.ext.declarative import ConcreteBase
from sqlalchemy.orm import Session, declarative_base, declared_attr, relationship

# --- single-table (examples/inheritance/single.py) ---------------------------

SingleBase = declarative_base()


class SCompany(SingleBase):
    __tablename__ = "sti_seed_company"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    employees = relationship("SPerson", back_populates="company", cascade="all, delete-orphan")


class SPerson(SingleBase):
    __tablename__ = "sti_seed_person"
    id = Column(Integer, primary_key=True)
    company_id = Column(ForeignKey("sti_seed_company.id"))
    name = Column(String(50))
    type = Column(String(50))
    company = relationship("SCompany", back_populates="employees")
    __mapper_args__ = {"polymorphic_identity": "person", "polymorphic_on": type}


class SEngineer(SPerson):
    engineer_name = Column(String(30))
    primary_language = Column(String(30))

    # both subclasses share the column, which is not the base class's own
    @declared_attr
    def status(cls):
        return SPerson.__table__.c.get("status", Column(String(30)))

    __mapper_args__ = {"polymorphic_identity": "engineer"}


class SManager(SPerson):
    manager_name = Column(String(30))

    @declared_attr
    def status(cls):
        return SPerson.__table__.c.get("status", Column(String(30)))

    __mapper_args__ = {"polymorphic_identity": "manager"}


# --- concrete-table (examples/inheritance/concrete.py) -----------------------

ConcreteDeclBase = declarative_base()


class CCompany(ConcreteDeclBase):
    __tablename__ = "cti_seed_company"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    employees = relationship("CPerson", back_populates="company", cascade="all, delete-orphan")


class CPerson(ConcreteBase, ConcreteDeclBase):
    __tablename__ = "cti_seed_person"
    _concrete_discriminator_name = "_concrete_discriminator"
    id = Column(Integer, primary_key=True)
    company_id = Column(ForeignKey("cti_seed_company.id"))
    name = Column(String(50))
    type = Column(String(50), default="person")
    company = relationship("CCompany", back_populates="employees")
    __mapper_args__ = {"polymorphic_identity": "person"}


class CEngineer(CPerson):
    __tablename__ = "cti_seed_engineer"
    id = Column(Integer, primary_key=True)
    company_id = Column(ForeignKey("cti_seed_company.id"))
    name = Column(String(50))
    type = Column(String(50), default="engineer")
    status = Column(String(30))
    engineer_name = Column(String(30))
    primary_language = Column(String(30))
    company = relationship("CCompany", back_populates="employees")
    __mapper_args__ = {"polymorphic_identity": "engineer", "concrete": True}


class CManager(CPerson):
    __tablename__ = "cti_seed_manager"
    id = Column(Integer, primary_key=True)
    company_id = Column(ForeignKey("cti_seed_company.id"))
    name = Column(String(50))
    type = Column(String(50), default="manager")
    status = Column(String(30))
    manager_name = Column(String(30))
    company = relationship("CCompany", back_populates="employees")
    __mapper_args__ = {"polymorphic_identity": "manager", "concrete": True}


# The same tables and statements as test_inherit_forms_seed.c's.
FORMS = [
    ("single", SingleBase, SCompany, SPerson, SEngineer, SManager,
     ["sti_seed_company", "sti_seed_person"],
     [("sti_seed_company", "SELECT id, name FROM sti_seed_company ORDER BY id"),
      ("sti_seed_person", "SELECT id, company_id, name, type, status, engineer_name, primary_language, manager_name "
                          "FROM sti_seed_person ORDER BY id")]),
    ("concrete", ConcreteDeclBase, CCompany, CPerson, CEngineer, CManager,
     ["cti_seed_company", "cti_seed_person", "cti_seed_engineer", "cti_seed_manager"],
     [("cti_seed_company", "SELECT id, name FROM cti_seed_company ORDER BY id"),
      ("cti_seed_person", "SELECT id, company_id, name, type FROM cti_seed_person ORDER BY id"),
      ("cti_seed_engineer", "SELECT id, company_id, name, type, status, engineer_name, primary_language "
                            "FROM cti_seed_engineer ORDER BY id"),
      ("cti_seed_manager", "SELECT id, company_id, name, type, status, manager_name FROM cti_seed_manager ORDER BY id")]),
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


def schema(conn, tables, out):
    out.append("== schema\n")
    for table in tables:
        out.append("-- %s\n" % table)
        cols = conn.exec_driver_sql("SELECT name, type, \"notnull\", pk FROM pragma_table_info('%s')" % table)
        for name, declared, notnull, pk in sorted(cols):
            out.append("%s|%s|%d|%d\n" % (name, affinity(declared), 1 if notnull or pk else 0, 1 if pk else 0))
        fks = conn.exec_driver_sql(
            "SELECT \"from\", \"table\", \"to\", on_delete FROM pragma_foreign_key_list('%s')" % table)
        for frm, ref, to, on_delete in sorted(fks):
            out.append("fk|%s|%s|%s|%s\n" % (frm, ref, to, on_delete.upper()))


def dump(session, dumps, step, out):
    out.append("== %s\n" % step)
    conn = session.connection()
    for table, sql in dumps:
        out.append("-- %s\n" % table)
        for row in conn.exec_driver_sql(sql):
            out.append("|".join("NULL" if v is None else str(v) for v in row) + "\n")


def scenario(session, form, Company, Person, Engineer, Manager, dumps, out):
    # Keys unique across the tables for the concrete form; the database's own for single-table.
    def key(n):
        return {"id": n} if form == "concrete" else {}

    # The example's company: two engineers, a manager, an ordinary person.
    c = Company(name="company1", employees=[
        Manager(name="dogbert", manager_name="dogbert", status="AAB", **key(1)),
        Engineer(name="dilbert", engineer_name="dilbert", primary_language="java", status="BBA", **key(2)),
        Person(name="joesmith", **key(3)),
        Engineer(name="wally", engineer_name="wally", primary_language="c++", status="CGG", **key(4)),
    ])
    session.add(c)
    session.commit()
    dump(session, dumps, "a company with each class", out)

    # One column of a subclass, one of the base, one of each.
    dilbert = session.query(Person).filter_by(name="dilbert").one()
    dilbert.engineer_name = "hes dilbert!"
    dogbert = session.query(Person).filter_by(name="dogbert").one()
    dogbert.name = "dogbert the great"
    wally = session.query(Person).filter_by(name="wally").one()
    wally.name = "wally the brave"
    wally.status = "BBB"
    session.commit()
    dump(session, dumps, "updates", out)

    # A new engineer; then one of each class deleted.
    c.employees.append(Engineer(name="alice", engineer_name="alice", primary_language="c", status="AAA", **key(5)))
    session.commit()
    dump(session, dumps, "an engineer added", out)
    session.delete(wally)
    session.delete(dogbert)
    session.delete(session.query(Person).filter_by(name="joesmith").one())
    session.commit()
    dump(session, dumps, "one of each class deleted", out)

    # The company, and with it (delete-orphan) the rest of its people.
    session.delete(c)
    session.commit()
    dump(session, dumps, "the company deleted", out)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: inherit_forms_sqla.py OUT")
    out = []
    for form, base, company, person, engineer, manager, tables, dumps in FORMS:
        out.append("=== %s\n" % form)
        engine = create_engine("sqlite://")
        base.metadata.create_all(engine)
        with engine.connect() as conn:
            schema(conn, tables, out)
        with Session(engine) as session:
            scenario(session, form, company, person, engineer, manager, dumps, out)
    with open(sys.argv[1], "w", encoding="utf-8") as f:
        f.write("".join(out))


if __name__ == "__main__":
    main()
