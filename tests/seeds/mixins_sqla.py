#!/usr/bin/env python3
"""The seed's four mixins on User and Invoice as SQLAlchemy models, for
tests/test_seed_mixins.c, which compares the schema create_all makes of
them with the one calx makes of tests/models/seed_mixins.h.

    mixins_sqla.py URL        drop and create the tables at URL
                              (sqlite:///FILE, or postgresql://...)
    mixins_sqla.py --ddl OUT  write the DDL create_all emits, per dialect

Written in the 1.4 declarative style (Debian's python3-sqlalchemy) from
SQLAlchemy's documentation:

- "Composing Mapped Hierarchies with Mixins" (ORM): columns shared through
  plain mixin classes;
- "Column INSERT/UPDATE Defaults" (Core): server_default=func.now() for the
  database's clock on insert, onupdate=func.now() on every update;
- "Configuring Constraint Naming Conventions" (Core): the documented
  naming_convention, whose "ck" template takes the constraint's own name
  (%(constraint_name)s), so the check named amount_nonneg on invoices is
  ck_invoices_amount_nonneg;
- "Backend-agnostic GUID Type" (Core, custom types): 1.4 has no generic
  UUID type. The recipe is postgresql.UUID on PostgreSQL and CHAR(32) of
  hex digits elsewhere; written here as postgresql.UUID with a SQLite
  variant, which creates the same columns.

Where the documents are silent, from calx's issues 14 and 15 (the types
and the plugins): the mixins' names and columns (created_at, updated_at,
deleted_at, id, created_by, updated_by), the timestamps being instants
(DateTime(timezone=True)), the audit columns being text, and Invoice's
money as NUMERIC(10, 2) with the named check. User's e-mail (unique) and
the index on invoices.user_id are there so that each kind of name the
convention makes (pk, fk, uq, ix, ck) has a constraint on each side.
"""
import sys
import uuid

from sqlalchemy import (CHAR, CheckConstraint, Column, DateTime, ForeignKey, Integer, MetaData, Numeric, String,
                        Text, create_engine, func)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import declarative_base, relationship
from sqlalchemy.schema import CreateIndex, CreateTable

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Base = declarative_base(metadata=MetaData(naming_convention=NAMING_CONVENTION))

# PostgreSQL's native UUID; on SQLite the GUID recipe's 32 hex characters.
GUID = postgresql.UUID(as_uuid=True).with_variant(CHAR(32), "sqlite")


class TimestampMixin:
    created_at = Column(DateTime(timezone=True), nullable=False, server_default=func.now())
    updated_at = Column(DateTime(timezone=True), nullable=False, server_default=func.now(), onupdate=func.now())


class SoftDeleteMixin:
    deleted_at = Column(DateTime(timezone=True), nullable=True)


class UUIDMixin:
    id = Column(GUID, primary_key=True, default=uuid.uuid4)


class AuditMixin:
    created_by = Column(Text, nullable=False)
    updated_by = Column(Text, nullable=True)


class User(UUIDMixin, TimestampMixin, SoftDeleteMixin, Base):
    __tablename__ = "users"
    name = Column(String(50), nullable=False)
    email = Column(String(120), nullable=False, unique=True)
    invoices = relationship("Invoice", back_populates="user")


class Invoice(TimestampMixin, AuditMixin, Base):
    __tablename__ = "invoices"
    __table_args__ = (CheckConstraint("amount >= 0", name="amount_nonneg"),)
    id = Column(Integer, primary_key=True)
    user_id = Column(GUID, ForeignKey("users.id"), nullable=False, index=True)
    amount = Column(Numeric(10, 2), nullable=False)
    user = relationship("User", back_populates="invoices")


def ddl(out):
    """The statements create_all runs, as each dialect compiles them."""
    text = []
    for name, dialect in (("sqlite", sqlite.dialect()), ("postgresql", postgresql.dialect())):
        text.append("-- %s\n" % name)
        for table in Base.metadata.sorted_tables:
            text.append(str(CreateTable(table).compile(dialect=dialect)).strip() + ";\n")
            for index in sorted(table.indexes, key=lambda i: i.name):
                text.append(str(CreateIndex(index).compile(dialect=dialect)).strip() + ";\n")
    with open(out, "w") as f:
        f.write("".join(text))


def create(url):
    engine = create_engine(url)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    engine.dispose()


def main(argv):
    if len(argv) == 3 and argv[1] == "--ddl":
        ddl(argv[2])
    elif len(argv) == 2:
        create(argv[1])
    else:
        sys.stderr.write("usage: mixins_sqla.py URL | --ddl OUT\n")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
