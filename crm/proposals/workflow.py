"""The workflow of a capital proposal: one table of allowed steps and who takes them.

draft –submit→ submitted –endorse→ endorsed –send→ sent –approve→ approved
–disburse→ disbursed –report→ reported; submitted –return→ revision –submit→
submitted; sent –reject→ rejected. Every step is a guarded UPDATE (``WHERE status =
the status it was taken from``), so two clicks at once apply it once; each writes a
:class:`~crm.proposals.models.ProposalStep` and an audit row. A step the table does
not allow, or a user the step is not for, is refused and nothing changes.
"""

from dataclasses import dataclass, field

from sqlalchemy import select

from crm.audit.services import record_change
from crm.auth.models import Role
from crm.db.status_step import move_status
from crm.db.types import utcnow
from crm.documents.models import IssuedDocument
from crm.documents.numbering import issue_number
from crm.extensions import db
from crm.proposals.checks import (
    budget_line_count,
    budget_total,
    missing_items,
    over_budget_message,
)
from crm.proposals.labels import CHECKLIST_LABELS, STATUS_LABELS, STEP_ACTORS
from crm.proposals.models import Proposal, ProposalStep
from crm.text.dates import village_today
from crm.text.money import MAX_RUPIAH, format_rupiah
from crm.web.errors import RuleError
from crm.web.i18n import gettext as _

# (status, step) → new status. Anything else is refused.
TRANSITIONS = {
    ("draft", "submit"): "submitted",
    ("revision", "submit"): "submitted",
    ("submitted", "return"): "revision",
    ("submitted", "endorse"): "endorsed",
    ("endorsed", "send"): "sent",
    ("sent", "approve"): "approved",
    ("sent", "reject"): "rejected",
    ("approved", "disburse"): "disbursed",
    ("disbursed", "report"): "reported",
}
STEPS = ("submit", "return", "endorse", "send", "approve", "reject", "disburse", "report")
STEP_ROLES = {
    "submit": (Role.PRODUCER, Role.OFFICER),
    "return": (Role.OFFICER,),
    "endorse": (Role.OFFICER,),
    "send": (Role.PRODUCER, Role.OFFICER),
    "approve": (Role.OFFICER,),
    "reject": (Role.OFFICER,),
    "disburse": (Role.PRODUCER, Role.OFFICER),
    "report": (Role.PRODUCER, Role.OFFICER),
}
STEP_TIMESTAMPS = {
    "submit": "submitted_at", "endorse": "endorsed_at", "send": "sent_at",
    "approve": "decided_at", "reject": "decided_at", "disburse": "disbursed_at",
    "report": "reported_at",
}
# Steps whose comment is the officer's word on the proposal.
OFFICER_COMMENT_STEPS = ("return", "endorse", "approve", "reject")
# The letter number each step issues (kind of document).
STEP_DOCUMENTS = {"endorse": "advocacy", "send": "proposal"}
DOCUMENT_SUBJECT = "proposal"
MAX_COMMENT = 2000
MAX_REPORT = 10_000


@dataclass
class StepOutcome:
    """The proposal after a step, warnings to show and the number issued (if any)."""

    proposal: Proposal
    warnings: list[str] = field(default_factory=list)
    document: IssuedDocument | None = None


def allowed_steps(proposal: Proposal, user) -> list[str]:
    """The steps ``user`` may take on ``proposal`` now, in flow order."""
    return [step for step in STEPS
            if (proposal.status, step) in TRANSITIONS and user.role in STEP_ROLES[step]]


def _check_inputs(proposal: Proposal, step: str, comment: str, amount, report: str) -> None:
    if step in ("return", "reject") and not comment:
        message = (_("Tulis apa yang perlu diperbaiki.") if step == "return"
                   else _("Tulis alasan penolakan dari pemberi dana."))
        raise RuleError(message, field="comment")
    if step in ("approve", "disburse"):
        ceiling = proposal.requested_amount if step == "approve" else proposal.approved_amount
        if amount is None:
            message = (_("Isi jumlah yang disetujui.") if step == "approve"
                       else _("Isi jumlah dana yang diterima."))
            raise RuleError(message, field="amount")
        if isinstance(amount, bool) or not isinstance(amount, int) \
                or not 0 < amount <= MAX_RUPIAH:
            raise RuleError(_("Jumlah harus lebih dari nol."), field="amount")
        if ceiling is not None and amount > ceiling:
            message = (_("Jumlah yang disetujui tidak boleh melebihi permohonan %(max)s.",
                         max=format_rupiah(ceiling)) if step == "approve"
                       else _("Dana yang cair tidak boleh melebihi jumlah yang disetujui "
                              "%(max)s.", max=format_rupiah(ceiling)))
            raise RuleError(message, field="amount")
    if step == "report" and not report:
        raise RuleError(_("Tulis laporan penggunaan dana."), field="report")


def _check_ready(proposal: Proposal) -> None:
    """A proposal goes to the officer with a budget and an amount within it."""
    if not budget_line_count(proposal):
        raise RuleError(_("Isi RAB dulu: paling sedikit satu baris."))
    if not proposal.requested_amount or proposal.requested_amount <= 0:
        raise RuleError(_("Isi jumlah permohonan (lebih dari nol)."))
    total = budget_total(proposal)
    if proposal.requested_amount > total:
        raise RuleError(over_budget_message(proposal.requested_amount, total))


def _refused(proposal: Proposal) -> RuleError:
    return RuleError(_("Langkah ini tidak bisa dilakukan pada proposal berstatus “%(status)s”.",
                       status=STATUS_LABELS[proposal.status]))


def take_step(proposal: Proposal, step: str, actor, comment: str = "", amount: int | None = None,
              report: str = "") -> StepOutcome:
    """Take ``step`` on ``proposal`` following :data:`TRANSITIONS` and
    :data:`STEP_ROLES`. Returning and rejecting need a ``comment``; approving an
    ``amount`` up to the request, disbursing one up to the approved amount; reporting
    the ``report`` text. Endorsing issues the village's recommendation letter number
    (and warns about missing attachments), sending the proposal's number."""
    if step not in STEPS or (proposal.status, step) not in TRANSITIONS:
        raise _refused(proposal)
    if getattr(actor, "role", None) not in STEP_ROLES[step]:
        raise RuleError(_("Langkah ini hanya untuk %(who)s.", who=STEP_ACTORS[step]))
    comment = (comment or "").strip()[:MAX_COMMENT]
    report = (report or "").strip()[:MAX_REPORT]
    _check_inputs(proposal, step, comment, amount, report)
    old, new = proposal.status, TRANSITIONS[(proposal.status, step)]
    now = utcnow()
    values = {"status": new, "updated_at": now}
    if step in STEP_TIMESTAMPS:
        values[STEP_TIMESTAMPS[step]] = now
    if step in OFFICER_COMMENT_STEPS and comment:
        values["officer_comment"] = comment
    if step == "approve":
        values["approved_amount"] = amount
    elif step == "disburse":
        values["disbursed_amount"] = amount
    elif step == "report":
        values["report"] = report
    move_status(proposal, old, values.pop("status"),
                _("Proposal ini baru saja diubah orang lain. Muat ulang halaman."), values=values)
    if step == "submit":
        # Checked under the row lock: the RAB cannot change under our feet.
        _check_ready(proposal)
    warnings, document = [], None
    if step == "endorse":
        missing = missing_items(proposal)
        if missing:
            warnings.append(_("Perhatian: kelengkapan belum ada: %(items)s. Rekomendasi tetap "
                              "dibuat; lengkapi sebelum dikirim.",
                              items=", ".join(str(CHECKLIST_LABELS[i.key]) for i in missing)))
    if step in STEP_DOCUMENTS:
        village = proposal.village
        document = issue_number(village, STEP_DOCUMENTS[step], DOCUMENT_SUBJECT, proposal.id,
                                day=village_today(village), group_id=None, actor=actor)
    db.session.add(ProposalStep(proposal_id=proposal.id, from_status=old, to_status=new,
                                comment=report if step == "report" else comment,
                                actor_id=getattr(actor, "id", None)))
    changes = {"status": [old, new]}
    if comment:
        changes["comment"] = comment
    if amount is not None and step in ("approve", "disburse"):
        changes["amount"] = amount
    if document is not None:
        changes["number"] = document.number
    db.session.flush()
    record_change(actor, step, "proposal", proposal.id, proposal.village_id, changes)
    return StepOutcome(proposal, warnings, document)


def proposal_documents(proposal: Proposal) -> dict[str, IssuedDocument]:
    """The numbers issued for ``proposal``, by kind ("advocacy", "proposal")."""
    rows = db.session.scalars(select(IssuedDocument).where(
        IssuedDocument.subject == DOCUMENT_SUBJECT, IssuedDocument.subject_id == proposal.id,
        IssuedDocument.group_id.is_(None),
        IssuedDocument.kind.in_(tuple(STEP_DOCUMENTS.values())),
    ).order_by(IssuedDocument.id))
    return {row.kind: row for row in rows}
