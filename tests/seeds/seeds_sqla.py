#!/usr/bin/env python3
"""The seed scenario on SQLAlchemy's own models, for tests/test_seeds.c.

    seeds_sqla.py OUT

The models are SQLAlchemy's documentation examples as the documents write
them in the 1.4 declarative style (Debian's python3-sqlalchemy), table
names prefixed with seed_ as tests/models/seeds.h has them:

- the ORM Quick Start's User and Address (cascade="all, delete-orphan");
- the Adjacency List Relationships document's Node, both directions;
- the adjacency-list example's TreeNode (cascade="all, delete-orphan",
  children keyed by name);
- the Basic Relationship Patterns document's Many To Many: posts and tags
  over an association Table, relationship(secondary=...) both ways with
  back_populates.

The scenario below is the one test_seeds.c runs on the C models, step for
step. After every commit each table's rows are written to OUT in key
order: one line per row, values joined by '|', NULL for SQL NULL. The C
test writes the same text from its own database and compares.
"""
import sys

from sqlalchemy import Column, ForeignKey, Integer, String, Table, create_engine
from sqlalchemy.orm import Session, backref, declarative_base, relationship
from sqlalchemy.orm.collections import attribute_mapped_collection

Base = declarative_base()


class User(Base):
    __tablename__ = "seed_user_account"
    id = Column(Integer, primary_key=True)
    name = Column(String(30))
    fullname = Column(String)
    addresses = relationship("Address", back_populates="user", cascade="all, delete-orphan")


class Address(Base):
    __tablename__ = "seed_address"
    id = Column(Integer, primary_key=True)
    email_address = Column(String, nullable=False)
    user_id = Column(Integer, ForeignKey("seed_user_account.id"), nullable=False)
    user = relationship("User", back_populates="addresses")


class Node(Base):
    __tablename__ = "seed_node"
    id = Column(Integer, primary_key=True)
    parent_id = Column(Integer, ForeignKey("seed_node.id"))
    data = Column(String(50))
    children = relationship("Node", back_populates="parent")
    parent = relationship("Node", back_populates="children", remote_side=[id])


class TreeNode(Base):
    __tablename__ = "seed_tree"
    id = Column(Integer, primary_key=True)
    parent_id = Column(Integer, ForeignKey(id))
    name = Column(String(50), nullable=False)
    children = relationship(
        "TreeNode",
        cascade="all, delete-orphan",
        backref=backref("parent", remote_side=id),
        collection_class=attribute_mapped_collection("name"),
    )


# Many To Many: the association Table, then both sides naming it as secondary.
post_tags = Table(
    "seed_post_tags",
    Base.metadata,
    Column("post_id", ForeignKey("seed_post.id"), primary_key=True),
    Column("tag_id", ForeignKey("seed_tag.id"), primary_key=True),
)


class Post(Base):
    __tablename__ = "seed_post"
    id = Column(Integer, primary_key=True)
    title = Column(String(50))
    tags = relationship("Tag", secondary=post_tags, back_populates="posts")


class Tag(Base):
    __tablename__ = "seed_tag"
    id = Column(Integer, primary_key=True)
    name = Column(String(30), nullable=False)
    posts = relationship("Post", secondary=post_tags, back_populates="tags")


# The same statements as test_seeds.c's dump.
DUMP = [
    ("seed_user_account", "SELECT id, name, fullname FROM seed_user_account ORDER BY id"),
    ("seed_address", "SELECT id, email_address, user_id FROM seed_address ORDER BY id"),
    ("seed_node", "SELECT id, parent_id, data FROM seed_node ORDER BY id"),
    ("seed_tree", "SELECT id, parent_id, name FROM seed_tree ORDER BY id"),
    ("seed_post", "SELECT id, title FROM seed_post ORDER BY id"),
    ("seed_tag", "SELECT id, name FROM seed_tag ORDER BY id"),
    ("seed_post_tags", "SELECT post_id, tag_id FROM seed_post_tags ORDER BY post_id, tag_id"),
]


def dump(session, step, out):
    out.append("== %s\n" % step)
    conn = session.connection()
    for table, sql in DUMP:
        out.append("-- %s\n" % table)
        for row in conn.exec_driver_sql(sql):
            out.append("|".join("NULL" if v is None else str(v) for v in row) + "\n")


def by_email(user, email):
    return next(a for a in user.addresses if a.email_address == email)


def scenario(session, out):
    # The Quick Start's three users, two of them with addresses.
    spongebob = User(name="spongebob", fullname="Spongebob Squarepants",
                     addresses=[Address(email_address="spongebob@sqlalchemy.org")])
    sandy = User(name="sandy", fullname="Sandy Cheeks",
                 addresses=[Address(email_address="sandy@sqlalchemy.org"),
                            Address(email_address="sandy@squirrelpower.org")])
    patrick = User(name="patrick", fullname="Patrick Star")
    session.add_all([spongebob, sandy, patrick])
    session.commit()
    dump(session, "users added with their addresses", out)

    # Its changes: patrick gets an address, one of sandy's is renamed.
    patrick.addresses.append(Address(email_address="patrickstar@sqlalchemy.org"))
    by_email(sandy, "sandy@sqlalchemy.org").email_address = "sandy_cheeks@sqlalchemy.org"
    session.commit()
    dump(session, "an address appended, another changed", out)

    # An address moves: it leaves sandy's list for patrick's, and is no orphan.
    patrick.addresses.append(by_email(sandy, "sandy@squirrelpower.org"))
    session.commit()
    dump(session, "an address moved to another user", out)

    # Its deletes: removed from the list, delete-orphan deletes the address.
    sandy.addresses.remove(by_email(sandy, "sandy_cheeks@sqlalchemy.org"))
    session.commit()
    dump(session, "an address removed (delete-orphan)", out)

    # A user deleted: cascade "all" deletes the addresses too.
    session.delete(patrick)
    session.commit()
    dump(session, "a user deleted with its addresses", out)

    # The adjacency list document's tree.
    root = Node(data="root")
    child2 = Node(data="child2")
    root.children.append(Node(data="child1"))
    root.children.append(child2)
    root.children.append(Node(data="child3"))
    child2.children.append(Node(data="subchild1"))
    child2.children.append(Node(data="subchild2"))
    session.add(root)
    session.commit()
    dump(session, "the document's node tree", out)

    # The default cascade: child2's children stay, their parent_id NULL.
    session.delete(child2)
    session.commit()
    dump(session, "a node deleted, its children kept", out)

    # The example's TreeNode, children by name.
    rootnode = TreeNode(name="rootnode")
    for name in ("node1", "node2", "node3"):
        rootnode.children[name] = TreeNode(name=name)
    node2 = rootnode.children["node2"]
    node2.children["subnode1"] = TreeNode(name="subnode1")
    node2.children["subnode2"] = TreeNode(name="subnode2")
    node4 = TreeNode(name="node4")
    rootnode.children["node1"].children["node4"] = node4
    node4.children["subnode3"] = TreeNode(name="subnode3")
    session.add(rootnode)
    session.commit()
    dump(session, "the example's tree", out)

    # A subtree deleted: node2 with its children.
    session.delete(node2)
    session.commit()
    dump(session, "a subtree deleted", out)

    # A node taken off its parent's children: delete-orphan.
    del rootnode.children["node3"]
    session.commit()
    dump(session, "a node removed from its parent (delete-orphan)", out)

    # The root deleted: what is left of the tree goes with it.
    session.delete(rootnode)
    session.commit()
    dump(session, "the root deleted with its tree", out)

    # Many To Many: three tags, then two posts linked to them from both sides.
    c, orm, python = Tag(name="c"), Tag(name="orm"), Tag(name="python")
    session.add(c)
    session.add(orm)
    session.add(python)
    session.commit()
    dump(session, "tags added", out)

    # (added first: the posts' keys then follow the order they were added in)
    p1 = Post(title="Annotated C structs")
    p2 = Post(title="The unit of work")
    session.add(p1)
    session.add(p2)
    p1.tags.append(c)
    p1.tags.append(orm)
    p2.tags.append(orm)
    python.posts.append(p2)
    session.commit()
    dump(session, "posts linked to tags, both ways", out)

    # A tag taken off a post: its association row goes, the tag stays.
    p1.tags.remove(orm)
    session.commit()
    dump(session, "a tag removed from a post", out)

    # A post deleted: its association rows go, its tags stay.
    session.delete(p2)
    session.commit()
    dump(session, "a post deleted", out)

    # A tag deleted: its association rows go, its posts stay.
    session.delete(c)
    session.commit()
    dump(session, "a tag deleted", out)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: seeds_sqla.py OUT")
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    out = []
    with Session(engine) as session:
        scenario(session, out)
    with open(sys.argv[1], "w", encoding="utf-8") as f:
        f.write("".join(out))


if __name__ == "__main__":
    main()
