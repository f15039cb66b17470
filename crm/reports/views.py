"""Who sold what: sales by reseller, product, channel and month."""

from io import BytesIO
from itertools import chain

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from sqlalchemy import Row

from crm.auth.models import Role
from crm.auth.permissions import roles_required
from crm.catalog.queries import group_names
from crm.documents.village_report_pdf import build_village_report_pdf
from crm.extensions import db
from crm.orders.forms import CHANNEL_LABELS, STATUS_LABELS
from crm.orders.models import ORDER_CHANNELS, ORDER_STATUSES
from crm.reports import queries, report_charts, services, turnover
from crm.reports.area import AreaReport, area_report
from crm.reports.area_export import area_file_name, area_labels, area_rows, village_urls
from crm.reports.forms import OTHER_SALE_CHANNEL_LABELS, OtherSalesForm
from crm.reports.queries import Figures, Period
from crm.reports.village_pdf import village_report_document
from crm.reports.village_report import report_groups, village_report
from crm.text.dates import village_today
from crm.text.money import format_rupiah
from crm.web.forms import new_form_token, saving
from crm.web.i18n import gettext as _
from crm.web.request_args import arg_id
from crm.web.spreadsheets import SafeCells, csv_response, csv_text, xlsx_response
from crm.web.templating import day_text, format_count

bp = Blueprint("reports", __name__)

# Long lists stop here on the page (a phone screen); the CSV export has every row.
LIST_LIMIT = 20
# Groups per page of the village report: each shows six months with bars.
GROUPS_PER_PAGE = 10
# Months offered in the period filter.
MONTH_CHOICES = 24
DEFAULT_MONTHS = 6


def month_label(month: queries.Month) -> str:
    """"November 2026" in the page's language."""
    return day_text(month.first_day, "MMMM y")


def bar_class(value: int, top: int) -> str:
    """CSS class of a bar ``value/top`` wide, in steps of 5 % (``w-0`` … ``w-100``);
    anything sold shows at least a sliver."""
    if top <= 0 or value <= 0:
        return "w-0"
    return f"w-{max(5, min(100, 5 * round(20 * value / top)))}"


def _period() -> tuple[Period, queries.Month | None]:
    """``?bulan=YYYY-MM``: that month; otherwise the last six months."""
    chosen = queries.parse_month(request.args.get("bulan"))
    if chosen is not None:
        return queries.months_ending(chosen, 1), chosen
    return queries.months_ending(queries.current_month(), DEFAULT_MONTHS), None


def _period_title(period: Period) -> str:
    if period.single:
        return month_label(period.months[0])
    return _("%(first)s – %(last)s", first=month_label(period.months[0]),
             last=month_label(period.months[-1]))


def _helpers() -> dict:
    return {"month_label": month_label, "bar_class": bar_class,
            "number": format_count,
            "channel_labels": CHANNEL_LABELS, "status_labels": STATUS_LABELS,
            "month_choices": queries.recent_months(MONTH_CHOICES)}


def _chosen_group(groups: list[Row]) -> Row | None:
    """The group (id and name) of ``?kelompok=<id>``; one outside the user's groups
    answers 404."""
    if "kelompok" not in request.args or request.args.get("kelompok") == "":
        return None
    wanted = arg_id("kelompok")
    group = next((g for g in groups if g.id == wanted), None)
    if group is None:
        abort(404)
    return group


def _scope():
    """Period, the user's groups and the chosen group of a sales page or export."""
    period, chosen_month = _period()
    # The filter lists the groups by id and name: rows, not whole groups.
    groups = group_names(current_user)
    group = _chosen_group(groups)
    return period, chosen_month, groups, group


@bp.get("/laporan")
@roles_required(Role.PRODUCER, Role.OFFICER)
def sales():
    """Who sold what: totals and sales per reseller, product, channel and month."""
    period, chosen_month, groups, group = _scope()
    group_id = group.id if group else None
    breakdown = queries.sales_breakdown(current_user, period, group_id)
    totals, by_month = breakdown.totals, breakdown.by_month
    by_reseller = queries.sales_by_reseller(current_user, period, group_id, LIST_LIMIT + 1)
    by_product = queries.sales_by_product(current_user, period, group_id, LIST_LIMIT + 1)
    by_channel = sorted(((c, breakdown.by_channel.get(c, queries.ZERO)) for c in ORDER_CHANNELS),
                        key=lambda item: -item[1].omzet)
    return render_template(
        "reports/sales.html", period=period, period_title=_period_title(period),
        chosen_month=chosen_month, groups=groups, group=group, totals=totals,
        by_reseller=by_reseller[:LIST_LIMIT], more_resellers=len(by_reseller) > LIST_LIMIT,
        by_product=by_product[:LIST_LIMIT], more_products=len(by_product) > LIST_LIMIT,
        by_channel=by_channel, by_month=by_month,
        charts=report_charts.sales_charts(by_reseller[:LIST_LIMIT], by_product[:LIST_LIMIT],
                                          by_channel, CHANNEL_LABELS),
        top_channel=max((f.omzet for _c, f in by_channel), default=0),
        top_month=max((f.omzet for _m, f in by_month), default=0),
        csv_args={"bulan": chosen_month.key if chosen_month else None,
                  "kelompok": group_id},
        **_helpers(),
    )


def sales_csv_body(rows: list[queries.DetailRow], totals: Figures) -> str:
    """The export: one row per month × reseller × product, then the totals; UTF-8 with
    a byte-order mark so that spreadsheet programs read it right. Names go through
    :func:`~crm.web.spreadsheets.formula_safe`; months and figures are written as they are."""
    cell = SafeCells()
    header = [_("Bulan"), _("Kelompok"), _("Reseller"), _("Produk"), _("Satuan"),
              _("Jumlah"), _("Pesanan"), _("Omzet"), _("Pendapatan produsen"),
              _("Margin reseller")]
    body = ((row.month, cell[row.group], cell[row.reseller], cell[row.product],
             cell[row.unit], row.quantity, row.orders, row.omzet, row.producer, row.margin)
            for row in rows)
    total = [_("Total"), "", "", "", "", totals.quantity, totals.orders, totals.omzet,
             totals.producer, totals.margin]
    return csv_text(chain([header], body, [total]))


@bp.get("/laporan.csv")
@roles_required(Role.PRODUCER, Role.OFFICER)
def sales_csv():
    """Sales per month, reseller and product as CSV, scoped like the page."""
    period, _chosen, _groups, group = _scope()
    group_id = group.id if group else None
    rows = queries.sales_detail(current_user, period, group_id)
    totals = queries.sales_totals(current_user, period, group_id)
    name = f"penjualan-{period.months[0].key}"
    if not period.single:
        name += f"_{period.months[-1].key}"
    return csv_response(sales_csv_body(rows, totals), f"{name}.csv")


@bp.get("/penghasilan")
@roles_required(Role.RESELLER)
def earnings():
    """The reseller's own sales and earnings per month and product, and orders per
    status."""
    period, chosen_month = _period()
    breakdown = queries.sales_breakdown(current_user, period)
    totals, by_month = breakdown.totals, breakdown.by_month
    by_product = queries.sales_by_product(current_user, period, limit=LIST_LIMIT + 1)
    statuses = queries.order_status_counts(current_user, period)
    return render_template(
        "reports/earnings.html", period=period, period_title=_period_title(period),
        chosen_month=chosen_month, totals=totals, by_month=by_month,
        by_product=by_product[:LIST_LIMIT], more_products=len(by_product) > LIST_LIMIT,
        statuses=statuses, status_order=ORDER_STATUSES,
        top_month=max((f.margin for _m, f in by_month), default=0),
        chart=report_charts.months_columns(_("Penghasilan per bulan"), _("Penghasilan"),
                                           by_month, lambda f: f.margin),
        **_helpers(),
    )


def _village_scope():
    """The last month (``?sampai=YYYY-MM``, or this month), the six months up to it, the
    village asked for (``?desa=<id>``: the Kecamatan view links here; a village outside
    the officer's scope has no groups to show), the page of groups and their report:
    the page and its PDF read the same."""
    last = queries.parse_month(request.args.get("sampai")) or queries.current_month()
    period = queries.months_ending(last, DEFAULT_MONTHS)
    village_id = arg_id("desa")
    page = db.paginate_rows(report_groups(current_user, village_id), per_page=GROUPS_PER_PAGE)
    return last, period, village_id, page, village_report(current_user, period, page.items)


@bp.get("/laporan/desa")
@roles_required(Role.OFFICER)
def villages():
    """Turnover of each group of the officer's villages per month: the MRSE channels,
    the other sales the group recorded, and their sum (the whole turnover) against
    the turnover it had before MRSE (:mod:`crm.reports.village_report`)."""
    last, period, village_id, page, report = _village_scope()
    return render_template(
        "reports/villages.html", period=period, period_title=_period_title(period),
        page=page, reports=report.groups, totals=report.totals, last=last,
        charts=report_charts.group_charts(report.groups), village_id=village_id,
        sampai=request.args.get("sampai") if queries.parse_month(
            request.args.get("sampai")) else None,
        **_helpers(),
    )


@bp.get("/laporan/desa.pdf")
@roles_required(Role.OFFICER)
def villages_pdf():
    """The village report as PDF: the same page of groups, charts and numbers."""
    _last, period, _village_id, page, report = _village_scope()
    note = ""
    if page.pages > 1:
        note = (f"Halaman {page.page} dari {page.pages}: kelompok {page.first}–{page.last} "
                f"dari {page.total}.")
    body = build_village_report_pdf(village_report_document(current_user, report, period,
                                                            note))
    name = f"laporan-omzet-{period.months[-1].key}"
    if page.page > 1:
        name += f"-{page.page}"
    return send_file(BytesIO(body), mimetype="application/pdf", as_attachment=False,
                     download_name=f"{name}.pdf", max_age=0)


def other_sales_form(group) -> OtherSalesForm:
    """A fresh form for the group's other sales (today, a new one-time token): the
    producer's home page and the page of other sales show it."""
    return OtherSalesForm(formdata=None, form_token=new_form_token(),
                          sold_on=village_today(group.village))


@bp.route("/penjualan-lain", methods=["GET", "POST"])
@roles_required(Role.PRODUCER)
def other_sales():
    """The producer records the group's sales outside the MRSE channels (a day's or a
    month's total) and sees what was recorded."""
    group = current_user.group
    form = OtherSalesForm() if request.method == "POST" else other_sales_form(group)
    if form.validate_on_submit():
        with saving(form) as saved:
            outcome = services.record_other_sales(
                group, form.values(), current_user, form_token=form.form_token.data or None)
            entry = outcome.entry
            message = _("Penjualan lain %(amount)s tercatat untuk %(when)s.",
                        amount=format_rupiah(entry.amount), when=other_sale_when(entry))
        if saved:
            if outcome.created:
                flash(message, "success")
            return redirect(url_for("reports.other_sales"))
    return render_template(
        "reports/other_sales.html", form=form, group=group,
        entries=turnover.recent_other_sales(group.id),
        channel_labels=OTHER_SALE_CHANNEL_LABELS, when=other_sale_when)


def other_sale_when(entry) -> str:
    """"Senin, 23 November 2026", or "seluruh bulan November 2026" for a month's
    total."""
    if entry.whole_month:
        return _("seluruh bulan %(month)s", month=day_text(entry.sold_on, "MMMM y"))
    return day_text(entry.sold_on, "EEEE, d MMMM y")


# --- the Kecamatan and Kabupaten view (crm/reports/area.py) ----------------------------

# Lengths of period offered on the view (months).
AREA_MONTHS = (1, 3, 6, 12)


def _area() -> tuple[AreaReport, dict]:
    """The view of ``?bulan=`` months (one of :data:`AREA_MONTHS`, default six) up to
    ``?sampai=YYYY-MM`` (default: this month) and ``?kecamatan=<code>`` (default:
    every Kecamatan), and those arguments as they go into links (unreadable ones
    left out)."""
    chosen = queries.parse_month(request.args.get("sampai"))
    months = next((n for n in AREA_MONTHS if request.args.get("bulan") == str(n)), None)
    period = queries.months_ending(chosen or queries.current_month(),
                                   months or DEFAULT_MONTHS)
    kecamatan = request.args.get("kecamatan") or None
    report = area_report(current_user, period, kecamatan)
    return report, {"sampai": chosen.key if chosen else None, "bulan": months,
                    "kecamatan": kecamatan}


@bp.get("/laporan/wilayah")
@roles_required(Role.OFFICER)
def area():
    """Every village of the officer's scope side by side, by Kecamatan."""
    report, args = _area()
    return render_template("reports/area.html", report=report, args=args,
                           comparison=report_charts.area_chart(report),
                           period_title=_period_title(report.period),
                           chosen_month=queries.parse_month(args["sampai"]),
                           area_months=AREA_MONTHS,
                           month_names=[month_label(m) for m in report.period.months],
                           urls=village_urls(args["sampai"]),
                           **area_labels([day_text(m.first_day, "MMM y")
                                          for m in report.period.months]), **_helpers())


@bp.get("/laporan/wilayah.csv")
@roles_required(Role.OFFICER)
def area_csv():
    """The view as CSV, scoped like the page."""
    report, _args = _area()
    return csv_response(csv_text(area_rows(report)), f"{area_file_name(report)}.csv")


@bp.get("/laporan/wilayah.xlsx")
@roles_required(Role.OFFICER)
def area_xlsx():
    """The view as XLSX: the same rows as the CSV."""
    report, _args = _area()
    return xlsx_response(area_rows(report), f"{area_file_name(report)}.xlsx",
                         sheet_title=_("Desa"))
