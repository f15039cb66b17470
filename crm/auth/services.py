"""Accounts: sign-in with throttling, sessions, passwords and account creation.

Services flush and never commit; the request (or CLI command) commits once.
"""

import re
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from crm.audit.services import record_change
from crm.auth.models import Role, User, new_session_token
from crm.auth.passwords import (
    burn_verification_time,
    check_new_password,
    hash_password,
    needs_rehash,
    verify_password,
)
from crm.dbtypes import utcnow
from crm.extensions import db
from crm.i18n import gettext as _
from crm.phones import PhoneError, looks_like_phone, normalise_phone
from crm.rules import RuleError

USERNAME_RE = re.compile(r"^[a-z][a-z0-9._-]{1,39}$")


@dataclass
class SignIn:
    """Outcome of a sign-in attempt: the user, or why it failed."""

    user: User | None = None
    locked: bool = False


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


def authenticate(login: str, password: str) -> SignIn:
    """Check a sign-in; count failures per account in the database.

    After ``LOGIN_MAX_FAILURES`` failures in a row the account is locked for
    ``LOGIN_LOCK_MINUTES``; while locked even the right password is refused. The
    counter is updated with one SQL statement, so several workers agree.
    """
    user = find_user_by_login(login)
    if user is None or not user.active:
        burn_verification_time()
        return SignIn()
    now = utcnow()
    if user.locked_until is not None and user.locked_until > now:
        return SignIn(locked=True)
    if not verify_password(user.password_hash, password or ""):
        _register_failure(user)
        return SignIn(locked=user.locked_until is not None and user.locked_until > now)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    db.session.flush()
    return SignIn(user=user)


def _register_failure(user: User) -> None:
    cfg = current_app.config
    db.session.execute(
        update(User).where(User.id == user.id).values(failed_logins=User.failed_logins + 1)
    )
    lock_until = utcnow() + timedelta(minutes=cfg["LOGIN_LOCK_MINUTES"])
    db.session.execute(
        update(User)
        .where(User.id == user.id, User.failed_logins >= cfg["LOGIN_MAX_FAILURES"])
        .values(failed_logins=0, locked_until=lock_until)
    )
    db.session.refresh(user)


def end_all_sessions(user: User) -> None:
    """Invalidate every session of ``user`` (copied cookies included)."""
    user.session_token = new_session_token()
    db.session.flush()


def change_password(user: User, current: str, new: str) -> None:
    """Change the user's own password after checking the current one."""
    if not verify_password(user.password_hash, current or ""):
        raise RuleError(_("Kata sandi lama salah."), field="current_password")
    set_password(user, new, actor=user)


def set_password(user: User, new: str, actor=None) -> None:
    """Set a new password and end all of the user's sessions."""
    check_new_password(new, user.username)
    user.password_hash = hash_password(new)
    user.password_changed_at = utcnow()
    user.failed_logins = 0
    user.locked_until = None
    end_all_sessions(user)
    record_change(actor, "password_set", "user", user.id, user.village_id)


def create_user(
    *,
    username: str,
    full_name: str,
    role: Role | str,
    password: str,
    phone: str | None = None,
    village=None,
    group=None,
    partner=None,
    assigned_villages=(),
    actor=None,
) -> User:
    """Create an account after checking name, phone, password and role links."""
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
    check_new_password(password, username)
    _check_role_links(role, village, group, partner, assigned_villages)
    user = User(
        username=username,
        full_name=full_name,
        role=role.value,
        phone=phone,
        password_hash=hash_password(password),
        village_id=village.id if village is not None else None,
        group_id=group.id if group is not None else None,
        partner_id=partner.id if partner is not None else None,
        password_changed_at=utcnow(),
    )
    user.assigned_villages = list(assigned_villages)
    db.session.add(user)
    db.session.flush()
    if role == Role.RESELLER:
        from crm.resellers.services import create_profile  # resellers build on accounts

        create_profile(user)
    record_change(
        actor, "create", "user", user.id, user.village_id, {"username": username, "role": role}
    )
    return user


def _check_role_links(role, village, group, partner, assigned_villages) -> None:
    if role == Role.OFFICER:
        if not assigned_villages:
            raise RuleError(_("Petugas harus ditugaskan ke minimal satu desa."), field="village")
        return
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
