"""A digest of every table's rows, to prove a refused request changed nothing.

On PostgreSQL the digest is computed by the database in one round trip; on SQLite
(in process, no round trips) the rows are read and hashed here.
"""

from sqlalchemy import select, text

from crm.extensions import db


def snapshot() -> dict:
    """``{table: digest of all its rows}`` for every table of the app."""
    db.session.expire_all()
    tables = db.metadata.sorted_tables
    if db.session.get_bind().dialect.name == "postgresql":
        # Table names come from the app's own metadata, never from input.
        template = ("SELECT '{0}' AS name, md5(coalesce(string_agg(r::text, ',' "
                    "ORDER BY r::text), '')) AS digest FROM \"{0}\" r")
        parts = [template.format(t.name) for t in tables]
        return dict(db.session.execute(text(" UNION ALL ".join(parts))).all())
    return {t.name: hash(tuple(sorted(map(repr, db.session.execute(select(t))))))
            for t in tables}
