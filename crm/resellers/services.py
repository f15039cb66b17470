"""Reseller profiles, onboarding and product claims. Services flush and never commit."""

import re
from datetime import date, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from crm.audit.services import changed_fields, record_change
from crm.auth.models import Role
from crm.catalog.models import Product
from crm.db.status_step import move_status
from crm.db.types import utcnow
from crm.extensions import db
from crm.resellers.models import (
    CHANNELS,
    OPEN_CLAIM_STATUSES,
    STAGES,
    Claim,
    ResellerProfile,
    StageChange,
    new_public_slug,
)
from crm.text.dates import today_in
from crm.text.phones import PhoneError, normalise_phone
from crm.web.errors import RuleError
from crm.web.i18n import gettext as _

SHOP_FIELDS = (
    "shopee_url", "tokopedia_url", "facebook_url", "instagram_url", "whatsapp_business",
    "other_url",
)
PROFILE_FIELDS = ("whatsapp", "karang_taruna", "public_page", "public_whatsapp", *SHOP_FIELDS)
# A reseller not yet independent should be visited at least this often.
MENTORING_INTERVAL = timedelta(days=30)

# Allowed claim transitions: (status, action) → new status.
CLAIM_TRANSITIONS = {
    ("pending", "approve"): "active",
    ("pending", "reject"): "rejected",
    ("pending", "withdraw"): "withdrawn",
    ("active", "withdraw"): "withdrawn",
    ("pending", "end"): "ended",
    ("active", "end"): "ended",
}


# --- profiles -------------------------------------------------------------------


def _code_stem(full_name: str, username: str) -> str:
    words = re.findall(r"[A-Za-z]+", full_name or "")
    stem = "".join(w[0] for w in words[:2]).upper()
    if len(stem) < 2:
        stem = re.sub(r"[^A-Za-z0-9]", "", username or "").upper()[:4]
    return stem or "R"


def new_reseller_code(full_name: str, username: str) -> str:
    """A short code from the initials ("Kiki Aulia" → ``KA``), numbered when taken."""
    stem = _code_stem(full_name, username)
    taken = set(db.session.scalars(
        select(ResellerProfile.code).where(ResellerProfile.code.like(f"{stem}%"))
    ))
    if stem not in taken and len(stem) >= 2:
        return stem
    n = 2
    while f"{stem}{n}" in taken:
        n += 1
    return f"{stem}{n}"


def create_profile(user) -> ResellerProfile:
    """The reseller profile of a new reseller account, with a fresh personal code."""
    profile = ResellerProfile(
        user_id=user.id, village_id=user.village_id,
        code=new_reseller_code(user.full_name, user.username), whatsapp=user.phone,
        stage="socialisation", stage_since=today_in(),
    )
    db.session.add(profile)
    db.session.flush()
    return profile


def profile_for(user) -> ResellerProfile:
    """``user``'s reseller profile, made on first use for accounts that lack one."""
    profile = db.session.scalar(select(ResellerProfile).where(ResellerProfile.user_id == user.id))
    return profile if profile is not None else create_profile(user)


def _clean_link(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    if not re.match(r"^https?://[^\s/$.?#][^\s]*$", value, re.IGNORECASE):
        if re.match(r"^[\w.-]+\.[a-z]{2,}(/\S*)?$", value, re.IGNORECASE):
            value = "https://" + value  # people paste "shopee.co.id/toko" without https
        else:
            raise RuleError(
                _("Tulis alamat toko lengkap, misalnya https://shopee.co.id/namatoko."),
                field=field,
            )
    return value[:300]


def _clean_phone(value: str | None, field: str) -> str | None:
    value = (value or "").strip()
    try:
        return normalise_phone(value) if value else None
    except PhoneError as exc:
        raise RuleError(
            _("Nomor WhatsApp tidak dikenali. Contoh: 0812-3456-7890."), field=field
        ) from exc


def update_profile(profile: ResellerProfile, values: dict, actor) -> dict:
    """Change a reseller's contact number, karang taruna membership, public page
    (on or off, and the number it shows: only the one typed for it) and shop links."""
    clean = {
        "karang_taruna": bool(values.get("karang_taruna")),
        "whatsapp": _clean_phone(values.get("whatsapp"), "whatsapp"),
        "public_page": bool(values.get("public_page")),
        "public_whatsapp": _clean_phone(values.get("public_whatsapp"), "public_whatsapp"),
    }
    for name in SHOP_FIELDS:
        if name == "whatsapp_business":
            clean[name] = (values.get(name) or "").strip()[:300]
        else:
            clean[name] = _clean_link(values.get(name), name)
    changes = changed_fields(profile, PROFILE_FIELDS, clean)
    if changes:
        db.session.flush()
        record_change(actor, "update", "reseller_profile", profile.id, profile.village_id,
                      changes)
    return changes


def renew_public_slug(profile: ResellerProfile, actor) -> str:
    """Give the reseller's public page a new random link; the old one stops working
    at once (it answers as an unknown link does)."""
    profile.public_slug = new_public_slug()
    db.session.flush()
    # The slug itself is not recorded: the audit log is no place for links.
    record_change(actor, "renew_public_link", "reseller_profile", profile.id,
                  profile.village_id)
    return profile.public_slug


def record_mentoring(
    profile: ResellerProfile, *, stage: str, on_date: date, mentor, note: str = "",
    next_date: date | None = None, actor=None,
) -> StageChange:
    """Write down a mentoring visit: the stage reached, with whom, and the next visit."""
    if stage not in STAGES:
        raise RuleError(_("Pilih tahap pendampingan."), field="stage")
    if on_date is None or on_date > today_in():
        raise RuleError(_("Tanggal pendampingan tidak boleh di masa depan."), field="on_date")
    if next_date is not None and next_date < on_date:
        raise RuleError(
            _("Pendampingan berikutnya harus sesudah tanggal ini."), field="next_date"
        )
    if mentor is not None and mentor.role != Role.OFFICER:
        raise RuleError(_("Pilih pendamping dari petugas desa."), field="mentor_id")
    change = StageChange(
        profile_id=profile.id, stage=stage, on_date=on_date,
        mentor_id=getattr(mentor, "id", None), note=(note or "").strip()[:300],
        actor_id=getattr(actor, "id", None),
    )
    db.session.add(change)
    if stage != profile.stage:
        profile.stage_since = on_date
    profile.stage = stage
    profile.mentor_id = getattr(mentor, "id", None) or profile.mentor_id
    if profile.last_mentored_on is None or on_date >= profile.last_mentored_on:
        profile.last_mentored_on = on_date
    profile.next_mentoring_on = next_date
    db.session.flush()
    record_change(actor, "mentoring", "reseller_profile", profile.id, profile.village_id,
                  {"stage": stage, "on": on_date.isoformat()})
    return change


def needs_mentoring(profile: ResellerProfile, today: date | None = None) -> bool:
    """True when a reseller who is not yet independent is due a visit: the planned
    date has come, or nobody has visited for a month."""
    today = today or today_in()
    if profile.stage == "independent":
        return False
    if profile.next_mentoring_on is not None:
        return profile.next_mentoring_on <= today
    last = profile.last_mentored_on or profile.stage_since
    return last is None or today - last >= MENTORING_INTERVAL


def mentoring_due_clause(today=None, mentoring_since=None):
    """SQL condition matching :func:`needs_mentoring`, for lists and counts: due on
    ``today`` (default: today), or last mentored on or before ``mentoring_since``
    (default: one interval before ``today``)."""
    today = today if today is not None else today_in()
    if mentoring_since is None:
        mentoring_since = today - MENTORING_INTERVAL
    last = func.coalesce(ResellerProfile.last_mentored_on, ResellerProfile.stage_since)
    return (ResellerProfile.stage != "independent") & (
        (ResellerProfile.next_mentoring_on <= today)
        | (ResellerProfile.next_mentoring_on.is_(None) & (last <= mentoring_since))
    )


# --- claims ---------------------------------------------------------------------


def _check_channels(channels) -> str:
    chosen = [c for c in CHANNELS if c in set(channels or ())]
    if not chosen:
        raise RuleError(_("Pilih minimal satu tempat jualan."), field="channels")
    return ",".join(chosen)


def claim_product(product: Product, reseller, channels, actor=None) -> Claim:
    """Let ``reseller`` list ``product`` on ``channels``.

    The product's place count is taken with one guarded UPDATE (``claim_count <
    claim_cap``), so resellers claiming at the same moment never pass the cap. A
    claim waits for the producer's approval when the product asks for it.
    """
    if reseller.role != Role.RESELLER:
        raise RuleError(_("Hanya reseller yang bisa mengambil produk."))
    if not product.active or product.village_id != reseller.village_id:
        raise RuleError(_("Produk ini tidak bisa diambil."))
    channel_text = _check_channels(channels)
    if db.session.scalar(select(Claim.id).where(
            Claim.product_id == product.id, Claim.reseller_id == reseller.id,
            Claim.status.in_(OPEN_CLAIM_STATUSES))):
        raise RuleError(_("Anda sudah mengambil produk ini."))
    taken = db.session.execute(
        update(Product)
        .where(Product.id == product.id, Product.active.is_(True),
               (Product.claim_cap.is_(None)) | (Product.claim_count < Product.claim_cap))
        .values(claim_count=Product.claim_count + 1),
        execution_options={"synchronize_session": False},
    )
    if taken.rowcount != 1:
        raise RuleError(_("Kuota reseller untuk produk ini sudah penuh."))
    claim = Claim(
        product_id=product.id, reseller_id=reseller.id, village_id=product.village_id,
        status="pending" if product.claim_needs_approval else "active",
        channels=channel_text,
    )
    try:
        with db.session.begin_nested():
            db.session.add(claim)
    except IntegrityError as exc:  # the same reseller, twice at the same moment
        raise RuleError(_("Anda sudah mengambil produk ini.")) from exc
    record_change(actor or reseller, "claim", "claim", claim.id, claim.village_id,
                  {"product": product.id, "status": claim.status})
    return claim


def change_claim(claim: Claim, action: str, actor, reason: str = "") -> Claim:
    """Approve, reject, withdraw or end a claim, following ``CLAIM_TRANSITIONS``.

    The step is one guarded UPDATE (``WHERE status = <old>``): sent twelve times at
    once it is taken once and the others are refused. Only the request that took a
    step out of the open states gives the product's place back, in SQL, so the
    product's count stays the number of its open claims.
    """
    old_status = claim.status
    new_status = CLAIM_TRANSITIONS.get((old_status, action))
    if new_status is None:
        raise RuleError(_("Langkah ini tidak bisa dilakukan pada klaim berstatus sekarang."))
    now = utcnow()
    values = {}
    if action in ("approve", "reject"):
        values.update(decided_by_id=actor.id, decided_at=now)
    closing = new_status not in OPEN_CLAIM_STATUSES
    if closing:
        values.update(closed_at=now, close_reason=(reason or "").strip()[:300])
    move_status(claim, old_status, new_status, _claim_refusal, values=values)
    if closing:
        db.session.execute(
            update(Product)
            .where(Product.id == claim.product_id)
            .values(claim_count=Product.claim_count - 1),
            execution_options={"synchronize_session": False},
        )
    record_change(actor, action, "claim", claim.id, claim.village_id,
                  {"status": [old_status, new_status]})
    return claim


def _claim_refusal(status: str) -> str:
    if status in OPEN_CLAIM_STATUSES:
        return _("Klaim ini baru saja diubah orang lain. Muat ulang halaman.")
    return _("Klaim ini sudah selesai; tidak ada yang berubah.")


def change_channels(claim: Claim, channels, actor) -> None:
    """Change where an open claim is listed."""
    if not claim.is_open:
        raise RuleError(_("Klaim ini sudah selesai."))
    claim.channels = _check_channels(channels)
    db.session.flush()
