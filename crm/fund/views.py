"""The community fund: each group's ledger, its rule, requests for money out of it
and the officer's decisions."""

import re
from datetime import date

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from crm.audit.models import AuditEntry
from crm.auth.models import Role, User
from crm.auth.permissions import roles_required
from crm.catalog.models import ProducerGroup
from crm.extensions import db
from crm.fund import services
from crm.fund.accrual import accrue_all_fixed, rule_for
from crm.fund.forms import DecisionForm, RequestForm, RuleForm
from crm.fund.labels import (
    HISTORY_LABELS,
    PURPOSE_LABELS,
    STATUS_LABELS,
    entry_description,
    month_name,
    rule_in_words,
)
from crm.fund.models import FundEntry, FundRule
from crm.fund.queries import (
    PENDING,
    figures_for,
    fund_balance,
    fund_groups_visible_to,
    get_disbursement_or_404,
    get_fund_group_or_404,
    ledger_months,
    ledger_query,
    month_figures,
    pending_disbursements_for,
    running_balances,
    total_figures,
    year_totals,
)
from crm.text.dates import village_today
from crm.text.money import format_rupiah
from crm.web.forms import new_form_token, saving
from crm.web.i18n import gettext as _

bp = Blueprint("fund", __name__, url_prefix="/dana-sosial")

MEMBERS = (Role.OFFICER, Role.PRODUCER)
LEDGER_PAGE_SIZE = 50
PENDING_ON_INDEX = 20
RECENT_REJECTED = 5
# URL words of the decisions.
DECISION_STEPS = {"setujui": "approve", "tolak": "reject"}
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _labels() -> dict:
    return {"purpose_labels": PURPOSE_LABELS, "status_labels": STATUS_LABELS,
            "describe": entry_description, "rule_in_words": rule_in_words}


def _catch_up(group_ids) -> None:
    """Fixed monthly contributions are added when a fund page opens, so nobody has
    to remember them (the daily command does the same). The page saves them itself,
    before it reads the fund: nothing here is refused, so there is no form for
    :func:`~crm.web.forms.saving` to show a refusal on."""
    if accrue_all_fixed(group_ids=group_ids, actor=None):
        db.session.commit()


@bp.get("/")
@roles_required(*MEMBERS)
def index():
    """Officers: the funds of their villages' groups. Producers: their group's."""
    if current_user.role == Role.PRODUCER:
        return redirect(url_for("fund.ledger", group_id=current_user.group_id))
    visible_ids = fund_groups_visible_to(current_user).with_only_columns(
        ProducerGroup.id).order_by(None)
    _catch_up(visible_ids)
    page = db.paginate(
        fund_groups_visible_to(current_user).options(selectinload(ProducerGroup.village)),
        per_page=current_app.config["PAGE_SIZE"], error_out=False)
    ids = [g.id for g in page.items]
    figures = figures_for(ids) if ids else {}
    rules = {r.group_id: r for r in db.session.scalars(
        select(FundRule).where(FundRule.group_id.in_(ids)))} if ids else {}
    pending = db.session.scalars(
        pending_disbursements_for(current_user).options(selectinload(FundEntry.group))
        .limit(PENDING_ON_INDEX)).all()
    return render_template("fund/index.html", page=page, figures=figures, rules=rules,
                           totals=total_figures(visible_ids), pending=pending, **_labels())


def _month_filter() -> tuple[date | None, str | None]:
    """The month asked for in ``bulan`` (YYYY-MM), or None; a notice when unreadable."""
    raw = request.args.get("bulan") or ""
    if not raw:
        return None, None
    match = _MONTH.match(raw)
    if match and 2000 <= int(match.group(1)) <= 2100 and 1 <= int(match.group(2)) <= 12:
        return date(int(match.group(1)), int(match.group(2)), 1), None
    return None, _("Bulan tidak dikenali; semua bulan ditampilkan.")


@bp.get("/kelompok/<int:group_id>")
@roles_required(*MEMBERS)
def ledger(group_id: int):
    """A group's fund: balance, the rule, waiting requests and the ledger by date."""
    group = get_fund_group_or_404(group_id, current_user)
    _catch_up([group.id])
    month, notice = _month_filter()
    page = db.paginate(ledger_query(group.id, month), per_page=LEDGER_PAGE_SIZE,
                       error_out=False)
    balances = running_balances(group.id, page.items)
    pending = db.session.scalars(
        select(FundEntry).where(FundEntry.group_id == group.id, PENDING)
        .order_by(FundEntry.created_at, FundEntry.id)).all()
    rejected = db.session.scalars(
        select(FundEntry).where(FundEntry.group_id == group.id,
                                FundEntry.kind == "disbursement",
                                FundEntry.status == "rejected")
        .order_by(FundEntry.decided_at.desc(), FundEntry.id.desc())
        .limit(RECENT_REJECTED)).all()
    year = village_today(group.village).year
    contributed, by_purpose = year_totals(group.id, year)
    months = [(f"{y:04d}-{m:02d}", month_name(y, m)) for y, m in ledger_months(group.id)]
    return render_template(
        "fund/ledger.html", group=group, rule=rule_for(group.id),
        balance=fund_balance(group.id), page=page, balances=balances, pending=pending,
        pending_total=sum(e.amount for e in pending), rejected=rejected, year=year,
        contributed=contributed, by_purpose=by_purpose, months=months,
        month=month, month_param=month.strftime("%Y-%m") if month else None,
        month_label=month_name(month.year, month.month) if month else None,
        month_figures=month_figures(group.id, month) if month else None,
        notice=notice, **_labels())


@bp.route("/kelompok/<int:group_id>/aturan", methods=["GET", "POST"])
@roles_required(*MEMBERS)
def rule(group_id: int):
    """The group's producers or the officer set how the fund is filled."""
    group = get_fund_group_or_404(group_id, current_user, need="edit")
    current = rule_for(group.id)
    form = RuleForm()
    if request.method == "GET":
        if current is not None:
            form.mode.data = current.mode
            form.rate.data = current.rate_bp if current.mode == "percent" else None
            form.fixed_amount.data = current.fixed_amount if current.mode == "fixed" else None
            form.starts_on.data = current.starts_on
        else:
            form.starts_on.data = village_today(group.village)
    if form.validate_on_submit():
        try:
            with saving(form) as saved:
                fund_rule = services.set_fund_rule(group, form.values(), current_user)
                words = rule_in_words(fund_rule)
        except IntegrityError:  # set by someone else at the same moment
            form.form_errors.append(_("Aturan ini baru saja diisi orang lain. Muat ulang "
                                      "halaman dan coba lagi."))
        if saved:
            flash(_("Aturan dana sosial disimpan: %(rule)s.", rule=words), "success")
            return redirect(url_for("fund.ledger", group_id=group.id))
    return render_template("fund/rule_form.html", form=form, group=group, rule=current,
                           **_labels())


@bp.route("/kelompok/<int:group_id>/penyaluran/baru", methods=["GET", "POST"])
@roles_required(*MEMBERS)
def request_disbursement(group_id: int):
    """The group's producer (or the officer) asks for money out of the fund."""
    group = get_fund_group_or_404(group_id, current_user, need="edit")
    form = RequestForm()
    if request.method == "GET":
        form.form_token.data = new_form_token()
        form.occurred_on.data = village_today(group.village)
    if form.validate_on_submit():
        with saving(form) as saved:
            outcome = services.request_disbursement(
                group, form.values(), current_user, form_token=form.form_token.data or None)
            amount = outcome.entry.amount
        if saved:
            if outcome.created:
                flash(_("Permintaan penyaluran %(amount)s tercatat. Menunggu persetujuan "
                        "petugas desa.", amount=format_rupiah(amount)), "success")
                balance = fund_balance(group.id)
                if balance < amount:
                    flash(_("Perhatian: saldo sekarang %(balance)s, kurang dari jumlah yang "
                            "diminta.", balance=format_rupiah(balance)), "warning")
            return redirect(url_for("fund.ledger", group_id=group.id))
    return render_template("fund/request_form.html", form=form, group=group,
                           balance=fund_balance(group.id), **_labels())


def _history(entry: FundEntry) -> list[tuple]:
    return db.session.execute(
        select(AuditEntry, User.full_name).outerjoin(User, User.id == AuditEntry.actor_id)
        .where(AuditEntry.entity == "fund_entry", AuditEntry.entity_id == entry.id)
        .order_by(AuditEntry.id)).all()


@bp.get("/penyaluran/<int:entry_id>")
@roles_required(*MEMBERS)
def disbursement(entry_id: int):
    """A request for money out of the fund, with the officer's decision."""
    entry = get_disbursement_or_404(entry_id, current_user)
    return render_template(
        "fund/disbursement.html", entry=entry, group=entry.group,
        balance=fund_balance(entry.group_id), form=DecisionForm(),
        can_decide=current_user.role == Role.OFFICER and entry.status == "requested",
        history=_history(entry), history_labels=HISTORY_LABELS, **_labels())


@bp.post("/penyaluran/<int:entry_id>/<step>")
@roles_required(*MEMBERS)
def decide(entry_id: int, step: str):
    """The officer approves or rejects a request (the group's producers may not)."""
    if step not in DECISION_STEPS:
        abort(404)
    entry = get_disbursement_or_404(entry_id, current_user)
    if current_user.role != Role.OFFICER:
        abort(403)
    form = DecisionForm()
    if form.validate_on_submit():
        with saving(form) as saved:
            services.decide_disbursement(entry, DECISION_STEPS[step], current_user,
                                         note=form.note.data or "")
        if saved:
            flash(_("Penyaluran disetujui dan dicatat keluar dari saldo.")
                  if step == "setujui" else _("Permintaan penyaluran ditolak."), "success")
            return redirect(url_for("fund.disbursement", entry_id=entry_id))
    entry = db.session.get(FundEntry, entry_id)
    return render_template(
        "fund/disbursement.html", entry=entry, group=entry.group,
        balance=fund_balance(entry.group_id), form=form,
        can_decide=entry.status == "requested", history=_history(entry),
        history_labels=HISTORY_LABELS, **_labels()), 400
