"""Visits to an outlet: the goods on its shelf counted, some taken back or thrown
away, the cash collected, and the group's fund given its share.

The arithmetic of a visit line, held exact by CHECK constraints:

* sold = on shelf before − remaining − returned − expired (never below zero);
* the outlet's cut (:func:`crm.consignment.services.cut_for`) of sold × price;
* amount due = sold × price − cut.

Services take domain objects, check the rules, flush and never commit: the request
(or the CLI, or a test) commits once.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from crm.audit.services import record_change
from crm.catalog.models import ProducerGroup
from crm.catalog.services import record_stock_movement
from crm.consignment.models import ConsignmentDrop, ConsignmentVisit, ConsignmentVisitLine, Outlet
from crm.consignment.months import record_visit_sales
from crm.consignment.queries import open_drops, outlet_figures
from crm.consignment.services import (
    cut_for,
    day_in_range,
    insert_once,
    text_value,
    today_for,
    village_of,
)
from crm.db.status_step import move_status
from crm.db.types import utcnow
from crm.extensions import db
from crm.fund.accrual import accrue_contribution
from crm.text.money import MAX_RUPIAH, format_rupiah
from crm.web.errors import RuleError
from crm.web.i18n import gettext as _

COUNT_FIELDS = ("remaining", "returned", "expired")


@dataclass
class VisitOutcome:
    """What ``record_visit`` did; ``created`` is False for a resent form."""

    visit: ConsignmentVisit
    created: bool = True


def _visit_by_token(form_token: str) -> ConsignmentVisit | None:
    return db.session.scalar(
        select(ConsignmentVisit).where(ConsignmentVisit.form_token == form_token))


def _stale(product_name: str = "") -> RuleError:
    if product_name:
        return RuleError(_("Barang %(name)s di tempat ini baru saja diubah orang lain. "
                           "Muat ulang halaman lalu hitung lagi.", name=product_name))
    return RuleError(_("Barang di tempat ini baru saja diubah orang lain. Muat ulang "
                       "halaman lalu hitung lagi."))


def row_field(drop_id: int) -> str:
    """The ``RuleError.field`` of a refusal about one drop's row of the visit form."""
    return f"drop-{drop_id}"


def _has_counts(row: dict) -> bool:
    return any(row.get(name) is not None for name in COUNT_FIELDS)


def _count_line(drop: ConsignmentDrop, row: dict, visited_on: date) -> dict:
    """One counted row: checked, with sold, cut and amount due worked out."""
    field = row_field(drop.id)
    seen = row.get("seen")
    if seen is not None and seen != drop.on_shelf:
        raise _stale(drop.product.name)
    remaining = row.get("remaining")
    if remaining is None:
        raise RuleError(_("Isi sisa di rak (0 kalau habis)."), field=field)
    returned, expired = row.get("returned") or 0, row.get("expired") or 0
    if min(remaining, returned, expired) < 0:
        raise RuleError(_("Jumlah tidak boleh negatif."), field=field)
    if visited_on < drop.placed_on:
        raise RuleError(_("Tanggal kunjungan sebelum barang ini ditaruh (%(day)s).",
                          day=drop.placed_on.strftime("%d-%m-%Y")), field=field)
    before = drop.on_shelf
    sold = before - remaining - returned - expired
    if sold < 0:
        raise RuleError(_("Jumlah sisa + ditarik + rusak melebihi yang ada di rak (%(n)d).",
                          n=before), field=field)
    cut = cut_for(sold, drop.unit_price, drop.cut_kind, drop.cut_value)
    return {"drop": drop, "before": before, "remaining": remaining, "returned": returned,
            "expired": expired, "sold": sold, "cut": cut,
            "due": sold * drop.unit_price - cut}


def _clean_visit(outlet: Outlet, values: dict) -> tuple[date, int, str]:
    today = today_for(village_of(outlet))
    visited_on = values.get("visited_on") or today
    day_in_range(visited_on, today, "visited_on",
                  _("Tanggal kunjungan tidak boleh setelah hari ini."))
    cash = values.get("cash_collected") or 0
    if not 0 <= cash <= MAX_RUPIAH:
        raise RuleError(_("Jumlah uang tidak masuk akal."), field="cash_collected")
    return visited_on, cash, text_value(values, "notes", 1000)


def _shelf_update(line: dict, visited_at) -> None:
    """Lower the drop's ``on_shelf`` only if nobody changed it since it was read; an
    emptied shelf closes the drop."""
    drop = line["drop"]
    values = {"on_shelf": line["remaining"]}
    if line["remaining"] == 0:
        values.update(status="closed", closed_at=visited_at)
    closed = values.pop("status", None)
    move_status(drop, "open", closed, lambda _now: _stale(drop.product.name).message,
                values=values,
                where=[ConsignmentDrop.on_shelf == line["before"]])


def record_visit(outlet: Outlet, values: dict, rows: list[dict], actor,
                 form_token: str | None = None) -> VisitOutcome:
    """A visit to ``outlet``: goods counted, taken back or thrown away, cash collected.

    ``values``: visited_on (``None``: today), cash_collected, notes. ``rows``: one
    dict per counted drop with drop_id, remaining, returned, expired (``None``:
    not counted when all three are empty; returned/expired default 0) and seen (the
    on-shelf figure the form showed; a different one now means someone else
    counted meanwhile). Each drop's ``on_shelf`` becomes what remains (a guarded
    UPDATE) and an empty drop is closed; units taken back return to stock through
    the ledger, expired ones are written off. Cash may settle an older debt but not
    exceed what the outlet owes. The group's fund gets its share of the amount due.
    A resent form returns the visit made the first time.
    """
    form_token = (form_token or "").strip()[:64] or None
    if form_token:
        earlier = _visit_by_token(form_token)
        if earlier is not None:
            return VisitOutcome(earlier, created=False)
    visited_on, cash, notes = _clean_visit(outlet, values)
    # Lock the outlet (PostgreSQL) so two visits at once take turns: the second sees
    # the shelf and the debt as the first left them.
    db.session.execute(select(Outlet.id).where(Outlet.id == outlet.id).with_for_update())
    drops = {drop.id: drop for drop in open_drops(outlet.id)}
    lines = []
    for row in rows:
        if not _has_counts(row):
            continue
        drop = drops.get(row.get("drop_id"))
        if drop is None:  # closed meanwhile, or not this outlet's
            raise _stale()
        lines.append(_count_line(drop, row, visited_on))
    lines.sort(key=lambda line: line["drop"].id)  # one lock order for concurrent visits
    if len({line["drop"].id for line in lines}) != len(lines):
        raise _stale()
    if not lines and not cash:
        raise RuleError(_("Isi hitungan barang di rak, atau uang yang diterima."))
    amount_due = sum(line["due"] for line in lines)
    owed = outlet_figures([outlet.id])[outlet.id].outstanding + amount_due
    if cash > owed:
        raise RuleError(_("Uang diterima (%(cash)s) melebihi tagihan tempat ini (%(owed)s).",
                          cash=format_rupiah(cash), owed=format_rupiah(owed)),
                        field="cash_collected")
    now = utcnow()
    visit_id = insert_once(ConsignmentVisit, {
        "outlet_id": outlet.id, "group_id": outlet.group_id, "village_id": outlet.village_id,
        "visited_on": visited_on, "amount_due": amount_due, "cash_collected": cash,
        "notes": notes, "form_token": form_token, "created_by_id": getattr(actor, "id", None),
        "created_at": now,
    })
    if visit_id is None:
        return VisitOutcome(_visit_by_token(form_token), created=False)
    for line in lines:
        drop = line["drop"]
        _shelf_update(line, now)
        db.session.add(ConsignmentVisitLine(
            visit_id=visit_id, drop_id=drop.id, product_id=drop.product_id,
            on_shelf_before=line["before"], remaining=line["remaining"],
            returned=line["returned"], expired=line["expired"], sold=line["sold"],
            unit_price=drop.unit_price, cut_amount=line["cut"], amount_due=line["due"]))
        if line["returned"] and drop.taken_from == "stock":
            record_stock_movement(drop.product, "consignment_back", line["returned"], actor,
                                  note=_("Ditarik dari %(outlet)s", outlet=outlet.name))
    db.session.flush()
    for line in lines:
        db.session.refresh(line["drop"])
    visit = db.session.get(ConsignmentVisit, visit_id)
    db.session.refresh(visit)
    if lines:
        record_visit_sales(visit, sum(line["sold"] * line["drop"].unit_price for line in lines))
    group = db.session.get(ProducerGroup, outlet.group_id)
    accrue_contribution(group, "consignment", visit.id, revenue=visit.amount_due,
                        day=visit.visited_on, actor=actor)
    record_change(actor, "create", "consignment_visit", visit.id, visit.village_id, {
        "outlet": outlet.id, "visited_on": visited_on.isoformat(),
        "amount_due": amount_due, "cash_collected": cash,
        "lines": [[line["drop"].id, line["before"], line["remaining"], line["returned"],
                   line["expired"], line["sold"], line["due"]] for line in lines],
    })
    return VisitOutcome(visit, created=True)
