"""Returns, reseller payments, balances and statements."""

import re
from datetime import date
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
from flask_login import current_user, login_required
from sqlalchemy import case
from sqlalchemy.orm import selectinload

from crm.auth.models import Role
from crm.auth.permissions import roles_required
from crm.catalog.models import ProducerGroup
from crm.documents.statement_pdf import StatementDocument, StatementLine, build_statement_pdf
from crm.extensions import db
from crm.orders.messages import payment_message
from crm.orders.queries import (
    get_order_or_404,
    order_returns,
    payments_visible_to,
    reseller_phones,
)
from crm.settlements import services
from crm.settlements.balances import (
    balance_row,
    balances_for,
    balances_query,
    get_pair_or_404,
    month_of,
    owed_by_pair,
    owed_in_scope,
    statement,
    statement_csv,
)
from crm.settlements.forms import (
    ENTRY_KIND_LABELS,
    LOSS_BEARER_LABELS,
    PAYMENT_STATUS_LABELS,
    RETURN_REASON_LABELS,
    DecisionForm,
    PaymentForm,
    ReturnForm,
)
from crm.settlements.models import ResellerPayment
from crm.text.dates import DEFAULT_TZ, today_in
from crm.text.money import format_rupiah
from crm.text.phones import whatsapp_link
from crm.web.forms import new_form_token, saving
from crm.web.i18n import gettext as _
from crm.web.request_args import arg_id
from crm.web.security import accepts_uploads
from crm.web.spreadsheets import csv_response
from crm.web.uploads import stored_path

bp = Blueprint("settlements", __name__)
DEALERS = (Role.RESELLER, Role.PRODUCER, Role.OFFICER)
DECIDERS = (Role.PRODUCER, Role.OFFICER)
# URL words of the payment decisions.
PAYMENT_STEPS = {"konfirmasi": "confirm", "tolak": "reject"}
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _labels() -> dict:
    return {
        "reason_labels": RETURN_REASON_LABELS, "bearer_labels": LOSS_BEARER_LABELS,
        "payment_status_labels": PAYMENT_STATUS_LABELS, "kind_labels": ENTRY_KIND_LABELS,
    }


# --- returns ----------------------------------------------------------------------


def _order_url(order) -> str:
    return url_for("orders.detail", order_id=order.id)


@bp.route("/pesanan/<int:order_id>/retur", methods=["GET", "POST"])
@login_required
def record_return(order_id: int):
    """Producers and officers record goods sent back after shipping."""
    order = get_order_or_404(order_id, current_user, need="producer")
    form = ReturnForm()
    lines = list(order.lines)
    returned = services.returned_quantities(line.id for line in lines)
    form.line_id.choices = [
        (line.id, _("%(name)s × %(n)d (sudah retur %(r)d)", name=line.product.name,
                    n=line.quantity, r=returned.get(line.id, 0)))
        for line in lines
    ]
    if request.method == "GET":
        form.form_token.data = new_form_token()
    elif form.validate_on_submit():
        line = next((item for item in lines if item.id == form.line_id.data), None)
        with saving(form) as saved:
            services.record_return(
                order, line, form.quantity.data, form.reason.data, form.borne_by.data,
                form.resaleable.data, current_user, note=form.note.data or "",
                form_token=form.form_token.data or None,
            )
            target = _order_url(order)  # read before the commit expires the order
        if saved:
            flash(_("Retur sudah dicatat."), "success")
            return redirect(target)
    history = order_returns(order)
    page = render_template(
        "settlements/return_form.html", form=form, order=order, history=history,
        order_url=_order_url(order), can_return=order.status in ("shipped", "finished"),
        **_labels(),
    )
    return page, (400 if request.method == "POST" else 200)


# --- payments ---------------------------------------------------------------------


def _payment_form() -> PaymentForm:
    form = PaymentForm()
    groups = db.session.scalars(services.payable_groups(current_user)).all()
    form.group_id.choices = [(g.id, g.name) for g in groups]
    return form


def _render_payments(form, status: int = 200):
    query = (
        payments_visible_to(current_user)
        .options(selectinload(ResellerPayment.reseller), selectinload(ResellerPayment.group))
        .order_by(case((ResellerPayment.status == "submitted", 0), else_=1),
                  ResellerPayment.paid_on.desc(), ResellerPayment.id.desc())
    )
    page = db.paginate(query, per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template(
        "settlements/payments.html", page=page, form=form, decision_form=DecisionForm(),
        can_decide=current_user.role in DECIDERS, wa_links=_payment_wa_links(page.items),
        **_labels(),
    ), status


def _payment_wa_links(payments) -> dict[int, str]:
    """``{payment id: wa.me link}``: a reseller writes to the group about a transfer,
    the group's producer to the reseller about the decision (officers get none)."""
    if current_user.role == Role.RESELLER:
        phones = {p.id: p.group.phone for p in payments}
        owed = {}
    elif current_user.role == Role.PRODUCER:
        by_reseller = reseller_phones(p.reseller_id for p in payments)
        phones = {p.id: by_reseller.get(p.reseller_id) for p in payments}
        owed = owed_by_pair((p.reseller_id, p.group_id) for p in payments)
    else:
        return {}
    page_url = url_for("settlements.payments", _external=True)
    links = {}
    for payment in payments:
        if not phones[payment.id]:
            continue
        text = payment_message(
            payment, current_user.role, f"{page_url}#setoran-{payment.id}",
            still_owed=owed.get((payment.reseller_id, payment.group_id), 0))
        if text:
            links[payment.id] = whatsapp_link(phones[payment.id], text)
    return links


@bp.get("/setoran")
@roles_required(*DEALERS)
def payments():
    """Payments in the user's scope; resellers also get the form for a new one,
    producers and officers see those waiting for them first."""
    form = None
    if current_user.role == Role.RESELLER:
        form = _payment_form()
        form.form_token.data = new_form_token()
        form.paid_on.data = today_in(current_user.village_timezone)
        chosen = arg_id("kelompok")
        if chosen is None:
            # The group this reseller owes most is the likely one to pay.
            owing = [row for row in balances_for(current_user) if row.owed - row.waiting > 0]
            if owing:
                chosen = max(owing, key=lambda row: row.owed - row.waiting).group_id
        if chosen in {value for value, _label in form.group_id.choices}:
            form.group_id.data = chosen
    return _render_payments(form)


@bp.post("/setoran")
@accepts_uploads
@roles_required(Role.RESELLER)
def create_payment():
    """A reseller writes down a transfer to a group."""
    form = _payment_form()
    if form.validate_on_submit():
        upload = form.proof.data
        proof = upload.read() if upload and getattr(upload, "filename", "") else None
        group = db.session.get(ProducerGroup, form.group_id.data)
        with saving(form) as saved:
            payment = services.submit_payment(
                current_user, group, form.amount.data, form.paid_on.data,
                form.reference.data or "", proof, current_user,
                form_token=form.form_token.data or None,
            )
            amount = payment.amount  # read before the commit expires the payment
        if saved:
            flash(_("Setoran %(amount)s sudah dicatat. Menunggu konfirmasi kelompok.",
                    amount=format_rupiah(amount)), "success")
            return redirect(url_for("settlements.payments"))
    return _render_payments(form, 400)


def _get_payment_or_404(payment_id: int, need: str = "view") -> ResellerPayment:
    payment = db.session.scalar(
        payments_visible_to(current_user).where(ResellerPayment.id == payment_id))
    if payment is None or (need == "decide" and current_user.role not in DECIDERS):
        abort(404)
    return payment


@bp.post("/setoran/<int:payment_id>/<step>")
@login_required
def decide_payment(payment_id: int, step: str):
    """The group's producer or an officer confirms or rejects a payment."""
    if step not in PAYMENT_STEPS:
        abort(404)
    payment = _get_payment_or_404(payment_id, need="decide")
    form = DecisionForm()
    if form.validate_on_submit():
        with saving() as saved:
            services.decide_payment(payment, PAYMENT_STEPS[step], current_user,
                                    note=form.note.data or "")
        if saved:
            flash(_("Setoran dikonfirmasi.") if step == "konfirmasi"
                  else _("Setoran ditolak."), "success")
    else:
        flash(_("Permintaan tidak bisa diproses. Coba lagi."), "error")
    return redirect(url_for("settlements.payments"))


@bp.get("/setoran/<int:payment_id>/bukti")
@login_required
def payment_proof(payment_id: int):
    """The transfer proof photo, only for those who may see the payment."""
    payment = _get_payment_or_404(payment_id)
    path = stored_path(services.PROOF_KIND, payment.proof_filename or "")
    if path is None:
        abort(404)
    return send_file(path, mimetype="image/jpeg", max_age=0)


# --- balances and statements ------------------------------------------------------


@bp.get("/saldo")
@roles_required(*DEALERS)
def balances():
    """What each reseller owes each group, in the user's scope."""
    page = db.paginate_rows(balances_query(current_user),
                            per_page=current_app.config["PAGE_SIZE"])
    return render_template("settlements/balances.html", page=page,
                           rows=[balance_row(row) for row in page.items],
                           total=owed_in_scope(current_user))


def _parse_day(value: str | None) -> date | None:
    if not value or not _ISO_DAY.match(value):
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return day if 2000 <= day.year <= 2100 else None


def _period(tz: str) -> tuple[date, date, list[str]]:
    """The period asked for in ``dari``/``sampai`` (YYYY-MM-DD); this month where
    missing; unreadable dates are ignored with a notice."""
    start, end = month_of(today_in(tz))
    notices = []
    for name, label in (("dari", _("Tanggal awal")), ("sampai", _("Tanggal akhir"))):
        raw = request.args.get(name)
        if not raw:
            continue
        day = _parse_day(raw)
        if day is None:
            notices.append(_("%(label)s tidak dikenali dan diabaikan.", label=label))
        elif name == "dari":
            start = day
        else:
            end = day
    if start > end:
        notices.append(_("Tanggal awal sesudah tanggal akhir; periode bulan ini dipakai."))
        start, end = month_of(today_in(tz))
    return start, end, notices


def _pair_statement(group_id: int, reseller_id: int):
    group, reseller = get_pair_or_404(group_id, reseller_id, current_user)
    tz = (group.village.timezone if group.village else None) or DEFAULT_TZ
    start, end, notices = _period(tz)
    item = statement(reseller.id, group.id, start, end, tz=tz)
    return group, reseller, item, notices


@bp.get("/saldo/<int:group_id>/<int:reseller_id>", endpoint="statement")
@roles_required(*DEALERS)
def statement_page(group_id: int, reseller_id: int):
    """A pair's statement for a period, with CSV and PDF downloads."""
    group, reseller, item, notices = _pair_statement(group_id, reseller_id)
    period = {"dari": item.start.isoformat(), "sampai": item.end.isoformat()}
    return render_template(
        "settlements/statement.html", group=group, reseller=reseller, statement=item,
        notices=notices, period=period, **_labels(),
    )


@bp.get("/saldo/<int:group_id>/<int:reseller_id>/laporan.csv", endpoint="statement_csv")
@roles_required(*DEALERS)
def statement_csv_file(group_id: int, reseller_id: int):
    group, reseller, item, _notices = _pair_statement(group_id, reseller_id)
    body = statement_csv(item, group.name, reseller.full_name)
    filename = f"rekening-{group.id}-{reseller.id}-{item.start}-{item.end}.csv"
    return csv_response(body, filename)


@bp.get("/saldo/<int:group_id>/<int:reseller_id>/laporan.pdf", endpoint="statement_pdf")
@roles_required(*DEALERS)
def statement_pdf_file(group_id: int, reseller_id: int):
    group, reseller, item, _notices = _pair_statement(group_id, reseller_id)
    tz = (group.village.timezone if group.village else None) or DEFAULT_TZ
    document = StatementDocument(
        group_name=group.name,
        village_name=group.village.display_name if group.village else "",
        reseller_name=reseller.full_name, start=item.start, end=item.end,
        opening=item.opening, closing=item.closing,
        lines=[StatementLine(e.day, e.description, e.amount, e.balance)
               for e in item.entries],
        printed_on=today_in(tz),
    )
    filename = f"rekening-{group.id}-{reseller.id}-{item.start}-{item.end}.pdf"
    return send_file(BytesIO(build_statement_pdf(document)), mimetype="application/pdf",
                     download_name=filename, as_attachment=False, max_age=0)
