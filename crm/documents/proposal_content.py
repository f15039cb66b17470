"""What a group's capital proposal (Proposal Permohonan Bantuan Modal Usaha) and the
village's recommendation letter for it (surat rekomendasi) say: the group, the
evidence of its sales, the budget (RAB), the funder. Plain data, filled by the
proposals blueprint and printed by :mod:`crm.documents.proposal_pdf` and
:mod:`crm.documents.advocacy_pdf`.
"""

from dataclasses import dataclass, field
from datetime import date

from crm.documents.letterhead import Letterhead
from crm.documents.letters import Signatory
from crm.reports.charts import Chart


@dataclass
class GroupProfile:
    """The group as the proposal introduces it."""

    name: str
    kind: str = ""
    address: str = ""
    village_name: str = ""
    phone: str = ""
    since_year: int | None = None
    description: str = ""
    chair_name: str = ""
    secretary_name: str = ""
    treasurer_name: str = ""
    nib: str = ""
    pirt_number: str = ""
    halal_number: str = ""
    npwp: str = ""
    products: list[str] = field(default_factory=list)


@dataclass
class EvidenceTable:
    """Turnover per month (rows) and channel (columns), in whole rupiah, with the
    other figures of the evidence section. ``total``, ``average``, ``month_totals``
    and ``channel_totals`` are of the MRSE channels; ``other`` holds each month's
    other sales recorded by the group (None: not recorded), ``whole_average`` and
    ``change_percent`` the whole turnover over the recorded months (None: none)."""

    period: str
    months: list[str]
    channels: list[str]
    cells: list[list[int]]
    month_totals: list[int]
    channel_totals: list[int]
    total: int
    average: int
    baseline: int | None = None
    change_percent: int | None = None
    other: list = field(default_factory=list)
    other_average: int | None = None
    whole_average: int | None = None
    active_resellers: int = 0
    claim_resellers: int = 0
    bookings_count: int = 0
    bookings_value: int = 0
    # (partner, partnership title, status)
    partnerships: list[tuple[str, str, str]] = field(default_factory=list)
    # The turnover per month against the baseline, as on the proposal page.
    chart: Chart | None = None


@dataclass
class BudgetRow:
    """A line of the RAB."""

    item: str
    volume: int
    unit: str
    unit_price: int

    @property
    def total(self) -> int:
        return self.volume * self.unit_price


@dataclass
class ProposalDocument:
    """What the proposal says. ``number`` is empty until the proposal is sent;
    ``draft`` marks every page."""

    letterhead: Letterhead
    number: str
    place: str
    day: date
    funder_name: str
    funder_address: str
    funder_kind: str
    title: str
    requested_amount: int
    group: GroupProfile
    evidence: EvidenceTable
    budget: list[BudgetRow]
    head: Signatory
    village_name: str
    kur_scheme: str = ""
    background: str = ""
    aims: str = ""
    activities: str = ""
    closing: str = ""
    attachments: list[str] = field(default_factory=list)
    draft: bool = False

    @property
    def budget_total(self) -> int:
        return sum(row.total for row in self.budget)


@dataclass
class AdvocacyLetter:
    """The village's recommendation of a group's proposal to a funder."""

    letterhead: Letterhead
    number: str
    place: str
    day: date
    village_name: str
    region: str  # "Kecamatan Katapang, Kabupaten Bandung"
    funder_name: str
    funder_address: str
    group: GroupProfile
    title: str
    requested_amount: int
    head: Signatory
    evidence_period: str = ""
    # Per month over the evidence period: the MRSE channels, and the whole turnover
    # over the months whose other sales were recorded (None: none was).
    average_turnover: int = 0
    whole_average: int | None = None
    copies_to: list[str] = field(default_factory=list)


def group_title(name: str) -> str:
    """``Ladu Ketan`` → ``Kelompok Ladu Ketan``; a name that already says so stays."""
    name = (name or "").strip()
    return name if name.lower().startswith("kelompok") else f"Kelompok {name}"
