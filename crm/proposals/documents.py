"""Plain data for the proposal PDF and the village's recommendation letter, taken
from a proposal, its group and village and the evidence from the CRM (the builders
in :mod:`crm.documents.proposal_pdf` never touch the database)."""

from datetime import date

from flask_babel import force_locale
from sqlalchemy import select

from crm.catalog.models import Product
from crm.documents.letterhead import Letterhead
from crm.documents.letters import Signatory
from crm.documents.models import IssuedDocument
from crm.documents.proposal_content import (
    AdvocacyLetter,
    BudgetRow,
    EvidenceTable,
    GroupProfile,
    ProposalDocument,
    group_title,
)
from crm.extensions import db
from crm.partners.letters import village_letterhead
from crm.proposals.evidence import Evidence
from crm.proposals.labels import (
    DOC_CHANNEL_LABELS,
    DOC_CHECKLIST_LABELS,
    DOC_FUNDER_LABELS,
    DOC_GROUP_KIND_LABELS,
    DOC_KUR_LABELS,
    DOC_MONTHS,
    DOC_PARTNERSHIP_STATUS_LABELS,
)
from crm.proposals.models import Proposal
from crm.reports.report_charts import turnover_chart
from crm.text.dates import DEFAULT_TZ, to_local, village_today
from crm.text.phones import display_phone
from crm.villages.addresses import group_address, kabupaten_name, kecamatan_name

PRODUCTS_SHOWN = 8


def month_name(month) -> str:
    """``Month(2026, 11)`` → ``November 2026`` (always Indonesian)."""
    return f"{DOC_MONTHS[month.month - 1]} {month.year}"


def period_name(evidence: Evidence) -> str:
    """``Desember 2025 – November 2026``."""
    months = evidence.months
    if len(months) == 1:
        return month_name(months[0])
    return f"{month_name(months[0])} – {month_name(months[-1])}"


def group_letterhead(group) -> Letterhead:
    """The group's own kop: its name, address and phone, under the village's name."""
    village = group.village
    return Letterhead(
        institution_name=group_title(group.name),
        address=group_address(group),
        phone=display_phone(group.phone),
        upper_lines=[f"{village.display_name} · {kecamatan_name(village.kecamatan)}"],
    )


def _profile(proposal: Proposal) -> GroupProfile:
    group = proposal.group
    products = db.session.scalars(
        select(Product.name).where(Product.group_id == group.id, Product.active.is_(True))
        .order_by(Product.name).limit(PRODUCTS_SHOWN)).all()
    halal = group.halal_number or ""
    if halal and group.halal_expires_on:
        halal += f" (berlaku s.d. {group.halal_expires_on.strftime('%d-%m-%Y')})"
    return GroupProfile(
        name=group.name, kind=DOC_GROUP_KIND_LABELS.get(group.kind, ""),
        address=group_address(group), village_name=group.village.display_name,
        phone=display_phone(group.phone), since_year=group.since_year,
        description=group.description or "", chair_name=proposal.chair_name,
        secretary_name=proposal.secretary_name, treasurer_name=proposal.treasurer_name,
        nib=group.nib, pirt_number=group.pirt_number, halal_number=halal, npwp=group.npwp,
        products=list(products),
    )


def evidence_chart(evidence: Evidence):
    """The chart of the proposal page, in Indonesian whatever the reader's language."""
    with force_locale("id"):
        return turnover_chart(evidence.turnover, "Omzet per bulan", evidence.cells,
                              month_name=month_name,
                              month_short=lambda m: DOC_MONTHS[m.month - 1][:3])


def evidence_table(evidence: Evidence) -> EvidenceTable:
    """The evidence as the document's table: months down, channels across."""
    channels = evidence.channels
    totals = evidence.channel_totals
    turnover = evidence.turnover
    return EvidenceTable(
        period=period_name(evidence),
        months=[month_name(m) for m in evidence.months],
        channels=[DOC_CHANNEL_LABELS[c] for c in channels],
        cells=[[evidence.value(c, n) for c in channels] for n in range(len(evidence.months))],
        month_totals=evidence.month_totals,
        channel_totals=[totals[c] for c in channels],
        total=evidence.total, average=evidence.average, baseline=evidence.baseline,
        change_percent=turnover.change, other=[m.other for m in turnover.months],
        other_average=turnover.other_average, whole_average=turnover.whole_average,
        active_resellers=evidence.active_resellers, claim_resellers=evidence.claim_resellers,
        bookings_count=evidence.bookings_count, bookings_value=evidence.bookings_value,
        partnerships=[(p.partner_name, p.title, DOC_PARTNERSHIP_STATUS_LABELS[p.status])
                      for p in evidence.partnerships],
        chart=evidence_chart(evidence),
    )


def village_head(village) -> Signatory:
    return Signatory(position=f"{village.head_title or 'Kepala Desa'} {village.name}",
                     name=village.head_name or "")


def _issued_day(document: IssuedDocument | None, village) -> date:
    """The day a number was issued, where the village is; today without one."""
    if document is None:
        return village_today(village)
    return to_local(document.issued_at, village.timezone or DEFAULT_TZ).date()


def proposal_document(proposal: Proposal, evidence: Evidence,
                      number: IssuedDocument | None) -> ProposalDocument:
    """What the proposal PDF says; ``number`` is the proposal's number once sent."""
    village = proposal.village
    attachments = [DOC_CHECKLIST_LABELS[item.key] for item in proposal.checklist
                   if item.present]
    return ProposalDocument(
        letterhead=group_letterhead(proposal.group),
        number=number.number if number else "", place=village.name,
        day=_issued_day(number, village), funder_name=proposal.funder_name,
        funder_address=proposal.funder_address,
        funder_kind=DOC_FUNDER_LABELS[proposal.funder_kind],
        kur_scheme=DOC_KUR_LABELS.get(proposal.kur_scheme or "", ""),
        title=proposal.title, requested_amount=proposal.requested_amount,
        group=_profile(proposal), evidence=evidence_table(evidence),
        budget=[BudgetRow(line.item, line.volume, line.unit, line.unit_price)
                for line in proposal.budget_lines],
        head=village_head(village), village_name=village.display_name,
        background=proposal.background, aims=proposal.aims, activities=proposal.activities,
        closing=proposal.closing, attachments=attachments, draft=number is None,
    )


def advocacy_letter(proposal: Proposal, evidence: Evidence,
                    number: IssuedDocument) -> AdvocacyLetter:
    """What the village's recommendation letter for ``proposal`` says."""
    village = proposal.village
    region = ", ".join(p for p in (kecamatan_name(village.kecamatan),
                                   kabupaten_name(village.kabupaten)) if p)
    return AdvocacyLetter(
        letterhead=village_letterhead(village), number=number.number, place=village.name,
        day=_issued_day(number, village), village_name=village.display_name, region=region,
        funder_name=proposal.funder_name, funder_address=proposal.funder_address,
        group=_profile(proposal), title=proposal.title,
        requested_amount=proposal.requested_amount, head=village_head(village),
        evidence_period=period_name(evidence), average_turnover=evidence.average,
        whole_average=evidence.turnover.whole_average,
        copies_to=[f"Camat {village.kecamatan}", "Arsip"],
    )
