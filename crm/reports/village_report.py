"""The village report of an officer: each group of their villages with its turnover
per month against its turnover before MRSE (:mod:`crm.reports.turnover`), its active
resellers and the width its bars are drawn against, and the sales totals of every
group in the officer's scope.

A page of groups costs the same statements however many groups or sales there are:
one for the active resellers, one for the totals, one for the turnover cells.
"""

from dataclasses import dataclass, field

from sqlalchemy import Row, Select, distinct, func, select

from crm.auth.models import User
from crm.catalog.models import ProducerGroup
from crm.catalog.queries import groups_visible_to
from crm.extensions import db
from crm.reports.models import SalesMonth
from crm.reports.queries import Figures, Period, in_period, sales_totals
from crm.reports.turnover import Turnover, group_cells, turnover_of
from crm.villages.models import Village


def report_groups(user: User, village_id: int | None = None) -> Select:
    """The groups ``user`` sees (of one of their villages when ``village_id`` is
    given), by name, as rows of ``id``, ``name``, ``baseline_monthly_turnover``,
    ``village_name`` and ``village_id``; for ``db.paginate_rows``."""
    query = (groups_visible_to(user)
             .with_only_columns(ProducerGroup.id, ProducerGroup.name,
                                ProducerGroup.baseline_monthly_turnover,
                                Village.name.label("village_name"), ProducerGroup.village_id)
             .join(Village, Village.id == ProducerGroup.village_id))
    if village_id is not None:
        query = query.where(ProducerGroup.village_id == village_id)
    return query


def active_resellers(user: User, period: Period, group_ids: list[int]) -> dict[int, int]:
    """Per group asked, the distinct resellers with a sale in the period (groups
    without one absent)."""
    if not group_ids:
        return {}
    model = SalesMonth
    return {group_id: int(resellers) for group_id, resellers in db.session.execute(
        select(model.group_id, func.count(distinct(model.reseller_id)))
        .where(*in_period(model, user, period, None), model.group_id.in_(group_ids),
               model.orders > 0)
        .group_by(model.group_id))}


@dataclass(frozen=True)
class GroupReport:
    """One group of the report: ``group`` a row of :func:`report_groups`, ``top`` the
    full width of its bars, ``cells`` its MRSE turnover per (channel, month index)
    (for the chart by channel)."""

    group: Row
    turnover: Turnover
    active_resellers: int
    top: int
    cells: dict = field(default_factory=dict)


@dataclass(frozen=True)
class VillageReport:
    """The groups of one page of the report, and the totals of every group in scope."""

    groups: list[GroupReport]
    totals: Figures


def bars_top(turnover: Turnover, baseline: int | None) -> int:
    """The full width of a group's bars: its largest month (the whole turnover where
    the other sales were recorded, the MRSE channels elsewhere) or its baseline,
    whichever is larger."""
    return max([m.mrse if m.whole is None else m.whole for m in turnover.months]
               + [baseline or 0])


def village_report(user: User, period: Period, groups: list[Row]) -> VillageReport:
    """The report on ``groups`` (rows of :func:`report_groups`, one page of them) over
    ``period``, as ``user`` sees it."""
    active = active_resellers(user, period, [g.id for g in groups])
    totals = sales_totals(user, period)
    cells = group_cells(user, period, groups)
    reports = []
    for group in groups:
        baseline = group.baseline_monthly_turnover
        turnover = turnover_of(period, cells[group.id], baseline)
        reports.append(GroupReport(group, turnover, active.get(group.id, 0),
                                   bars_top(turnover, baseline), cells[group.id].cells))
    return VillageReport(reports, totals)
