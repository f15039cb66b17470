"""The community fund's rules: setting a group's rule, asking for a disbursement and
the officer's decision on it.

Services take domain objects, check the rules, flush and never commit: the request
(or the CLI, or a test) commits once. A refusal raises :class:`RuleError`; the
caller rolls back.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from crm.audit.services import record_change
from crm.auth.models import Role
from crm.auth.permissions import visible_village_ids
from crm.catalog.models import ProducerGroup
from crm.db.status_step import move_status
from crm.db.types import utcnow
from crm.extensions import db
from crm.fund import balances
from crm.fund.accrual import accrue_fixed_months, rule_for
from crm.fund.models import DISBURSEMENT_PURPOSES, FUND_MODES, FundEntry, FundRule
from crm.fund.queries import fund_balance
from crm.text.dates import village_today
from crm.text.money import MAX_RUPIAH, format_rupiah
from crm.text.percent import MAX_BP
from crm.web.errors import RuleError
from crm.web.i18n import gettext as _

# The decision on a request: (status, action) → new status. Anything else is refused.
DECISIONS = {
    ("requested", "approve"): "approved",
    ("requested", "reject"): "rejected",
}
FIRST_YEAR = 2000
MAX_NOTE = 300


def _officer_of(actor, village_id: int) -> bool:
    return (getattr(actor, "role", None) == Role.OFFICER
            and village_id in set(db.session.scalars(visible_village_ids(actor))))


def may_manage(actor, group: ProducerGroup) -> bool:
    """Whether ``actor`` may set the group's rule and ask for disbursements: the
    group's own producers and the officers of its village."""
    if getattr(actor, "role", None) == Role.PRODUCER:
        return actor.group_id == group.id
    return _officer_of(actor, group.village_id)


# --- the rule -----------------------------------------------------------------------


def set_fund_rule(group: ProducerGroup, values: dict, actor) -> FundRule:
    """Set how much ``group`` puts into its fund, from ``values``: ``mode``
    ("percent" or "fixed"), ``rate_bp`` (basis points, 250 = 2,5 %) or
    ``fixed_amount`` (rupiah a month), and ``starts_on``.

    Every change is audited (old → new). A fixed rule at once adds the contribution
    of each month from its start up to this month that has none yet.
    """
    if not may_manage(actor, group):
        raise RuleError(_("Hanya produsen kelompok ini atau petugas desa yang bisa "
                          "mengatur dana sosial."))
    mode = values.get("mode")
    if mode not in FUND_MODES:
        raise RuleError(_("Pilih cara iuran."), field="mode")
    today = village_today(group.village)
    starts_on = values.get("starts_on")
    if starts_on is None:
        raise RuleError(_("Isi tanggal mulai berlaku."), field="starts_on")
    if starts_on.year < FIRST_YEAR or starts_on > today + timedelta(days=366):
        raise RuleError(_("Tanggal mulai dari tahun %(year)d sampai satu tahun ke depan.",
                          year=FIRST_YEAR), field="starts_on")
    rate_bp, fixed_amount = 0, 0
    if mode == "percent":
        rate_bp = values.get("rate_bp")
        if rate_bp is None:
            raise RuleError(_("Isi persentase, misalnya 2,5."), field="rate")
        if not 0 <= rate_bp <= MAX_BP:
            raise RuleError(_("Persentase 0 sampai 100."), field="rate")
    else:
        fixed_amount = values.get("fixed_amount")
        if fixed_amount is None:
            raise RuleError(_("Isi jumlah iuran per bulan, misalnya 50.000."),
                            field="fixed_amount")
        if not 0 < fixed_amount <= MAX_RUPIAH:
            raise RuleError(_("Iuran per bulan harus lebih dari nol."), field="fixed_amount")
    new = {"mode": mode, "rate_bp": rate_bp, "fixed_amount": fixed_amount,
           "starts_on": starts_on}
    rule = rule_for(group.id)
    if rule is None:
        rule = FundRule(group_id=group.id, **new)
        db.session.add(rule)
        changes = {name: [None, _plain(value)] for name, value in new.items()}
    else:
        changes = {}
        for name, value in new.items():
            old = getattr(rule, name)
            if old != value:
                changes[name] = [_plain(old), _plain(value)]
                setattr(rule, name, value)
    rule.updated_by_id = getattr(actor, "id", None)
    db.session.flush()
    if changes:
        record_change(actor, "set_rule", "fund_rule", rule.id, group.village_id, changes)
    if mode == "fixed":
        accrue_fixed_months(group, today, actor)
    return rule


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


# --- disbursements ------------------------------------------------------------------


@dataclass
class RequestOutcome:
    """What ``request_disbursement`` did: the request, and whether it is new
    (``False`` when a resent form returned the earlier one)."""

    entry: FundEntry
    created: bool = True


def _by_token(form_token: str) -> FundEntry | None:
    return db.session.scalar(select(FundEntry).where(FundEntry.form_token == form_token))


def _clean_request(group: ProducerGroup, values: dict) -> dict:
    amount = values.get("amount")
    if amount is None:
        raise RuleError(_("Isi jumlah rupiah."), field="amount")
    if not 0 < amount <= MAX_RUPIAH:
        raise RuleError(_("Jumlah harus lebih dari nol."), field="amount")
    purpose = values.get("purpose")
    if purpose not in DISBURSEMENT_PURPOSES:
        raise RuleError(_("Pilih keperluan."), field="purpose")
    recipient = (values.get("recipient") or "").strip()[:160]
    if not recipient:
        raise RuleError(_("Isi nama penerima."), field="recipient")
    day = values.get("occurred_on")
    if day is None:
        raise RuleError(_("Isi tanggal."), field="occurred_on")
    if day.year < FIRST_YEAR or day > village_today(group.village):
        raise RuleError(_("Tanggal tidak boleh sesudah hari ini."), field="occurred_on")
    return {"amount": amount, "purpose": purpose, "recipient": recipient,
            "description": (values.get("description") or "").strip()[:2000],
            "occurred_on": day}


def request_disbursement(group: ProducerGroup, values: dict, actor,
                         form_token: str | None = None) -> RequestOutcome:
    """Ask for money out of ``group``'s fund: ``values`` with amount, purpose (one of
    ``DISBURSEMENT_PURPOSES``), recipient, description and occurred_on. The request
    waits for an officer and does not count in the balance until approved. A resent
    form (same ``form_token``) returns the request made the first time."""
    if not may_manage(actor, group):
        raise RuleError(_("Hanya produsen kelompok ini atau petugas desa yang bisa "
                          "mengajukan penyaluran dana."))
    form_token = (form_token or "").strip()[:64] or None
    if form_token:
        earlier = _by_token(form_token)
        if earlier is not None:
            return _earlier(earlier, group)
    cleaned = _clean_request(group, values)
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # ON CONFLICT DO NOTHING on the one-time token: the same form sent twice at the
    # same moment waits for the first and then adds nothing.
    entry_id = db.session.scalar(
        insert(FundEntry).values(
            group_id=group.id, village_id=group.village_id, kind="disbursement",
            status="requested", decision_note="", form_token=form_token,
            created_by_id=getattr(actor, "id", None), created_at=utcnow(), **cleaned,
        ).on_conflict_do_nothing(index_elements=["form_token"])
        .returning(FundEntry.id))
    if entry_id is None:
        return _earlier(_by_token(form_token), group)
    entry = db.session.get(FundEntry, entry_id)
    balances.add(entry.group_id, entry.village_id, waiting=1)
    record_change(actor, "request", "fund_entry", entry.id, entry.village_id, {
        "amount": entry.amount, "purpose": entry.purpose, "recipient": entry.recipient,
        "occurred_on": entry.occurred_on.isoformat(), "status": [None, "requested"]})
    return RequestOutcome(entry)


def _earlier(entry: FundEntry, group: ProducerGroup) -> RequestOutcome:
    if entry.group_id != group.id:
        raise RuleError(_("Formulir ini sudah terpakai. Buka formulir baru dan isi lagi."))
    return RequestOutcome(entry, created=False)


def _lock_fund(group_id: int) -> None:
    """Make approvals for one group take turns (PostgreSQL; SQLite has one writer).

    ``FOR NO KEY UPDATE`` on the group row: it does not block the inserts of orders,
    bookings or contributions that merely refer to the group.
    """
    db.session.execute(select(ProducerGroup.id).where(ProducerGroup.id == group_id)
                       .with_for_update(key_share=True))


def _too_little(balance: int, amount: int) -> RuleError:
    return RuleError(_("Saldo dana sosial %(balance)s, kurang dari jumlah yang diminta "
                       "%(amount)s. Penyaluran belum bisa disetujui.",
                       balance=format_rupiah(balance), amount=format_rupiah(amount)))


def _refusal(status: str) -> RuleError:
    if status == "approved":
        return RuleError(_("Permintaan ini sudah disetujui."))
    if status == "rejected":
        return RuleError(_("Permintaan ini sudah ditolak."))
    return RuleError(_("Langkah ini tidak bisa dilakukan pada permintaan ini."))


def decide_disbursement(entry: FundEntry, action: str, actor, note: str = "") -> FundEntry:
    """An officer of the group's village approves (``action="approve"``) or rejects
    (``"reject"``, a reason in ``note`` needed) a requested disbursement.

    The status changes with a guarded UPDATE (``WHERE status = 'requested'``), so a
    request is decided once. An approval is refused when the balance is lower than
    the amount; the balance is summed again after the UPDATE with the group's fund
    locked, so two approvals at the same moment cannot together overdraw it.
    """
    if entry.kind != "disbursement":
        raise RuleError(_("Langkah ini tidak bisa dilakukan pada permintaan ini."))
    if not _officer_of(actor, entry.village_id):
        raise RuleError(_("Hanya petugas desa yang bisa menyetujui atau menolak "
                          "penyaluran dana."))
    new_status = DECISIONS.get((entry.status, action))
    if new_status is None:
        raise _refusal(entry.status)
    note = (note or "").strip()[:MAX_NOTE]
    if action == "reject" and not note:
        raise RuleError(_("Tulis alasan penolakan."), field="note")
    if action == "approve":
        balance = fund_balance(entry.group_id)
        if balance < entry.amount:
            raise _too_little(balance, entry.amount)
    move_status(entry, "requested", new_status, lambda now: _refusal(now).message,
                values={"decided_by_id": actor.id, "decided_at": utcnow(),
                        "decision_note": note},
                where=[FundEntry.kind == "disbursement"])
    balances.add(entry.group_id, entry.village_id, waiting=-1,
                 balance=-entry.amount if action == "approve" else 0)
    if action == "approve":
        _lock_fund(entry.group_id)
        after = fund_balance(entry.group_id)
        if after < 0:  # another approval got in first; the caller rolls back
            raise _too_little(after + entry.amount, entry.amount)
    db.session.refresh(entry)
    record_change(actor, action, "fund_entry", entry.id, entry.village_id, {
        "status": ["requested", new_status], "amount": entry.amount, "note": note})
    return entry
