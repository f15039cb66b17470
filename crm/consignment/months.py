"""Consignment sales per group and month (:class:`ConsignmentMonth`), kept up to date.

A visit is the only step that sells consigned goods, and a recorded visit is never
changed or taken back: :func:`record_visit_sales` adds a new visit's lines (sold ×
agreed price) to its group's row of the visit's month, in the visit's transaction,
with one upsert (:func:`crm.db.upsert.add_to_row`).

:func:`rebuild` computes every row from the visits themselves (the migration that
made the table, bulk loads, ``flask crm check-totals --fix``).
"""

from datetime import date

from sqlalchemy import BigInteger, Date, cast, delete, distinct, func, select

from crm.consignment.models import ConsignmentMonth, ConsignmentVisit, ConsignmentVisitLine
from crm.db.upsert import add_to_row
from crm.extensions import db


def month_of(day: date) -> date:
    """The first day of ``day``'s month (a visit's month is that of its day)."""
    return day.replace(day=1)


def record_visit_sales(visit: ConsignmentVisit, sold_value: int) -> None:
    """Add a just-recorded ``visit`` with lines worth ``sold_value`` (Σ sold ×
    price) to its group's month."""
    add_to_row(ConsignmentMonth.__table__,
               {"group_id": visit.group_id, "month": month_of(visit.visited_on)},
               {"village_id": visit.village_id}, {"visits": 1, "sold_value": sold_value})


def computed_months():
    """Every row computed from the visits (a SELECT shaped like the table)."""
    visit, line = ConsignmentVisit, ConsignmentVisitLine
    # The first day of the month, on SQLite and PostgreSQL alike.
    month = cast(func.date_trunc("month", visit.visited_on), Date)
    if db.session.get_bind().dialect.name == "sqlite":
        month = func.date(visit.visited_on, "start of month")
    return (select(visit.group_id, month.label("month"), visit.village_id,
                   func.count(distinct(visit.id)).label("visits"),
                   cast(func.sum(line.sold * line.unit_price), BigInteger).label("sold_value"))
            .join_from(line, visit, line.visit_id == visit.id)
            .group_by(visit.group_id, month, visit.village_id))


def rebuild() -> None:
    """Replace every row by what the visits give (no commit)."""
    db.session.execute(delete(ConsignmentMonth))
    db.session.execute(ConsignmentMonth.__table__.insert().from_select(
        ["group_id", "month", "village_id", "visits", "sold_value"], computed_months()))
