"""What a proposal is measured against before it is sent: its RAB total, the KUR
scheme that lends the amount asked, the NPWP asked above Rp 50 juta and the
checklist items still missing, and the warnings the group sees from them.

Nothing here changes a proposal: the services (:mod:`crm.proposals.services`), the
workflow (:mod:`crm.proposals.workflow`) and the pages read these figures.
"""

from sqlalchemy import BigInteger, cast, func, select

from crm.extensions import db
from crm.proposals.labels import KUR_LABELS
from crm.proposals.models import CHECKLIST_KEYS, BudgetLine, ChecklistItem, Proposal
from crm.text.money import format_rupiah
from crm.web.i18n import gettext as _

# KUR schemes and the largest amount each lends, smallest first; a scheme starts
# where the one before ends (Mikro: above Rp 10 juta up to Rp 100 juta).
KUR_CEILINGS = (("super_mikro", 10_000_000), ("mikro", 100_000_000), ("kecil", 500_000_000))
# Above this amount the funder asks for an NPWP.
NPWP_THRESHOLD = 50_000_000


def budget_total(proposal: Proposal) -> int:
    """Σ volume × unit price of the proposal's RAB lines, summed in the database."""
    total = db.session.scalar(
        select(cast(func.coalesce(func.sum(BudgetLine.volume * BudgetLine.unit_price), 0),
                    BigInteger))
        .where(BudgetLine.proposal_id == proposal.id))
    return int(total or 0)


def budget_line_count(proposal: Proposal) -> int:
    return int(db.session.scalar(select(func.count()).select_from(BudgetLine).where(
        BudgetLine.proposal_id == proposal.id)) or 0)


def kur_scheme_for(amount: int | None) -> str | None:
    """The KUR scheme whose ceiling fits ``amount``; None for nothing or above every
    ceiling (Rp 500 juta)."""
    if not amount or amount <= 0:
        return None
    for scheme, ceiling in KUR_CEILINGS:
        if amount <= ceiling:
            return scheme
    return None


def kur_warning(funder_kind: str, scheme: str | None, amount: int | None) -> str | None:
    """A warning when a KUR proposal asks an amount its scheme does not lend, naming
    the scheme that does."""
    if funder_kind != "kur" or not amount or amount <= 0:
        return None
    fits = kur_scheme_for(amount)
    if fits is not None and fits == scheme:
        return None
    if fits is None:
        return _("Perhatian: %(amount)s di atas batas KUR (paling banyak Rp 500.000.000). "
                 "Proposal tetap disimpan.", amount=format_rupiah(amount))
    if scheme not in KUR_LABELS:
        return _("Perhatian: pilih skema KUR. Untuk %(amount)s skema yang sesuai adalah "
                 "%(fits)s.", amount=format_rupiah(amount), fits=KUR_LABELS[fits])
    return _("Perhatian: %(amount)s tidak sesuai dengan %(scheme)s. Skema yang sesuai: "
             "%(fits)s. Proposal tetap disimpan.", amount=format_rupiah(amount),
             scheme=KUR_LABELS[scheme], fits=KUR_LABELS[fits])


def npwp_needed(amount: int | None) -> bool:
    return bool(amount) and amount > NPWP_THRESHOLD


def missing_items(proposal: Proposal) -> list[ChecklistItem]:
    """Checklist items still needed and not there yet, in checklist order."""
    order = {key: n for n, key in enumerate(CHECKLIST_KEYS)}
    items = [i for i in proposal.checklist if not i.present and not i.not_needed]
    return sorted(items, key=lambda i: order.get(i.key, 99))


def proposal_warnings(proposal: Proposal, total: int | None = None) -> list[str]:
    """What the group should know before sending: a KUR amount outside its scheme, a
    missing NPWP above Rp 50 juta, a requested amount above the RAB total."""
    warnings = []
    amount = proposal.requested_amount or 0
    kur = kur_warning(proposal.funder_kind, proposal.kur_scheme, amount)
    if kur:
        warnings.append(kur)
    if npwp_needed(amount):
        npwp = next((i for i in proposal.checklist if i.key == "npwp"), None)
        if npwp is None or not npwp.present:
            warnings.append(_("Permohonan di atas %(limit)s memerlukan NPWP. Lengkapi NPWP "
                              "kelompok atau ketua.", limit=format_rupiah(NPWP_THRESHOLD)))
    total = budget_total(proposal) if total is None else total
    if total and amount > total:
        warnings.append(over_budget_message(amount, total))
    return warnings


def over_budget_message(amount: int, total: int) -> str:
    return _("Jumlah permohonan %(amount)s melebihi total RAB %(total)s (selisih "
             "%(difference)s). Turunkan jumlah permohonan atau lengkapi RAB.",
             amount=format_rupiah(amount), total=format_rupiah(total),
             difference=format_rupiah(amount - total))
