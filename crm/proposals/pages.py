"""What the proposal pages share: the labels every template gets, the proposal page
(shown by its own route and again when a step is sent with an error), the forms of
the steps on it and the message after a step."""

from flask import render_template
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from crm.auth.models import User
from crm.extensions import db
from crm.proposals import services, workflow
from crm.proposals.checks import missing_items, proposal_warnings
from crm.proposals.evidence import proposal_evidence
from crm.proposals.forms import StepForm
from crm.proposals.labels import (
    CHANNEL_LABELS,
    CHECK_STATE_LABELS,
    CHECKLIST_LABELS,
    FUNDER_LABELS,
    KUR_LABELS,
    NEXT_STEP_HINTS,
    PARTNERSHIP_STATUS_LABELS,
    STATUS_LABELS,
    STEP_LABELS,
    STEP_SLUGS,
)
from crm.proposals.models import CHECKLIST_KEYS, Proposal, ProposalStep
from crm.reports.report_charts import turnover_chart
from crm.text.money import format_rupiah
from crm.web.i18n import gettext as _
from crm.web.templating import day_text


def page_labels() -> dict:
    """The labels and status sets every proposal template reads."""
    return {
        "status_labels": STATUS_LABELS, "hints": NEXT_STEP_HINTS, "step_labels": STEP_LABELS,
        "step_slugs": {step: slug for slug, step in STEP_SLUGS.items()},
        "funder_labels": FUNDER_LABELS, "kur_labels": KUR_LABELS,
        "checklist_labels": CHECKLIST_LABELS, "check_state_labels": CHECK_STATE_LABELS,
        "channel_labels": CHANNEL_LABELS, "partnership_labels": PARTNERSHIP_STATUS_LABELS,
        "editable_statuses": services.EDITABLE_STATUSES,
        "checklist_statuses": services.CHECKLIST_STATUSES,
    }


def ordered_checklist(proposal: Proposal) -> list:
    """The proposal's checklist items in checklist order."""
    order = {key: n for n, key in enumerate(CHECKLIST_KEYS)}
    return sorted(proposal.checklist, key=lambda i: order.get(i.key, 99))


def step_form(step: str, bound: bool = False) -> StepForm:
    """The form of one step; its fields get ids of their own (several step forms
    stand on one page)."""
    form = StepForm() if bound else StepForm(formdata=None)
    for item in (form.comment, form.amount, form.report):
        item.id = item.label.field_id = f"{step}-{item.name}"
    return form


def month_label(month) -> str:
    """``November 2026`` in the page's language."""
    return day_text(month.first_day, "MMMM y")


def _history(proposal: Proposal) -> list:
    return db.session.scalars(
        select(ProposalStep).where(ProposalStep.proposal_id == proposal.id)
        .options(selectinload(ProposalStep.actor)).order_by(ProposalStep.id)).all()


def render_detail(proposal: Proposal, bound: dict | None = None):
    """The proposal page; ``bound`` holds a step form sent with an error."""
    evidence = proposal_evidence(proposal, current_user)
    steps = workflow.allowed_steps(proposal, current_user)
    forms = {step: step_form(step) for step in steps}
    forms.update({k: v for k, v in (bound or {}).items() if k in forms})
    total = proposal.budget_total
    missing = missing_items(proposal)
    creator = (db.session.get(User, proposal.created_by_id)
               if proposal.created_by_id is not None else None)
    return render_template(
        "proposals/detail.html", proposal=proposal, evidence=evidence, steps=steps,
        forms=forms, total=total, documents=workflow.proposal_documents(proposal),
        warnings=proposal_warnings(proposal, total),
        missing=missing, history=_history(proposal), creator=creator,
        missing_names=", ".join(str(CHECKLIST_LABELS[i.key]) for i in missing),
        month_label=month_label, check_state=services.check_state,
        turnover_chart=turnover_chart(evidence.turnover, _("Omzet per bulan"), evidence.cells),
        checklist=ordered_checklist(proposal), **page_labels())


def done_message(step: str, outcome: workflow.StepOutcome) -> str:
    """What the page says after ``step`` was taken, and what comes next."""
    proposal = outcome.proposal
    number = outcome.document.number if outcome.document else ""
    messages = {
        "submit": _("Proposal diajukan ke petugas desa."),
        "return": _("Proposal dikembalikan ke kelompok dengan catatan perbaikan."),
        "endorse": _("Rekomendasi desa dibuat dengan nomor %(number)s.", number=number),
        "send": _("Proposal tercatat sudah dikirim, nomor %(number)s.", number=number),
        "approve": _("Keputusan dicatat: disetujui %(amount)s.",
                     amount=format_rupiah(proposal.approved_amount)),
        "reject": _("Keputusan dicatat: ditolak."),
        "disburse": _("Dana cair dicatat: %(amount)s.",
                      amount=format_rupiah(proposal.disbursed_amount)),
        "report": _("Laporan pertanggungjawaban disimpan."),
    }
    return f"{messages[step]} {NEXT_STEP_HINTS[proposal.status]}"
