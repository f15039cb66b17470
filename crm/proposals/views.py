"""Capital proposals of producer groups: writing them (content, RAB, checklist), the
officer's review and the steps after it, and the proposal and recommendation PDFs."""

from io import BytesIO

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from crm.auth.models import Role, User
from crm.auth.permissions import roles_required
from crm.documents.advocacy_pdf import build_advocacy_pdf
from crm.documents.proposal_pdf import build_proposal_pdf
from crm.extensions import db
from crm.proposals import services, workflow
from crm.proposals.documents import advocacy_letter, proposal_document
from crm.proposals.evidence import proposal_evidence
from crm.proposals.forms import (
    BudgetLineForm,
    ChecklistForm,
    NewLinesForm,
    ProposalForm,
    StepForm,
)
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
from crm.proposals.models import CHECKLIST_KEYS, PROPOSAL_STATUSES, Proposal, ProposalStep
from crm.proposals.queries import (
    get_budget_line_or_404,
    get_proposal_or_404,
    proposal_groups,
    proposals_visible_to,
)
from crm.text.money import format_rupiah
from crm.web.errors import RuleError
from crm.web.forms import apply_rule_error, new_form_token
from crm.web.i18n import gettext as _
from crm.web.templating import day_text

bp = Blueprint("proposals", __name__, url_prefix="/proposal")

USERS = (Role.OFFICER, Role.PRODUCER)
# What needs the user first in the list: the officer reviews, the group writes.
NEEDS_ACTION = {Role.OFFICER: ("submitted",), Role.PRODUCER: ("draft", "revision")}


def _labels() -> dict:
    return {
        "status_labels": STATUS_LABELS, "hints": NEXT_STEP_HINTS, "step_labels": STEP_LABELS,
        "step_slugs": {step: slug for slug, step in STEP_SLUGS.items()},
        "funder_labels": FUNDER_LABELS, "kur_labels": KUR_LABELS,
        "checklist_labels": CHECKLIST_LABELS, "check_state_labels": CHECK_STATE_LABELS,
        "channel_labels": CHANNEL_LABELS, "partnership_labels": PARTNERSHIP_STATUS_LABELS,
        "editable_statuses": services.EDITABLE_STATUSES,
        "checklist_statuses": services.CHECKLIST_STATUSES,
    }


def _to_detail(proposal: Proposal):
    return redirect(url_for("proposals.detail", proposal_id=proposal.id))


def _flash_all(messages, category: str = "warning") -> None:
    for message in messages:
        flash(message, category)


# --- list and new -------------------------------------------------------------------


@bp.get("/")
@roles_required(*USERS)
def index():
    """Proposals in the user's scope, what needs the user first, newest first."""
    status = request.args.get("status", "")
    visible = proposals_visible_to(current_user)
    counts = dict(db.session.execute(
        visible.with_only_columns(Proposal.status, func.count())
        .group_by(Proposal.status)).all())
    first = NEEDS_ACTION.get(Role(current_user.role), ())
    query = visible.options(selectinload(Proposal.group))
    if status in PROPOSAL_STATUSES:
        query = query.where(Proposal.status == status)
    else:
        status = ""
    query = query.order_by(case((Proposal.status.in_(first), 0), else_=1),
                           Proposal.updated_at.desc(), Proposal.id.desc())
    page = db.paginate(query, per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("proposals/index.html", page=page, counts=counts, status=status,
                           needs_action=first, statuses=PROPOSAL_STATUSES, **_labels())


@bp.route("/baru", methods=["GET", "POST"])
@roles_required(*USERS)
def create():
    """A new proposal: a producer for their group, an officer for a group of their
    villages."""
    groups = db.session.scalars(proposal_groups(current_user)).all()
    form = ProposalForm()
    officer = current_user.role == Role.OFFICER
    if officer:
        form.group_id.choices = [("", _("— pilih kelompok —"))] + [
            (str(g.id), f"{g.name} ({g.village.name})") for g in groups]
    else:
        del form.group_id
    if request.method == "GET":
        form.form_token.data = new_form_token()
        wanted = request.args.get("kelompok", "")
        chosen = groups[0] if not officer and groups else next(
            (g for g in groups if str(g.id) == wanted), None)
        if officer and chosen is not None:
            form.group_id.data = str(chosen.id)
        if chosen is not None:
            form.chair_name.data = chosen.chair_name
    if form.validate_on_submit():
        group = groups[0] if not officer and groups else next(
            (g for g in groups if str(g.id) == (form.group_id.data or "")), None)
        if group is None:
            if officer:
                form.group_id.errors = [_("Pilih kelompok.")]
            else:
                form.form_errors.append(_("Akun Anda belum terhubung ke kelompok."))
        else:
            try:
                outcome = services.create_proposal(group, form.values(), current_user,
                                                   form.form_token.data or None)
            except RuleError as error:
                db.session.rollback()
                apply_rule_error(form, error)
            else:
                db.session.commit()
                if outcome.created:
                    flash(_("Proposal tersimpan sebagai draf. Sekarang isi RAB (rencana "
                            "anggaran)."), "success")
                    _flash_all(outcome.warnings)
                    return redirect(url_for("proposals.budget",
                                            proposal_id=outcome.proposal.id))
                return _to_detail(outcome.proposal)
    return render_template("proposals/form.html", form=form, proposal=None,
                           has_groups=bool(groups), **_labels())


# --- one proposal -------------------------------------------------------------------


def _history(proposal: Proposal) -> list:
    return db.session.scalars(
        select(ProposalStep).where(ProposalStep.proposal_id == proposal.id)
        .options(selectinload(ProposalStep.actor)).order_by(ProposalStep.id)).all()


def _step_form(step: str, bound: bool = False) -> StepForm:
    """The form of one step; its fields get ids of their own (several step forms
    stand on one page)."""
    form = StepForm() if bound else StepForm(formdata=None)
    for item in (form.comment, form.amount, form.report):
        item.id = item.label.field_id = f"{step}-{item.name}"
    return form


def month_label(month) -> str:
    """``November 2026`` in the page's language."""
    return day_text(month.first_day, "MMMM y")


def _render_detail(proposal: Proposal, bound: dict | None = None):
    """The proposal page; ``bound`` holds a step form sent with an error."""
    evidence = proposal_evidence(proposal, current_user)
    steps = workflow.allowed_steps(proposal, current_user)
    forms = {step: _step_form(step) for step in steps}
    forms.update({k: v for k, v in (bound or {}).items() if k in forms})
    total = proposal.budget_total
    missing = services.missing_items(proposal)
    creator = (db.session.get(User, proposal.created_by_id)
               if proposal.created_by_id is not None else None)
    return render_template(
        "proposals/detail.html", proposal=proposal, evidence=evidence, steps=steps,
        forms=forms, total=total, documents=workflow.proposal_documents(proposal),
        warnings=services.proposal_warnings(proposal, total),
        missing=missing, history=_history(proposal), creator=creator,
        missing_names=", ".join(str(CHECKLIST_LABELS[i.key]) for i in missing),
        month_label=month_label, check_state=services.check_state,
        checklist=_ordered_checklist(proposal), **_labels())


def _ordered_checklist(proposal: Proposal) -> list:
    order = {key: n for n, key in enumerate(CHECKLIST_KEYS)}
    return sorted(proposal.checklist, key=lambda i: order.get(i.key, 99))


@bp.get("/<int:proposal_id>")
@roles_required(*USERS)
def detail(proposal_id: int):
    """Everything about a proposal: status and next step, evidence, RAB, checklist,
    history and the steps the user may take."""
    return _render_detail(get_proposal_or_404(proposal_id, current_user))


@bp.route("/<int:proposal_id>/ubah", methods=["GET", "POST"])
@roles_required(*USERS)
def edit(proposal_id: int):
    proposal = get_proposal_or_404(proposal_id, current_user, need="edit")
    if proposal.status not in services.EDITABLE_STATUSES:
        flash(_("Proposal hanya bisa diubah saat masih draf atau perlu perbaikan."), "error")
        return _to_detail(proposal)
    form = ProposalForm(obj=proposal)
    del form.group_id, form.form_token  # a proposal stays with its group
    if form.validate_on_submit():
        try:
            warnings = services.update_proposal(proposal, form.values(), current_user)
        except RuleError as error:
            db.session.rollback()
            apply_rule_error(form, error)
        else:
            db.session.commit()
            flash(_("Proposal diperbarui."), "success")
            _flash_all(warnings)
            return _to_detail(proposal)
    return render_template("proposals/form.html", form=form, proposal=proposal,
                           has_groups=True, **_labels())


# --- budget (RAB) -------------------------------------------------------------------


@bp.route("/<int:proposal_id>/rab", methods=["GET", "POST"])
@roles_required(*USERS)
def budget(proposal_id: int):
    """The RAB: its lines and total, and empty rows to add lines."""
    proposal = get_proposal_or_404(proposal_id, current_user, need="edit")
    editable = proposal.status in services.EDITABLE_STATUSES
    form = NewLinesForm()
    line_error = None
    if request.method == "POST":
        if not editable:
            flash(_("Proposal hanya bisa diubah saat masih draf atau perlu perbaikan."),
                  "error")
            return redirect(url_for("proposals.budget", proposal_id=proposal.id))
        if form.validate_on_submit():
            try:
                made = services.add_budget_lines(proposal, form.rows(), current_user)
            except RuleError as error:
                db.session.rollback()
                line_error = error.message
            else:
                db.session.commit()
                flash(_("%(n)d baris RAB ditambahkan. Total RAB %(total)s.", n=len(made),
                        total=format_rupiah(proposal.budget_total)), "success")
                _flash_all(services.proposal_warnings(proposal))
                return redirect(url_for("proposals.budget", proposal_id=proposal.id))
    total = proposal.budget_total
    return render_template("proposals/budget.html", proposal=proposal, form=form,
                           editable=editable, total=total, line_error=line_error,
                           delete_form=FlaskForm(formdata=None), **_labels())


@bp.route("/<int:proposal_id>/rab/<int:line_id>", methods=["GET", "POST"])
@roles_required(*USERS)
def budget_line(proposal_id: int, line_id: int):
    """Change one RAB line."""
    proposal = get_proposal_or_404(proposal_id, current_user, need="edit")
    line = get_budget_line_or_404(proposal, line_id)
    if proposal.status not in services.EDITABLE_STATUSES:
        flash(_("Proposal hanya bisa diubah saat masih draf atau perlu perbaikan."), "error")
        return redirect(url_for("proposals.budget", proposal_id=proposal.id))
    form = BudgetLineForm(obj=line)
    if form.validate_on_submit():
        try:
            services.update_budget_line(proposal, line, form.line_values(), current_user)
        except RuleError as error:
            db.session.rollback()
            apply_rule_error(form, error)
        else:
            db.session.commit()
            flash(_("Baris RAB diperbarui. Total RAB %(total)s.",
                    total=format_rupiah(proposal.budget_total)), "success")
            _flash_all(services.proposal_warnings(proposal))
            return redirect(url_for("proposals.budget", proposal_id=proposal.id))
    return render_template("proposals/budget_line.html", proposal=proposal, line=line,
                           form=form, **_labels())


@bp.post("/<int:proposal_id>/rab/<int:line_id>/hapus")
@roles_required(*USERS)
def delete_budget_line(proposal_id: int, line_id: int):
    proposal = get_proposal_or_404(proposal_id, current_user, need="edit")
    line = get_budget_line_or_404(proposal, line_id)
    if FlaskForm().validate_on_submit():
        try:
            services.delete_budget_line(proposal, line, current_user)
        except RuleError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Baris RAB dihapus. Total RAB %(total)s.",
                    total=format_rupiah(proposal.budget_total)), "success")
    return redirect(url_for("proposals.budget", proposal_id=proposal.id))


# --- checklist ------------------------------------------------------------------------


@bp.route("/<int:proposal_id>/kelengkapan", methods=["GET", "POST"])
@roles_required(*USERS)
def checklist(proposal_id: int):
    """Attachments and permits: ada, belum or tidak perlu."""
    proposal = get_proposal_or_404(proposal_id, current_user, need="edit")
    editable = proposal.status in services.CHECKLIST_STATUSES
    items = _ordered_checklist(proposal)
    form = ChecklistForm()
    if request.method == "GET":
        for item in items:
            form[f"state_{item.key}"].data = services.check_state(item)
            form[f"note_{item.key}"].data = item.note
    elif not editable:
        flash(_("Kelengkapan tidak bisa diubah lagi setelah proposal dikirim."), "error")
        return _to_detail(proposal)
    elif form.validate_on_submit():
        try:
            missing = services.update_checklist(proposal, form.states(), current_user)
        except RuleError as error:
            db.session.rollback()
            apply_rule_error(form, error)
        else:
            db.session.commit()
            if missing:
                flash(_("Kelengkapan disimpan. Masih belum ada: %(items)s.", items=", ".join(
                    str(CHECKLIST_LABELS[i.key]) for i in missing)), "warning")
            else:
                flash(_("Kelengkapan disimpan. Semua sudah lengkap."), "success")
            return _to_detail(proposal)
    return render_template("proposals/checklist.html", proposal=proposal, form=form,
                           items=items, editable=editable, **_labels())


# --- steps ----------------------------------------------------------------------------


def _done_message(step: str, outcome: workflow.StepOutcome) -> str:
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


@bp.post("/<int:proposal_id>/langkah/<slug>")
@roles_required(*USERS)
def step(proposal_id: int, slug: str):
    """Take a workflow step; refused steps change nothing and say why."""
    proposal = get_proposal_or_404(proposal_id, current_user, need="edit")
    if slug not in STEP_SLUGS:
        abort(404)
    step = STEP_SLUGS[slug]
    form = _step_form(step, bound=True)
    if not form.validate_on_submit():
        if step in workflow.allowed_steps(proposal, current_user):
            return _render_detail(proposal, {step: form})
        flash(_("Permintaan tidak bisa diproses. Muat ulang halaman dan coba lagi."), "error")
        return _to_detail(proposal)
    try:
        outcome = workflow.take_step(proposal, step, current_user, comment=form.comment.data,
                                     amount=form.amount.data, report=form.report.data)
    except RuleError as error:
        db.session.rollback()
        if error.field and step in workflow.allowed_steps(proposal, current_user):
            apply_rule_error(form, error)
            return _render_detail(proposal, {step: form})
        flash(error.message, "error")
        return _to_detail(proposal)
    db.session.commit()
    flash(_done_message(step, outcome), "success")
    _flash_all(outcome.warnings)
    return _to_detail(proposal)


# --- documents ------------------------------------------------------------------------


def _pdf(body: bytes, name: str):
    return send_file(BytesIO(body), mimetype="application/pdf", as_attachment=False,
                     download_name=name, max_age=0)


@bp.get("/<int:proposal_id>/proposal.pdf")
@roles_required(*USERS)
def proposal_pdf(proposal_id: int):
    """The proposal as PDF (marked as a draft until it is sent and numbered)."""
    proposal = get_proposal_or_404(proposal_id, current_user)
    number = workflow.proposal_documents(proposal).get("proposal")
    evidence = proposal_evidence(proposal, current_user)
    body = build_proposal_pdf(proposal_document(proposal, evidence, number))
    suffix = number.number.replace("/", "-") if number else "draf"
    return _pdf(body, f"proposal-{proposal.id}-{suffix}.pdf")


@bp.get("/<int:proposal_id>/rekomendasi.pdf")
@roles_required(*USERS)
def advocacy_pdf(proposal_id: int):
    """The village's recommendation letter, once the officer has endorsed."""
    proposal = get_proposal_or_404(proposal_id, current_user)
    number = workflow.proposal_documents(proposal).get("advocacy")
    if number is None:
        flash(_("Surat rekomendasi dibuat setelah petugas desa memberi rekomendasi."),
              "error")
        return _to_detail(proposal)
    evidence = proposal_evidence(proposal, current_user)
    body = build_advocacy_pdf(advocacy_letter(proposal, evidence, number))
    return _pdf(body, f"rekomendasi-{number.number.replace('/', '-')}.pdf")
