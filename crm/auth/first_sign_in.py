"""First sign-in without a shared password.

An account opened by someone else (an officer, an administrator, an import) starts
without a password. Its owner gets a one-time link, handed over by WhatsApp, that
opens a page where they choose their password and are signed in. Only the SHA-256 of
the link's token is stored; a new link voids the old one, and a link works once and
for :data:`LINK_DAYS` days.
"""

import hashlib
import secrets
from datetime import timedelta

from flask import url_for
from sqlalchemy import select, update

from crm.audit.services import record_change
from crm.auth.models import User
from crm.auth.passwords import check_new_password
from crm.auth.services import set_password
from crm.db.types import utcnow
from crm.extensions import db
from crm.text.phones import whatsapp_link, whatsapp_share_link
from crm.web.errors import RuleError
from crm.web.i18n import gettext as _

LINK_DAYS = 14


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_link(user: User, actor) -> str:
    """Give ``user`` a new first sign-in link (the old one stops working) and return
    its absolute URL. Only the link's hash is kept: show the URL now or never."""
    token = secrets.token_urlsafe(24)  # 192 bits
    user.first_sign_in_hash = _digest(token)
    user.first_sign_in_expires_at = utcnow() + timedelta(days=LINK_DAYS)
    db.session.flush()
    record_change(actor, "first_sign_in_link", "user", user.id, user.village_id)
    return url_for("auth.first_sign_in", token=token, _external=True)


def user_for_token(token: str) -> User | None:
    """The active account whose unexpired link carries ``token``, or None."""
    if not token or len(token) > 64:
        return None
    user = db.session.scalar(select(User).where(User.first_sign_in_hash == _digest(token)))
    if user is None or not user.active or user.first_sign_in_expires_at is None:
        return None
    if user.first_sign_in_expires_at < utcnow():
        return None
    return user


def complete_first_sign_in(user: User, token: str, password: str) -> None:
    """Set the password chosen on the link's page and use the link up. The link is
    taken with one guarded UPDATE, so of two pages sent at once only one sets the
    password."""
    check_new_password(password, user.username)
    taken = db.session.execute(
        update(User)
        .where(User.id == user.id, User.first_sign_in_hash == _digest(token))
        .values(first_sign_in_hash=None, first_sign_in_expires_at=None)
    ).rowcount
    if taken != 1:
        raise RuleError(_("Tautan ini sudah dipakai. Silakan masuk dengan kata sandi Anda."))
    set_password(user, password, actor=user)


def whatsapp_invite(user: User, url: str) -> str:
    """A wa.me link with a message carrying ``url`` to ``user``'s phone (or, without
    a phone, one that lets the sender pick the chat)."""
    text = _(
        "Halo %(name)s, akun MRSE Anda sudah dibuat (nama pengguna: %(username)s). "
        "Buka tautan ini untuk membuat kata sandi dan masuk: %(url)s "
        "Tautan hanya berlaku sekali, selama %(days)d hari.",
        name=user.full_name, username=user.username, url=url, days=LINK_DAYS,
    )
    return whatsapp_link(user.phone, text) if user.phone else whatsapp_share_link(text)
