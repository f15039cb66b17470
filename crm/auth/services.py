"""Accounts: sign-in with throttling, sessions, passwords and account creation.

Services flush and never commit; the request (or CLI command) commits once.
"""

import re
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from crm.audit.services import record_change
from crm.auth.devices import KnownDevice
from crm.auth.models import OfficerArea, Role, User, new_session_token
from crm.auth.passwords import (
    NO_PASSWORD,
    burn_verification_time,
    check_new_password,
    hash_password,
    needs_rehash,
    verify_password,
)
from crm.auth.throttle import (
    clear,
    forget_expired,
    give_back,
    minutes_left,
    take_attempt,
    throttle_key,
)
from crm.db.types import utcnow
from crm.extensions import db
from crm.text.phones import PhoneError, looks_like_phone, normalise_phone
from crm.web.errors import RuleError
from crm.web.i18n import gettext as _

USERNAME_RE = re.compile(r"^[a-z][a-z0-9._-]{1,39}$")
# A Kabupaten ("32.04") or Kecamatan ("32.04.11"): the leading parts of a village code.
AREA_CODE_RE = re.compile(r"^\d{2}\.\d{2}(\.\d{2})?$")


@dataclass
class SignIn:
    """Outcome of a sign-in attempt: the user, or that it was refused."""

    user: User | None = None


@dataclass
class SignInAttempt:
    """An attempt counted by :func:`start_sign_in`: whose account the login names
    (None: nobody's) and the keys it was counted under; or, when refused, the minutes
    until the caller may try again."""

    user: User | None = None
    keys: dict[str, str] = field(default_factory=dict)
    refused_minutes: int | None = None


def find_user_by_login(login: str) -> User | None:
    """The user whose user name or phone number is ``login``."""
    login = (login or "").strip()
    if not login:
        return None
    if looks_like_phone(login):
        try:
            phone = normalise_phone(login)
        except PhoneError:
            return None
        return db.session.scalar(select(User).where(User.phone == phone))
    return db.session.scalar(select(User).where(User.username == login.lower()))


def _normalised_login(login: str) -> str:
    login = (login or "").strip()
    if looks_like_phone(login):
        try:
            return normalise_phone(login)
        except PhoneError:
            pass
    return login.lower()


def _window() -> timedelta:
    return timedelta(minutes=current_app.config["LOGIN_WINDOW_MINUTES"])


def start_sign_in(login: str, address: str, device: KnownDevice | None) -> SignInAttempt:
    """Count a sign-in attempt before its password is checked, or refuse it.

    Counted per login from this address, per address and per login from anywhere; an
    account's own known device is counted apart, so that failures elsewhere (or
    behind the same shared address) never keep its owner out. Logins of no account
    are counted alike, by their text, so refusals do not tell which accounts exist.
    The caller commits before checking the password with :func:`finish_sign_in`:
    the count is then final, and no lock is held while the password is hashed.
    """
    cfg = current_app.config
    user = find_user_by_login(login)
    who = f"user:{user.id}" if user is not None else f"login:{_normalised_login(login)}"
    if user is not None and device is not None and device.knows(user.id):
        limits = {"device": (throttle_key("device", who, device.device_id),
                             cfg["LOGIN_MAX_FAILURES"])}
    else:
        limits = {
            "login_address": (throttle_key("login-address", who, address),
                              cfg["LOGIN_MAX_FAILURES"]),
            "address": (throttle_key("address", address), cfg["LOGIN_MAX_FAILURES_PER_ADDRESS"]),
            "login": (throttle_key("login", who), cfg["LOGIN_MAX_FAILURES_PER_ACCOUNT"]),
        }
    window = _window()
    forget_expired(window)
    taken: dict[str, str] = {}
    for name, (key, limit) in limits.items():
        if not take_attempt(key, limit, window):
            for counted in taken.values():
                give_back(counted)
            return SignInAttempt(refused_minutes=minutes_left(key, window))
        taken[name] = key
    return SignInAttempt(user=user, keys=taken)


def finish_sign_in(attempt: SignInAttempt, password: str) -> SignIn:
    """Check the password of an attempt counted by :func:`start_sign_in`.

    The hash is checked whether or not the login names an account (against a dummy
    hash when not), so both answers take as long. A failure stays counted; a success
    forgets the failures of this login here and gives its count back elsewhere.
    """
    user = attempt.user
    if user is None or not user.active or user.password_hash == NO_PASSWORD:
        burn_verification_time()
        return SignIn()
    if not verify_password(user.password_hash, password or ""):
        return SignIn()
    for name, key in attempt.keys.items():
        if name in ("device", "login_address"):
            clear(key)
        else:
            give_back(key)
    user.last_login_at = utcnow()
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    db.session.flush()
    return SignIn(user=user)


def end_all_sessions(user: User) -> None:
    """Invalidate every session of ``user`` (copied cookies included)."""
    user.session_token = new_session_token()
    db.session.flush()


def start_password_check(user: User) -> int | None:
    """Count a check of ``user``'s current password (changing their own password),
    or refuse it: the minutes until it may be tried again. As for a sign-in, the
    caller commits before :func:`change_password` checks the password."""
    window = _window()
    key = throttle_key("password-change", user.id)
    if take_attempt(key, current_app.config["LOGIN_MAX_FAILURES"], window):
        return None
    return minutes_left(key, window)


def change_password(user: User, current: str, new: str) -> None:
    """Change the user's own password after checking the current one (counted by
    :func:`start_password_check`; a right one is not held against them)."""
    if not verify_password(user.password_hash, current or ""):
        raise RuleError(_("Kata sandi lama salah."), field="current_password")
    forget_password_checks(user)
    set_password(user, new, actor=user)


def forget_password_checks(user: User) -> None:
    """Forget the counted checks of ``user``'s current password (it was right)."""
    clear(throttle_key("password-change", user.id))


def set_password(user: User, new: str, actor=None) -> None:
    """Set a new password and end all of the user's sessions."""
    check_new_password(new, user.username)
    user.password_hash = hash_password(new)
    user.password_changed_at = utcnow()
    end_all_sessions(user)
    record_change(actor, "password_set", "user", user.id, user.village_id)


def create_user(
    *,
    username: str,
    full_name: str,
    role: Role | str,
    password: str | None,
    phone: str | None = None,
    village=None,
    group=None,
    partner=None,
    assigned_villages=(),
    areas=(),
    actor=None,
) -> User:
    """Create an account after checking name, phone, password and role links.

    Without a ``password`` the account has none yet: its owner chooses one through a
    first sign-in link (:func:`crm.auth.first_sign_in.issue_link`), so nobody hands
    out a shared starting password. A reseller's account needs its reseller profile
    too: accounts are opened with :func:`crm.resellers.accounts.open_account`, which
    makes both."""
    role = Role(role)
    username = (username or "").strip().lower()
    if not USERNAME_RE.match(username):
        raise RuleError(
            _("Nama pengguna 2–40 huruf kecil, angka, titik, garis; diawali huruf."),
            field="username",
        )
    if db.session.scalar(select(User.id).where(User.username == username)):
        raise RuleError(_("Nama pengguna ini sudah dipakai."), field="username")
    if phone is not None:
        phone = normalise_phone(phone)
        if db.session.scalar(select(User.id).where(User.phone == phone)):
            raise RuleError(_("Nomor HP ini sudah dipakai akun lain."), field="phone")
    full_name = (full_name or "").strip()
    if not full_name:
        raise RuleError(_("Isi nama lengkap."), field="full_name")
    if password is not None:
        check_new_password(password, username)
    areas = [check_area_code(code) for code in areas]
    _check_role_links(role, village, group, partner, assigned_villages, areas)
    user = User(
        username=username,
        full_name=full_name,
        role=role.value,
        phone=phone,
        password_hash=NO_PASSWORD if password is None else hash_password(password),
        village_id=village.id if village is not None else None,
        group_id=group.id if group is not None else None,
        partner_id=partner.id if partner is not None else None,
        password_changed_at=None if password is None else utcnow(),
    )
    user.assigned_villages = list(assigned_villages)
    user.areas = [OfficerArea(region_code=code) for code in dict.fromkeys(areas)]
    db.session.add(user)
    db.session.flush()
    record_change(
        actor, "create", "user", user.id, user.village_id, {"username": username, "role": role}
    )
    return user


def check_area_code(code: str) -> str:
    """Return a Kabupaten ("32.04") or Kecamatan ("32.04.11") code, or raise."""
    code = (code or "").strip()
    if not AREA_CODE_RE.match(code):
        raise RuleError(
            _("Kode wilayah Kabupaten berbentuk 32.04, Kecamatan 32.04.11."), field="areas"
        )
    return code


def _check_role_links(role, village, group, partner, assigned_villages, areas) -> None:
    if role == Role.ADMIN:
        if village is not None or assigned_villages or areas:
            raise RuleError(_("Administrator tidak terikat pada desa."), field="village")
        return
    if role == Role.OFFICER:
        if not assigned_villages and not areas:
            raise RuleError(
                _("Petugas harus ditugaskan ke minimal satu desa, Kecamatan atau Kabupaten."),
                field="village",
            )
        return
    if areas:
        raise RuleError(_("Hanya petugas yang diberi wilayah."), field="areas")
    if village is None:
        raise RuleError(_("Pilih desa."), field="village")
    if role == Role.PRODUCER and (group is None or group.village_id != village.id):
        raise RuleError(_("Pilih kelompok usaha di desa ini."), field="group")
    if role == Role.PARTNER and (partner is None or partner.village_id != village.id):
        raise RuleError(_("Pilih lembaga mitra di desa ini."), field="partner")


def set_active(user: User, active: bool, actor) -> None:
    """Switch an account on or off; switching off ends its sessions."""
    if user.id == getattr(actor, "id", None):
        raise RuleError(_("Anda tidak bisa menonaktifkan akun sendiri."))
    user.active = active
    if not active:
        end_all_sessions(user)
    record_change(actor, "activate" if active else "deactivate", "user", user.id, user.village_id)
