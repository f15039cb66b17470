"""Adding to counters and sums in one statement: ``INSERT … ON CONFLICT DO UPDATE SET
x = x + n`` on SQLite and PostgreSQL, atomic under concurrent writers."""

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite

from crm.extensions import db


def add_to_row(table: Table, key: dict, fixed: dict, changes: dict[str, int]) -> None:
    """Add ``changes`` (column → amount, negative to take away) to the row of
    ``table`` with primary key ``key``; a missing row is made from ``key``, ``fixed``
    and the positive changes (a first step never takes away, and CHECK constraints
    hold for the proposed row before any conflict)."""
    values = {**key, **fixed, **{name: max(amount, 0) for name, amount in changes.items()}}
    statement = upsert_into(table).values(**values)
    moved = {name: table.c[name] + amount for name, amount in changes.items() if amount}
    if moved:
        statement = statement.on_conflict_do_update(index_elements=list(key), set_=moved)
    else:
        statement = statement.on_conflict_do_nothing(index_elements=list(key))
    db.session.execute(statement)


def upsert_into(table: Table):
    """``INSERT`` into ``table`` in the dialect of the session's database, whose
    statements take ``on_conflict_do_update`` / ``on_conflict_do_nothing``."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(table)
