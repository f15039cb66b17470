"""Capital proposals: their content, the budget (RAB) and the checklist of
attachments and permits.

Services take domain objects, check the rules, flush and never commit: the request
(or the CLI, or a test) commits once. The workflow steps are in
:mod:`crm.proposals.workflow`; the RAB total and the warnings about KUR ceilings and
NPWP in :mod:`crm.proposals.checks`.
"""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from crm.audit.services import changed_fields, record_change
from crm.db.status_step import move_status
from crm.db.types import utcnow
from crm.extensions import db
from crm.proposals.checks import (
    budget_line_count,
    budget_total,
    missing_items,
    npwp_needed,
    over_budget_message,
    proposal_warnings,
)
from crm.proposals.labels import CHECKLIST_LABELS
from crm.proposals.models import (
    CHECKLIST_KEYS,
    FUNDER_KINDS,
    KUR_SCHEMES,
    BudgetLine,
    ChecklistItem,
    Proposal,
)
from crm.text.dates import village_today
from crm.text.money import MAX_RUPIAH
from crm.web.errors import RuleError
from crm.web.i18n import gettext as _

# Content (texts, amounts, RAB) changes only while the group is still writing.
EDITABLE_STATUSES = ("draft", "revision")
# Attachments may still be gathered while the officer reviews, until it is sent.
CHECKLIST_STATUSES = ("draft", "revision", "submitted", "endorsed")
MAX_BUDGET_LINES = 60
MAX_VOLUME = 1_000_000
EVIDENCE_MONTHS = range(6, 13)
CHECK_STATES = ("present", "missing", "not_needed")
TEXT_LIMITS = {
    "title": 200, "funder_name": 200, "funder_address": 1000, "background": 10_000,
    "aims": 10_000, "activities": 10_000, "closing": 5000, "chair_name": 120,
    "secretary_name": 120, "treasurer_name": 120,
}
CONTENT_FIELDS = (
    "title", "funder_kind", "funder_name", "funder_address", "kur_scheme", "background",
    "aims", "activities", "closing", "requested_amount", "chair_name", "secretary_name",
    "treasurer_name", "evidence_months",
)


@dataclass
class ProposalOutcome:
    """A proposal just saved, the warnings to show, and whether it is new."""

    proposal: Proposal
    warnings: list[str] = field(default_factory=list)
    created: bool = True


# --- content --------------------------------------------------------------------------


def _text(values: dict, name: str) -> str:
    return (values.get(name) or "").strip()[:TEXT_LIMITS[name]]


def _clean(values: dict) -> dict:
    """The proposal's content from ``values``, checked; ``requested_amount`` None means
    "the RAB total"."""
    title = _text(values, "title")
    if not title:
        raise RuleError(_("Isi judul proposal."), field="title")
    funder_kind = values.get("funder_kind")
    if funder_kind not in FUNDER_KINDS:
        raise RuleError(_("Pilih jenis pemberi dana."), field="funder_kind")
    funder_name = _text(values, "funder_name")
    if not funder_name:
        raise RuleError(_("Isi nama pemberi dana, misalnya Dinas Koperasi dan UMKM "
                          "Kabupaten Bandung."), field="funder_name")
    scheme = values.get("kur_scheme") or None
    if funder_kind == "kur":
        if scheme not in KUR_SCHEMES:
            raise RuleError(_("Pilih skema KUR."), field="kur_scheme")
    else:
        scheme = None
    amount = values.get("requested_amount")
    if amount is not None and (isinstance(amount, bool) or not isinstance(amount, int)
                               or not 0 <= amount <= MAX_RUPIAH):
        raise RuleError(_("Jumlah permohonan tidak masuk akal."), field="requested_amount")
    months = values.get("evidence_months") or 12
    if months not in EVIDENCE_MONTHS:
        raise RuleError(_("Bukti penjualan 6 sampai 12 bulan."), field="evidence_months")
    cleaned = {name: _text(values, name) for name in TEXT_LIMITS}
    cleaned.update(title=title, funder_kind=funder_kind, funder_name=funder_name,
                   kur_scheme=scheme, requested_amount=amount, evidence_months=months)
    return cleaned


def _checklist_defaults(group, requested: int, today: date) -> dict[str, tuple]:
    """``key → (present, not_needed, note)`` from the group's profile."""
    craft = group.kind == "craft"
    defaults = {key: (False, False, "") for key in CHECKLIST_KEYS}
    if group.nib:
        defaults["nib_or_sku"] = (True, False, f"NIB {group.nib}")
    if craft:
        defaults["pirt"] = (False, True, "")
        defaults["halal"] = (False, True, "")
    else:
        if group.pirt_number:
            defaults["pirt"] = (True, False, f"P-IRT {group.pirt_number}")
        if group.halal_number:
            expires = group.halal_expires_on
            if expires is None or expires >= today:
                defaults["halal"] = (True, False, group.halal_number)
            else:
                defaults["halal"] = (False, False, _(
                    "Sertifikat %(number)s habis berlaku %(day)s.", number=group.halal_number,
                    day=expires.strftime("%d-%m-%Y")))
    if group.npwp:
        defaults["npwp"] = (True, False, group.npwp)
    elif not npwp_needed(requested):
        defaults["npwp"] = (False, True, "")
    return {key: (present, not_needed, note[:200])
            for key, (present, not_needed, note) in defaults.items()}


def _by_token(form_token: str) -> Proposal | None:
    return db.session.scalar(select(Proposal).where(Proposal.form_token == form_token))


def create_proposal(group, values: dict, actor, form_token: str | None = None
                    ) -> ProposalOutcome:
    """A new draft proposal of ``group`` with its checklist pre-ticked from the
    group's profile. The chair defaults to the group's chair. A resent form (same
    ``form_token``) returns the proposal made the first time."""
    form_token = (form_token or "").strip()[:64] or None
    if form_token:
        earlier = _by_token(form_token)
        if earlier is not None:
            if earlier.group_id != group.id:
                raise RuleError(_("Formulir ini sudah dipakai. Muat ulang halaman."))
            return ProposalOutcome(earlier, [], created=False)
    cleaned = _clean(values)
    cleaned["chair_name"] = cleaned["chair_name"] or (group.chair_name or "")[:120]
    cleaned["requested_amount"] = cleaned["requested_amount"] or 0
    proposal = Proposal(
        village_id=group.village_id, group_id=group.id, status="draft",
        form_token=form_token, created_by_id=getattr(actor, "id", None),
        officer_comment="", report="", **cleaned,
    )
    db.session.add(proposal)
    # The same form sent twice at the same instant: the token's unique constraint
    # stops the second copy at flush, and crm.web.errors answers it as a resent form.
    db.session.flush()
    today = village_today(group.village)
    for key, (present, not_needed, note) in _checklist_defaults(
            group, proposal.requested_amount, today).items():
        db.session.add(ChecklistItem(proposal_id=proposal.id, key=key, present=present,
                                     not_needed=not_needed, note=note))
    db.session.flush()
    db.session.refresh(proposal)
    record_change(actor, "create", "proposal", proposal.id, proposal.village_id, {
        "group": group.id, "title": proposal.title, "funder_kind": proposal.funder_kind,
        "requested_amount": proposal.requested_amount,
    })
    return ProposalOutcome(proposal, proposal_warnings(proposal, total=0))


def _lock_for_edit(proposal: Proposal, statuses=EDITABLE_STATUSES) -> None:
    """Hold the proposal's row while its content changes; refused once it has moved
    on (a guarded UPDATE: a step taken at the same moment waits or wins)."""
    if statuses == EDITABLE_STATUSES:
        refusal = _("Proposal hanya bisa diubah saat masih draf atau perlu perbaikan.")
    else:
        refusal = _("Kelengkapan tidak bisa diubah lagi setelah proposal dikirim.")
    move_status(proposal, statuses, None, refusal, values={"updated_at": utcnow()})


def _sync_npwp(proposal: Proposal) -> dict:
    """NPWP is needed above Rp 50 juta: mark it needed (or not) as the amount moves,
    unless the group already has it."""
    item = next((i for i in proposal.checklist if i.key == "npwp"), None)
    if item is None or item.present:
        return {}
    wanted = not npwp_needed(proposal.requested_amount)
    if item.not_needed == wanted:
        return {}
    item.not_needed = wanted
    return {"checklist.npwp.not_needed": [not wanted, wanted]}


def update_proposal(proposal: Proposal, values: dict, actor) -> list[str]:
    """Change the content of a draft (or returned) proposal; returns the warnings.

    The requested amount may not exceed the RAB total once there are RAB lines;
    left empty it becomes the RAB total.
    """
    _lock_for_edit(proposal)
    cleaned = _clean(values)
    total = budget_total(proposal)
    if cleaned["requested_amount"] is None:
        cleaned["requested_amount"] = total
    elif budget_line_count(proposal) and cleaned["requested_amount"] > total:
        raise RuleError(over_budget_message(cleaned["requested_amount"], total),
                        field="requested_amount")
    changes = changed_fields(proposal, CONTENT_FIELDS, cleaned)
    changes.update(_sync_npwp(proposal))
    db.session.flush()
    if changes:
        record_change(actor, "update", "proposal", proposal.id, proposal.village_id, changes)
    return proposal_warnings(proposal, total=total)


# --- budget (RAB) -----------------------------------------------------------------------


def _clean_line(values: dict, label: str = "") -> dict | None:
    """A budget line from ``values``; None for a row left empty. ``label`` ("Baris 2:
    ") starts the messages of a row of several."""
    item = (values.get("item") or "").strip()[:200]
    unit = (values.get("unit") or "").strip()[:30]
    volume, price = values.get("volume"), values.get("unit_price")
    if not item and not unit and volume is None and price is None:
        return None
    if not item:
        raise RuleError(label + _("Isi uraian barang atau kegiatan."), field="item")
    if volume is None or isinstance(volume, bool) or not isinstance(volume, int) \
            or not 1 <= volume <= MAX_VOLUME:
        raise RuleError(label + _("Volume 1 sampai %(max)d.", max=MAX_VOLUME), field="volume")
    if price is None:
        raise RuleError(label + _("Isi harga satuan."), field="unit_price")
    if isinstance(price, bool) or not isinstance(price, int) or not 0 <= price <= MAX_RUPIAH:
        raise RuleError(label + _("Harga satuan tidak masuk akal."), field="unit_price")
    if volume * price > MAX_RUPIAH:
        raise RuleError(label + _("Jumlah baris ini terlalu besar."), field="unit_price")
    return {"item": item, "unit": unit, "volume": volume, "unit_price": price}


def _follow_total(proposal: Proposal, old_total: int, actor) -> None:
    """A requested amount that was empty or equal to the RAB total follows it."""
    new_total = budget_total(proposal)
    if proposal.requested_amount in (0, old_total) and proposal.requested_amount != new_total:
        changes = {"requested_amount": [proposal.requested_amount, new_total]}
        proposal.requested_amount = new_total
        changes.update(_sync_npwp(proposal))
        db.session.flush()
        record_change(actor, "update", "proposal", proposal.id, proposal.village_id, changes)


def add_budget_lines(proposal: Proposal, rows: list[dict], actor) -> list[BudgetLine]:
    """Add the filled rows of ``rows`` (item, volume, unit, unit_price) to the RAB;
    empty rows are skipped, at least one is needed."""
    _lock_for_edit(proposal)
    several = len(rows) > 1
    cleaned = []
    for n, values in enumerate(rows, start=1):
        label = _("Baris %(n)d: ", n=n) if several else ""
        line = _clean_line(values, label)
        if line is not None:
            cleaned.append(line)
    if not cleaned:
        raise RuleError(_("Isi paling sedikit satu baris: uraian, volume dan harga satuan."))
    count = budget_line_count(proposal)
    if count + len(cleaned) > MAX_BUDGET_LINES:
        raise RuleError(_("RAB paling banyak %(max)d baris.", max=MAX_BUDGET_LINES))
    old_total = budget_total(proposal)
    position = db.session.scalar(select(func.coalesce(func.max(BudgetLine.position), 0))
                                 .where(BudgetLine.proposal_id == proposal.id)) or 0
    made = []
    for line in cleaned:
        position += 1
        made.append(BudgetLine(proposal_id=proposal.id, position=position, **line))
    db.session.add_all(made)
    db.session.flush()
    record_change(actor, "add_budget_lines", "proposal", proposal.id, proposal.village_id, {
        "lines": [[m.id, m.item, m.volume, m.unit, m.unit_price] for m in made]})
    _follow_total(proposal, old_total, actor)
    db.session.refresh(proposal)
    return made


def update_budget_line(proposal: Proposal, line: BudgetLine, values: dict, actor
                       ) -> BudgetLine:
    """Change one RAB line of a draft (or returned) proposal."""
    _lock_for_edit(proposal)
    if line.proposal_id != proposal.id:
        raise RuleError(_("Baris ini bukan bagian dari proposal ini."))
    cleaned = _clean_line(values)
    if cleaned is None:
        raise RuleError(_("Isi uraian barang atau kegiatan."), field="item")
    old_total = budget_total(proposal)
    changes = changed_fields(line, ("item", "unit", "volume", "unit_price"), cleaned)
    db.session.flush()
    if changes:
        record_change(actor, "update_budget_line", "proposal", proposal.id,
                      proposal.village_id, {"line": line.id, **changes})
    _follow_total(proposal, old_total, actor)
    db.session.refresh(proposal)
    return line


def delete_budget_line(proposal: Proposal, line: BudgetLine, actor) -> None:
    """Remove one RAB line of a draft (or returned) proposal."""
    _lock_for_edit(proposal)
    if line.proposal_id != proposal.id:
        raise RuleError(_("Baris ini bukan bagian dari proposal ini."))
    old_total = budget_total(proposal)
    record_change(actor, "delete_budget_line", "proposal", proposal.id, proposal.village_id, {
        "line": line.id, "item": line.item, "volume": line.volume, "unit": line.unit,
        "unit_price": line.unit_price})
    db.session.delete(line)
    db.session.flush()
    _follow_total(proposal, old_total, actor)
    db.session.refresh(proposal)


# --- checklist ------------------------------------------------------------------------


def check_state(item: ChecklistItem) -> str:
    """``present``, ``missing`` or ``not_needed``."""
    if item.present:
        return "present"
    return "not_needed" if item.not_needed else "missing"


def update_checklist(proposal: Proposal, states: dict, actor) -> list[ChecklistItem]:
    """Set each item to ``present`` (ada), ``missing`` (belum) or ``not_needed`` (tidak
    perlu), with a note; ``states`` maps key → (state, note). Possible until the
    proposal is sent. Returns what is still missing."""
    _lock_for_edit(proposal, CHECKLIST_STATUSES)
    items = {item.key: item for item in proposal.checklist}
    changes = {}
    for key, (state, note) in states.items():
        item = items.get(key)
        if item is None:
            continue
        if state not in CHECK_STATES:
            raise RuleError(_("Pilih ada, belum atau tidak perlu untuk %(item)s.",
                              item=CHECKLIST_LABELS[key]), field=f"state_{key}")
        wanted = {"present": state == "present", "not_needed": state == "not_needed",
                  "note": (note or "").strip()[:200]}
        changed = changed_fields(item, ("present", "not_needed", "note"), wanted)
        if changed:
            changes[key] = changed
    db.session.flush()
    if changes:
        record_change(actor, "update_checklist", "proposal", proposal.id,
                      proposal.village_id, changes)
    return missing_items(proposal)
