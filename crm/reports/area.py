"""The Kecamatan and Kabupaten view: every village in an officer's scope side by
side, grouped by Kecamatan (the first 8 characters of the Kemendagri village code,
"32.04.11"), with totals per Kecamatan and for the whole view.

Per village: producer groups (and those with sales in the period), resellers with a
sale, turnover per month by channel — resellers (dropship orders), consignment,
catering, and the other sales the groups recorded themselves — events and catering,
goods at outlets, proposals per status, the community fund, and whether the village
lags (:class:`Lags`).

Turnover is compared with the groups' turnover before MRSE by the rule of
:mod:`crm.reports.turnover`, group by group: only a group's whole turnover (MRSE
channels and its recorded other sales) is compared, and only over the months its
other sales were recorded. A village, Kecamatan or the whole view adds up the groups
that can be compared (:class:`Comparison`): their whole turnover against their
baselines, never the MRSE channels alone against a whole baseline.

The figures come from a fixed number of statements however many villages there are
(see :mod:`crm.reports.area_queries`).
"""

from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta

from flask import abort

from crm.db.types import utcnow
from crm.reports.area_queries import (
    AreaGroup,
    AreaVillage,
    VillageFacts,
    area_cells,
    area_groups,
    area_villages,
    village_facts,
    village_scope,
)
from crm.reports.queries import Period
from crm.reports.turnover import Turnover, change_percent, turnover_of
from crm.text.dates import village_today

# A village lags when no order came in for this many days.
NO_ORDER_DAYS = 30
# The MRSE channels of the view, and the other sales the groups record themselves.
RESELLERS, CONSIGNMENT, CATERING, OTHER = "reseller", "consignment", "catering", "other"
MRSE_CHANNELS = (RESELLERS, CONSIGNMENT, CATERING)
CHANNELS = (*MRSE_CHANNELS, OTHER)
# The proposal status that waits for the officer (the officer's first list).
WAITING_STATUS = "submitted"


def channel_of(cell_channel: str) -> str:
    """The view's channel of a turnover cell: every order channel (Shopee, WhatsApp
    …) counts as resellers."""
    return cell_channel if cell_channel in (CONSIGNMENT, CATERING) else RESELLERS


@dataclass
class Comparison:
    """Whole turnover against the turnover before MRSE, summed over the groups that
    can be compared: those with a baseline and a whole turnover (other sales
    recorded). ``groups`` counts them; without any there is no change to show."""

    whole: int = 0
    baseline: int = 0
    groups: int = 0

    def add(self, whole: int | None, baseline: int | None) -> None:
        """Count one group, if it can be compared."""
        if whole is None or not baseline or baseline <= 0:
            return
        self.whole += whole
        self.baseline += baseline
        self.groups += 1

    def merge(self, other: "Comparison") -> None:
        self.whole += other.whole
        self.baseline += other.baseline
        self.groups += other.groups

    @property
    def change(self) -> int | None:
        """Change in whole percent; None when no group could be compared."""
        return change_percent(self.whole, self.baseline) if self.groups else None


@dataclass
class AreaFigures:
    """Figures of a village, a Kecamatan or the whole view; they add up.

    ``channels`` maps each of :data:`CHANNELS` to rupiah per month of the period
    (``other``: the other sales recorded); ``recorded`` counts per month the groups
    whose other sales were recorded; ``period`` compares each group's average whole
    turnover over its recorded months, ``by_month`` each month's."""

    months: int
    villages: int = 0
    groups: int = 0
    active_groups: int = 0
    lagging: int = 0
    channels: dict = field(default_factory=dict)
    recorded: list = field(default_factory=list)
    period: Comparison = field(default_factory=Comparison)
    by_month: list = field(default_factory=list)
    facts: VillageFacts = field(default_factory=VillageFacts)

    def __post_init__(self):
        self.channels = self.channels or {c: [0] * self.months for c in CHANNELS}
        self.recorded = self.recorded or [0] * self.months
        self.by_month = self.by_month or [Comparison() for _n in range(self.months)]

    def add_group(self, turnover: Turnover | None, cells) -> None:
        """Count one group of a village from its cells and measure (None: the group
        cannot be compared, see :func:`comparable`)."""
        self.groups += 1
        for (cell_channel, index), value in cells.cells.items():
            self.channels[channel_of(cell_channel)][index] += value
        for index, value in cells.other.items():
            self.channels[OTHER][index] += value
            self.recorded[index] += 1
        if cells.cells or cells.other:
            self.active_groups += 1
        if turnover is None:
            return
        self.period.add(turnover.whole_average, turnover.baseline)
        for index, month in enumerate(turnover.months):
            self.by_month[index].add(month.whole, turnover.baseline)

    def add(self, other: "AreaFigures") -> None:
        """Add the figures of another village or Kecamatan."""
        for name in ("villages", "groups", "active_groups", "lagging"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for channel, values in other.channels.items():
            mine = self.channels[channel]
            for index, value in enumerate(values):
                mine[index] += value
        for index, count in enumerate(other.recorded):
            self.recorded[index] += count
        self.period.merge(other.period)
        for mine, theirs in zip(self.by_month, other.by_month, strict=True):
            mine.merge(theirs)
        for item in fields(VillageFacts):
            if item.name == "proposals":
                for status, count in other.facts.proposals.items():
                    self.facts.proposals[status] = self.facts.proposals.get(status, 0) + count
            else:
                setattr(self.facts, item.name,
                        getattr(self.facts, item.name) + getattr(other.facts, item.name))

    def mrse(self, index: int) -> int:
        """The MRSE channels of month ``index``."""
        return sum(self.channels[c][index] for c in MRSE_CHANNELS)

    @property
    def mrse_by_month(self) -> list[int]:
        return [self.mrse(n) for n in range(self.months)]

    @property
    def mrse_total(self) -> int:
        return sum(self.mrse_by_month)

    def total(self, channel: str) -> int:
        """A channel's rupiah over the period."""
        return sum(self.channels[channel])

    @property
    def recorded_months(self) -> int:
        """Months in which at least one group recorded its other sales."""
        return sum(1 for count in self.recorded if count)

    @property
    def waiting_proposals(self) -> int:
        return self.facts.proposals.get(WAITING_STATUS, 0)


@dataclass(frozen=True)
class Lags:
    """Why a village needs attention: no order in :data:`NO_ORDER_DAYS` days (or
    never), goods past their pull-back day still at outlets, proposals waiting for
    the officer."""

    no_recent_order: bool
    overdue_drops: int
    waiting_proposals: int

    @property
    def any(self) -> bool:
        return self.no_recent_order or bool(self.overdue_drops or self.waiting_proposals)


def lags_of(village: AreaVillage, figures: AreaFigures, now: datetime) -> Lags:
    """The lagging rules, as of ``now`` (whatever period the page shows)."""
    last = village.last_order_at
    return Lags(no_recent_order=last is None or last < now - timedelta(days=NO_ORDER_DAYS),
                overdue_drops=figures.facts.overdue_drops,
                waiting_proposals=figures.waiting_proposals)


@dataclass(frozen=True)
class VillageRow:
    """One village of the view."""

    village: AreaVillage
    figures: AreaFigures
    lags: Lags


@dataclass(frozen=True)
class KecamatanRow:
    """A Kecamatan of the view: its code ("32.04.11"), name, villages and totals."""

    code: str
    name: str
    villages: list
    totals: AreaFigures


@dataclass(frozen=True)
class AreaReport:
    """The view: Kecamatan by Kecamatan, the totals, the Kecamatan the officer can
    choose from (code, name) and the one chosen (None: all)."""

    period: Period
    today: date
    kecamatans: list
    totals: AreaFigures
    choices: list
    chosen: str | None

    @property
    def villages(self) -> list[VillageRow]:
        return [row for k in self.kecamatans for row in k.villages]

    @property
    def lagging(self) -> list[VillageRow]:
        return [row for row in self.villages if row.lags.any]

    @property
    def top(self) -> int:
        """The largest village MRSE turnover of the period (the width of the bars)."""
        return max((row.figures.mrse_total for row in self.villages), default=0)


def kecamatan_choices(villages: list[AreaVillage]) -> list[tuple[str, str]]:
    """The Kecamatan of ``villages`` (sorted by code) as (code, name), each once."""
    seen: dict[str, str] = {}
    for village in villages:
        seen.setdefault(village.kecamatan_code, village.kecamatan)
    return list(seen.items())


def comparable(group: AreaGroup, cells) -> bool:
    """Whether ``group`` can be compared with its turnover before MRSE: it has a
    baseline and recorded other sales in the period (what :meth:`Comparison.add`
    asks of it). The others are not measured at all: most groups of a Kabupaten."""
    return bool(cells.other) and group.baseline is not None and group.baseline > 0


def _village_figures(period: Period, groups: list[AreaGroup], cells: dict,
                     facts: VillageFacts) -> AreaFigures:
    figures = AreaFigures(len(period.months), villages=1, facts=facts)
    for group in groups:
        cell = cells[group.id]
        measured = turnover_of(period, cell, group.baseline) if comparable(group, cell) else None
        figures.add_group(measured, cell)
    return figures


def area_report(user, period: Period, kecamatan: str | None = None,
                now: datetime | None = None) -> AreaReport:
    """The view for ``user`` over ``period``: every village in their scope, or those
    of one Kecamatan (its code; one outside the scope answers 404). Lagging is judged
    as of ``now`` (default: now)."""
    now = now or utcnow()
    today = village_today()
    villages = area_villages(user)
    choices = kecamatan_choices(villages)
    if kecamatan is not None:
        if kecamatan not in dict(choices):
            abort(404)
        villages = [v for v in villages if v.kecamatan_code == kecamatan]
    scope = village_scope(user, kecamatan)
    groups = area_groups(scope)
    cells = area_cells(user, period, groups, scope)
    facts = village_facts(user, period, today, [v.id for v in villages], scope)
    by_village: dict[int, list[AreaGroup]] = {}
    for group in groups:
        by_village.setdefault(group.village_id, []).append(group)
    months = len(period.months)
    totals = AreaFigures(months)
    kecamatans: dict[str, KecamatanRow] = {}
    for village in villages:
        figures = _village_figures(period, by_village.get(village.id, []), cells,
                                   facts[village.id])
        lags = lags_of(village, figures, now)
        figures.lagging = int(lags.any)
        row = kecamatans.get(village.kecamatan_code)
        if row is None:
            row = kecamatans[village.kecamatan_code] = KecamatanRow(
                village.kecamatan_code, village.kecamatan, [], AreaFigures(months))
        row.villages.append(VillageRow(village, figures, lags))
        row.totals.add(figures)
        totals.add(figures)
    return AreaReport(period, today, list(kecamatans.values()), totals, choices, kecamatan)
