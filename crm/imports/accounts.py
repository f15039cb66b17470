"""Accounts for imported members and resellers: a user name made from the person's
name, no password (the person chooses one through a one-time first sign-in link that
the officer hands over by WhatsApp)."""

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import select

from crm.auth import first_sign_in
from crm.auth.models import Role, User
from crm.extensions import db
from crm.resellers.accounts import open_account

STEM_LENGTH = 30
CANDIDATES = 20  # user names tried by equality before a scan


@dataclass
class NewAccount:
    """An account an import opened, with its first sign-in link and the WhatsApp
    link that hands it over (shown once, after the saving)."""

    user: User
    url: str
    whatsapp: str


def username_stem(full_name: str) -> str:
    """``"Siti Aminah"`` → ``"siti.aminah"``: the first two words of the name in
    plain lower-case letters and digits, starting with a letter."""
    plain = unicodedata.normalize("NFKD", full_name or "").encode("ascii", "ignore")
    words = re.findall(r"[a-z0-9]+", plain.decode().lower())
    stem = ".".join(words[:2])[:STEM_LENGTH].strip(".")
    if not stem or not stem[0].isalpha():
        stem = ("u" + stem)[:STEM_LENGTH]
    return stem if len(stem) >= 2 else stem + "1"


def free_username(full_name: str) -> str:
    """A user name from ``full_name`` that no account has: the stem, else the stem
    with the first free number (``siti.aminah2``). The first candidates are looked up
    by equality (the unique index answers); only a very common name needs a scan."""
    stem = username_stem(full_name)
    candidates = [stem] + [f"{stem}{number}" for number in range(2, CANDIDATES + 1)]
    taken = set(db.session.scalars(select(User.username).where(
        User.username.in_(candidates))))
    free = next((name for name in candidates if name not in taken), None)
    if free is not None:
        return free
    taken = set(db.session.scalars(select(User.username).where(
        User.username.like(stem + "%"))))
    number = CANDIDATES + 1
    while f"{stem}{number}" in taken:
        number += 1
    return f"{stem}{number}"


def open_imported_account(village, full_name: str, phone: str, role: Role, actor,
                          group=None) -> NewAccount:
    """Open the account of an imported member (``role`` producer, with ``group``) or
    reseller, without a password, and issue its first sign-in link."""
    user = open_account(username=free_username(full_name), full_name=full_name, role=role,
                        password=None, phone=phone, village=village, group=group,
                        actor=actor)
    url = first_sign_in.issue_link(user, actor)
    return NewAccount(user=user, url=url, whatsapp=first_sign_in.whatsapp_invite(user, url))
