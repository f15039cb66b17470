"""Several one-value queries in one statement.

A dashboard shows a handful of counts and sums, each a small ``SELECT`` of its own.
Sent one by one, each costs a round trip to the database and the driver's work
around it, which adds up to more than the counting itself; as scalar subqueries of
one ``SELECT`` they cost one.
"""

from sqlalchemy import Select, select

from crm.extensions import db


def scalars_at_once(**queries: Select) -> dict:
    """``{name: value}`` of one-row, one-column ``queries``, sent as one statement."""
    if not queries:
        return {}
    row = db.session.execute(
        select(*(query.scalar_subquery().label(name) for name, query in queries.items()))
    ).one()
    return dict(row._mapping)
