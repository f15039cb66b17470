"""The Katapang demo: the MRSE study's village, its groups, resellers and partners.

Later features add their demo records here, through their own services.
"""

from sqlalchemy import func, select

from crm.auth.models import Role, User
from crm.auth.services import create_user
from crm.catalog.models import ProducerGroup
from crm.events.models import Partner
from crm.extensions import db
from crm.villages.models import Village
from crm.villages.services import create_village

# Printed by `flask crm demo` and written in the README: demo data only.
DEMO_PASSWORD = "mrse-demo-2026"  # noqa: S105


def database_is_empty() -> bool:
    """True when there is no village and no user yet."""
    return not (
        db.session.scalar(select(func.count()).select_from(Village))
        or db.session.scalar(select(func.count()).select_from(User))
    )


def load_demo() -> list[tuple[str, str, str]]:
    """Create the demo records; return ``(login, role, description)`` for each login."""
    katapang = create_village(
        code="32.04.11.2002",
        name="Katapang",
        kecamatan="Katapang",
        kabupaten="Kabupaten Bandung",
        provinsi="Jawa Barat",
        letter_code="KTP",
        institution_name="Pemerintah Desa Katapang",
        address="Kantor Desa Katapang, Kecamatan Katapang, Kabupaten Bandung, Jawa Barat 40921",
        phone="6222000000",
        email="desa.katapang@example.id",
        head_name="H. Asep Saepudin",
    )
    sangkanhurip = create_village(
        code="32.04.11.2001",
        name="Sangkanhurip",
        kecamatan="Katapang",
        kabupaten="Kabupaten Bandung",
        provinsi="Jawa Barat",
        letter_code="SKH",
        head_name="Dedi Kurnia",
    )
    ladu = ProducerGroup(village=katapang, name="Ladu Ketan RW 09", kind="food")
    rajut = ProducerGroup(village=katapang, name="Tas Rajut RW 09", kind="craft")
    opak = ProducerGroup(village=sangkanhurip, name="Opak Sangkanhurip", kind="food")
    pemdes = Partner(village=katapang, name="Pemerintah Desa Katapang", kind="pemdes")
    kecamatan = Partner(village=katapang, name="Kecamatan Katapang", kind="kecamatan")
    db.session.add_all([ladu, rajut, opak, pemdes, kecamatan])
    db.session.flush()

    people = [
        dict(username="kesra", full_name="Rina Marlina (Kasi Kesra)", role=Role.OFFICER,
             phone="081200000101", assigned_villages=[katapang]),
        dict(username="ladu", full_name="Ibu Euis (Ladu Ketan RW 09)", role=Role.PRODUCER,
             phone="081200000201", village=katapang, group=ladu),
        dict(username="rajut", full_name="Ibu Neneng (Tas Rajut RW 09)", role=Role.PRODUCER,
             phone="081200000202", village=katapang, group=rajut),
        dict(username="ka", full_name="Kiki Aulia (KA)", role=Role.RESELLER,
             phone="081200000301", village=katapang),
        dict(username="ge", full_name="Gilang Eka (GE)", role=Role.RESELLER,
             phone="081200000302", village=katapang),
        dict(username="pemdes", full_name="Sekretariat Desa Katapang", role=Role.PARTNER,
             phone="081200000401", village=katapang, partner=pemdes),
    ]
    logins = []
    for person in people:
        user = create_user(password=DEMO_PASSWORD, **person)
        logins.append((user.username, user.role, user.full_name))
    return logins
