"""Recording the sales a group makes outside the MRSE channels (:class:`OtherSale`)."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from crm.audit.services import record_change
from crm.catalog.models import ProducerGroup
from crm.db.types import utcnow
from crm.extensions import db
from crm.fund.services import may_manage
from crm.reports.models import OTHER_SALE_CHANNELS, OtherSale
from crm.text.dates import village_today
from crm.text.money import MAX_RUPIAH
from crm.web.errors import RuleError
from crm.web.i18n import gettext as _

# Sales before this year are not the program's business.
FIRST_YEAR = 2000


@dataclass(frozen=True)
class OtherSaleOutcome:
    """What :func:`record_other_sales` did: the entry, and whether it is new (False
    when a resent form returned the entry made the first time)."""

    entry: OtherSale
    created: bool = True


def _by_token(form_token: str) -> OtherSale | None:
    return db.session.scalar(select(OtherSale).where(OtherSale.form_token == form_token))


def _clean(group: ProducerGroup, values: dict) -> dict:
    amount = values.get("amount")
    if amount is None:
        raise RuleError(_("Isi jumlah rupiah."), field="amount")
    if not 0 < amount <= MAX_RUPIAH:
        raise RuleError(_("Jumlah harus lebih dari nol."), field="amount")
    channel = values.get("channel")
    if channel not in OTHER_SALE_CHANNELS:
        raise RuleError(_("Pilih tempat penjualan."), field="channel")
    day = values.get("sold_on")
    if not isinstance(day, date):
        raise RuleError(_("Isi tanggal."), field="sold_on")
    if day.year < FIRST_YEAR or day > village_today(group.village):
        raise RuleError(_("Tanggal tidak boleh sesudah hari ini."), field="sold_on")
    whole_month = bool(values.get("whole_month"))
    month = day.replace(day=1)
    return {"amount": amount, "channel": channel, "whole_month": whole_month,
            "month": month, "sold_on": month if whole_month else day}


def record_other_sales(group: ProducerGroup, values: dict, actor,
                       form_token: str | None = None) -> OtherSaleOutcome:
    """Add sales ``group`` made outside the MRSE channels: ``values`` with ``amount``
    (whole rupiah), ``channel`` (one of :data:`OTHER_SALE_CHANNELS`), ``sold_on`` (a
    day, not after today) and ``whole_month`` (the amount is the total of that day's
    month). Its producers and the officers of its village may record them. A resent
    form (same ``form_token``) returns the entry made the first time."""
    if not may_manage(actor, group):
        raise RuleError(_("Hanya produsen kelompok ini atau petugas desa yang bisa "
                          "mencatat penjualan kelompok."))
    form_token = (form_token or "").strip()[:64] or None
    if form_token:
        earlier = _by_token(form_token)
        if earlier is not None:
            return _earlier(earlier, group)
    cleaned = _clean(group, values)
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # ON CONFLICT DO NOTHING on the one-time token: the same form sent twice at the
    # same moment waits for the first and then adds nothing.
    entry_id = db.session.scalar(
        insert(OtherSale).values(
            group_id=group.id, village_id=group.village_id, form_token=form_token,
            created_by_id=getattr(actor, "id", None), created_at=utcnow(), **cleaned,
        ).on_conflict_do_nothing(index_elements=["form_token"])
        .returning(OtherSale.id))
    if entry_id is None:
        return _earlier(_by_token(form_token), group)
    entry = db.session.get(OtherSale, entry_id)
    record_change(actor, "create", "other_sale", entry.id, entry.village_id, {
        "group_id": group.id, "amount": entry.amount, "channel": entry.channel,
        "sold_on": entry.sold_on.isoformat(), "whole_month": entry.whole_month})
    return OtherSaleOutcome(entry)


def _earlier(entry: OtherSale, group: ProducerGroup) -> OtherSaleOutcome:
    if entry.group_id != group.id:
        raise RuleError(_("Formulir ini sudah terpakai. Buka formulir baru dan isi lagi."))
    return OtherSaleOutcome(entry, created=False)
