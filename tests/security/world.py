"""The Katapang demo plus the accounts of another village, for proofs across every page.

Owners A and B of each role: officer kesra (Katapang) and kesra2 (Sangkanhurip only);
producers ladu and rajut (two groups of Katapang) and opak (Sangkanhurip); resellers
ka and ge; partner contacts pemdes (Pemerintah Desa) and camat (Kecamatan); and the
installation's administrator, admin (no village).
"""

from sqlalchemy import delete, select

from crm.auth.models import Role, SignInThrottle, User
from crm.auth.passwords import hash_password
from crm.auth.services import create_user
from crm.catalog.models import ProducerGroup
from crm.demo.seed import load_demo
from crm.extensions import db
from crm.partners.models import Partner
from crm.villages.models import Village
from tests.helpers import PASSWORD

DEMO_LOGINS = ("kesra", "ladu", "rajut", "ka", "ge", "pemdes", "pmd", "admin")
EXTRA_LOGINS = ("kesra2", "opak", "camat")


def build_world() -> None:
    """Load the demo and add the other owners; every password is ``PASSWORD``."""
    load_demo()
    sangkanhurip = db.session.scalar(select(Village).where(Village.letter_code == "SKH"))
    katapang = db.session.scalar(select(Village).where(Village.letter_code == "KTP"))
    opak = db.session.scalar(select(ProducerGroup).where(ProducerGroup.name.like("Opak%")))
    kecamatan = db.session.scalar(select(Partner).where(Partner.kind == "kecamatan"))
    create_user(username="kesra2", full_name="Officer Sangkanhurip", role=Role.OFFICER,
                password=PASSWORD, assigned_villages=[sangkanhurip])
    create_user(username="opak", full_name="Produsen Opak", role=Role.PRODUCER,
                password=PASSWORD, village=sangkanhurip, group=opak)
    create_user(username="camat", full_name="Staf Kecamatan", role=Role.PARTNER,
                password=PASSWORD, village=katapang, partner=kecamatan)
    restore_accounts()


def restore_accounts() -> None:
    """Every account active, with ``PASSWORD`` and no failed sign-ins counted (tests that post
    anything anywhere may have changed them)."""
    known = hash_password(PASSWORD)
    for user in db.session.scalars(select(User)):
        user.password_hash = known
        user.active = True
    db.session.execute(delete(SignInThrottle))
    db.session.commit()
