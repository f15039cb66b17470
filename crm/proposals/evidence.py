"""What the CRM knows about a group's business, as evidence for a capital proposal.

Turnover per month and channel over the last full months (WIB): reseller orders by
their order channel (the sold lines of :mod:`crm.reports.queries`: shipped or
finished orders, by shipped month, at the producer's price), consignment sales
(units sold × agreed price, by visit month) and catering for events (the group's
booking lines of delivered, invoiced or paid bookings, by delivery month). Besides:
active resellers, event partnerships, catering bookings, the other sales the group
recorded and the baseline turnover before MRSE (:mod:`crm.reports.turnover`: only
the whole turnover is compared with it). Queries only; the monthly figures are one
statement, so the number of queries does not grow with the data.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import distinct, func, select

from crm.catalog.models import Product
from crm.db.scalars import scalars_at_once
from crm.extensions import db
from crm.orders.models import ORDER_CHANNELS
from crm.partners.models import Partner, Partnership, partnership_groups
from crm.reports.queries import (
    Month,
    Period,
    active_reseller_count_query,
    current_month,
    months_ending,
)
from crm.reports.turnover import GroupCells, Turnover, group_cells, turnover_of
from crm.resellers.models import Claim

# Channels in the order they are shown: the reseller order channels, then the
# group's own channels.
CHANNELS = (*ORDER_CHANNELS, "consignment", "catering")


@dataclass(frozen=True)
class PartnershipRow:
    """An event partnership the group takes part in."""

    partner_name: str
    title: str
    status: str
    starts_on: date
    ends_on: date | None


@dataclass
class Evidence:
    """The figures of one group over ``period``; ``cells`` maps (channel, month index)
    to rupiah, empty cells absent."""

    period: Period
    cells: dict
    active_resellers: int = 0
    claim_resellers: int = 0
    partnerships: tuple = ()
    bookings_count: int = 0
    bookings_value: int = 0
    baseline: int | None = None
    # Other sales the group recorded, per month index (months without any absent).
    other: dict = field(default_factory=dict)

    @property
    def months(self) -> list[Month]:
        return list(self.period.months)

    @property
    def channels(self) -> list[str]:
        """Channels with any turnover in the period, in :data:`CHANNELS` order."""
        used = {channel for channel, _ in self.cells}
        return [c for c in CHANNELS if c in used]

    def value(self, channel: str, index: int) -> int:
        return self.cells.get((channel, index), 0)

    @property
    def month_totals(self) -> list[int]:
        return [sum(v for (_, n), v in self.cells.items() if n == index)
                for index in range(len(self.period.months))]

    @property
    def channel_totals(self) -> dict[str, int]:
        return {c: sum(v for (channel, _), v in self.cells.items() if channel == c)
                for c in self.channels}

    @property
    def total(self) -> int:
        return sum(self.cells.values())

    @property
    def average(self) -> int:
        """Turnover per month over the period, rounded to whole rupiah."""
        count = len(self.period.months)
        return (self.total + count // 2) // count

    @property
    def turnover(self) -> Turnover:
        """The whole turnover (MRSE channels and other sales) against the baseline."""
        return turnover_of(self.period, GroupCells(self.cells, self.other), self.baseline)


def evidence_period(months: int, now: datetime | None = None) -> Period:
    """The ``months`` full months before the current month (WIB)."""
    return months_ending(current_month(now).shift(-1), months)


def _cells(user, period: Period, group) -> GroupCells:
    """Turnover per (channel, month index), the other sales recorded per month and
    the catering bookings counted, in one statement."""
    return group_cells(user, period, [group])[group.id]


def _claim_resellers_query(group_id: int):
    """The ``COUNT`` of resellers with an active claim on one of the group's products."""
    return (select(func.count(distinct(Claim.reseller_id)))
            .join(Product, Product.id == Claim.product_id)
            .where(Product.group_id == group_id, Claim.status == "active"))


def _partnerships(group_id: int) -> tuple[PartnershipRow, ...]:
    rows = db.session.execute(
        select(Partner.name, Partnership.title, Partnership.status, Partnership.starts_on,
               Partnership.ends_on)
        .join(partnership_groups, partnership_groups.c.partnership_id == Partnership.id)
        .join(Partner, Partner.id == Partnership.partner_id)
        .where(partnership_groups.c.group_id == group_id)
        .order_by(Partnership.starts_on.desc(), Partnership.id.desc()))
    return tuple(PartnershipRow(*row) for row in rows)


def group_evidence(group, user, months: int = 12, now: datetime | None = None) -> Evidence:
    """The evidence of ``group`` over the last ``months`` full months. ``user`` is the
    reader (reseller sales follow the order scoping rules; a reader who may see the
    group sees all its orders). Three statements: the monthly cells, the counts, the
    partnerships."""
    period = evidence_period(months, now)
    found = _cells(user, period, group)
    cells, bookings = found.cells, found.bookings
    counts = scalars_at_once(
        active=active_reseller_count_query(user, period, group.id),
        claims=_claim_resellers_query(group.id))
    return Evidence(
        period=period, cells=cells,
        active_resellers=int(counts["active"] or 0),
        claim_resellers=int(counts["claims"] or 0),
        partnerships=_partnerships(group.id),
        bookings_count=bookings,
        bookings_value=sum(v for (channel, _), v in cells.items() if channel == "catering"),
        baseline=group.baseline_monthly_turnover,
        other=found.other,
    )


def proposal_evidence(proposal, user, now: datetime | None = None) -> Evidence:
    """The evidence section of ``proposal``: its group over its ``evidence_months``."""
    return group_evidence(proposal.group, user, proposal.evidence_months, now)
