"""Opening accounts of every role. Accounts themselves are :mod:`crm.auth`'s; a
reseller's account also gets the reseller profile that the reseller pages build on,
so whoever opens accounts (the officer's form, the CLI, the demo) opens them here."""

from crm.auth.models import Role, User
from crm.auth.services import create_user
from crm.resellers.services import create_profile


def open_account(**fields) -> User:
    """Create an account (:func:`crm.auth.services.create_user` takes ``fields``
    and checks them) and, for a reseller, their profile with a fresh personal code."""
    user = create_user(**fields)
    if user.role == Role.RESELLER:
        create_profile(user)
    return user
