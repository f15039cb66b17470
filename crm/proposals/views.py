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
from sqlalchemy import case, func
from sqlalchemy.orm import selectinload

from crm.auth.models import Role
from crm.auth.permissions import roles_required
from crm.documents.advocacy_pdf import build_advocacy_pdf
from crm.documents.proposal_pdf import build_proposal_pdf
from crm.extensions import db
from crm.proposals import services, workflow
from crm.proposals.checks import proposal_warnings
from crm.proposals.documents import advocacy_letter, proposal_document
from crm.proposals.evidence import proposal_evidence
from crm.proposals.forms import BudgetLineForm, ChecklistForm, NewLinesForm, ProposalForm
from crm.proposals.labels import CHECKLIST_LABELS, STEP_SLUGS
from crm.proposals.models import PROPOSAL_STATUSES, Proposal
from crm.proposals.pages import (
    done_message,
    ordered_checklist,
    page_labels,
    render_detail,
    step_form,
)
from crm.proposals.queries import (
    get_budget_line_or_404,
    get_proposal_or_404,
    proposal_groups,
    proposals_visible_to,
)
from crm.text.money import format_rupiah
from crm.web.forms import new_form_token, saving
from crm.web.i18n import gettext as _
from crm.web.request_args import arg_id

bp = Blueprint("proposals", __name__, url_prefix="/proposal")

USERS = (Role.OFFICER, Role.PRODUCER)
# What needs the user first in the list: the officer reviews, the group writes.
NEEDS_ACTION = {Role.OFFICER: ("submitted",), Role.PRODUCER: ("draft", "revision")}


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
    # ?desa=<id>: one village's proposals (the Kecamatan view links here); a village
    # outside the user's scope has none to show.
    village_id = arg_id("desa")
    if village_id:
        visible = visible.where(Proposal.village_id == village_id)
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
                           needs_action=first, statuses=PROPOSAL_STATUSES,
                           village_id=village_id, **page_labels())


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
            with saving(form) as saved:
                outcome = services.create_proposal(group, form.values(), current_user,
                                                   form.form_token.data or None)
            if saved:
                if outcome.created:
                    flash(_("Proposal tersimpan sebagai draf. Sekarang isi RAB (rencana "
                            "anggaran)."), "success")
                    _flash_all(outcome.warnings)
                    return redirect(url_for("proposals.budget",
                                            proposal_id=outcome.proposal.id))
                return _to_detail(outcome.proposal)
    return render_template("proposals/form.html", form=form, proposal=None,
                           has_groups=bool(groups), **page_labels())


# --- one proposal -------------------------------------------------------------------


@bp.get("/<int:proposal_id>")
@roles_required(*USERS)
def detail(proposal_id: int):
    """Everything about a proposal: status and next step, evidence, RAB, checklist,
    history and the steps the user may take."""
    return render_detail(get_proposal_or_404(proposal_id, current_user))


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
        with saving(form) as saved:
            warnings = services.update_proposal(proposal, form.values(), current_user)
        if saved:
            flash(_("Proposal diperbarui."), "success")
            _flash_all(warnings)
            return _to_detail(proposal)
    return render_template("proposals/form.html", form=form, proposal=proposal,
                           has_groups=True, **page_labels())


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
            # A refusal is shown above the rows (``line_error``), not on the form.
            with saving(form) as saved:
                made = services.add_budget_lines(proposal, form.rows(), current_user)
            if saved:
                flash(_("%(n)d baris RAB ditambahkan. Total RAB %(total)s.", n=len(made),
                        total=format_rupiah(proposal.budget_total)), "success")
                _flash_all(proposal_warnings(proposal))
                return redirect(url_for("proposals.budget", proposal_id=proposal.id))
            line_error = saved.error.message
    total = proposal.budget_total
    return render_template("proposals/budget.html", proposal=proposal, form=form,
                           editable=editable, total=total, line_error=line_error,
                           delete_form=FlaskForm(formdata=None), **page_labels())


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
        with saving(form) as saved:
            services.update_budget_line(proposal, line, form.line_values(), current_user)
        if saved:
            flash(_("Baris RAB diperbarui. Total RAB %(total)s.",
                    total=format_rupiah(proposal.budget_total)), "success")
            _flash_all(proposal_warnings(proposal))
            return redirect(url_for("proposals.budget", proposal_id=proposal.id))
    return render_template("proposals/budget_line.html", proposal=proposal, line=line,
                           form=form, **page_labels())


@bp.post("/<int:proposal_id>/rab/<int:line_id>/hapus")
@roles_required(*USERS)
def delete_budget_line(proposal_id: int, line_id: int):
    proposal = get_proposal_or_404(proposal_id, current_user, need="edit")
    line = get_budget_line_or_404(proposal, line_id)
    if FlaskForm().validate_on_submit():
        with saving() as saved:
            services.delete_budget_line(proposal, line, current_user)
        if saved:
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
    items = ordered_checklist(proposal)
    form = ChecklistForm()
    if request.method == "GET":
        for item in items:
            form[f"state_{item.key}"].data = services.check_state(item)
            form[f"note_{item.key}"].data = item.note
    elif not editable:
        flash(_("Kelengkapan tidak bisa diubah lagi setelah proposal dikirim."), "error")
        return _to_detail(proposal)
    elif form.validate_on_submit():
        with saving(form) as saved:
            missing = services.update_checklist(proposal, form.states(), current_user)
        if saved:
            if missing:
                flash(_("Kelengkapan disimpan. Masih belum ada: %(items)s.", items=", ".join(
                    str(CHECKLIST_LABELS[i.key]) for i in missing)), "warning")
            else:
                flash(_("Kelengkapan disimpan. Semua sudah lengkap."), "success")
            return _to_detail(proposal)
    return render_template("proposals/checklist.html", proposal=proposal, form=form,
                           items=items, editable=editable, **page_labels())


# --- steps ----------------------------------------------------------------------------


@bp.post("/<int:proposal_id>/langkah/<slug>")
@roles_required(*USERS)
def step(proposal_id: int, slug: str):
    """Take a workflow step; refused steps change nothing and say why."""
    proposal = get_proposal_or_404(proposal_id, current_user, need="edit")
    if slug not in STEP_SLUGS:
        abort(404)
    step = STEP_SLUGS[slug]
    form = step_form(step, bound=True)
    if not form.validate_on_submit():
        if step in workflow.allowed_steps(proposal, current_user):
            return render_detail(proposal, {step: form})
        flash(_("Permintaan tidak bisa diproses. Muat ulang halaman dan coba lagi."), "error")
        return _to_detail(proposal)
    with saving(form) as saved:
        outcome = workflow.take_step(proposal, step, current_user, comment=form.comment.data,
                                     amount=form.amount.data, report=form.report.data)
    if not saved:
        # A refusal about a field shows on the step's form while the step is still
        # open to the user; any other says why on the proposal page.
        if saved.error.field and step in workflow.allowed_steps(proposal, current_user):
            return render_detail(proposal, {step: form})
        flash(saved.error.message, "error")
        return _to_detail(proposal)
    flash(done_message(step, outcome), "success")
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
