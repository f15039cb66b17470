"""The demo's places and people: Katapang and its neighbour Sangkanhurip, the
producer groups and partner institutions of the MRSE study, and the demo logins."""

from datetime import date

from crm.auth.models import Role
from crm.catalog.models import ProducerGroup
from crm.extensions import db
from crm.partners.models import Partner
from crm.resellers.accounts import open_account
from crm.villages.services import create_village


def add_villages():
    """Katapang with its two groups and two partners, and Sangkanhurip with one group:
    ``(katapang, ladu, rajut, pemdes, kecamatan)``."""
    katapang = create_village(
        code="32.04.11.2002",
        name="Katapang",
        kecamatan="Katapang",
        kabupaten="Kabupaten Bandung",
        provinsi="Jawa Barat",
        letter_code="KTP",
        institution_name="Pemerintah Desa Katapang",
        address="Kantor Desa Katapang, Kecamatan Katapang, Kabupaten Bandung, Jawa Barat 40921",
        phone="022-5890123",
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
    ladu = ProducerGroup(
        village=katapang, name="Ladu Ketan RW 09", kind="food", rw="09", rt="02",
        dusun="Dusun 3", chair_name="Ibu Euis", phone="6281200000201", since_year=1999,
        description="Ladu ketan khas Katapang, dibuat tangan oleh ibu-ibu RW 09.",
        bank_name="BJB", bank_account_number="0012345678901",
        bank_account_name="Kelompok Ladu Ketan RW 09", pirt_number="2063204010123-29",
        halal_number="ID32110000123450724", halal_expires_on=date(2028, 7, 1),
    )
    rajut = ProducerGroup(
        village=katapang, name="Tas Rajut RW 09", kind="craft", rw="09", rt="01",
        dusun="Dusun 3", chair_name="Ibu Neneng", phone="6281200000202", since_year=2004,
        description="Tas rajut benang katun dan nilon, warna dan ukuran bisa dipesan.",
        bank_name="BRI", bank_account_number="123401000456501",
        bank_account_name="Kelompok Tas Rajut RW 09", nib="9120301234567",
    )
    opak = ProducerGroup(village=sangkanhurip, name="Opak Sangkanhurip", kind="food")
    pemdes = Partner(
        village=katapang, name="Pemerintah Desa Katapang", kind="pemdes",
        unit="Sekretariat Desa", address="Kantor Desa Katapang, Jl. Raya Katapang",
        contact_name="Drs. Ujang Suryana", contact_position="Sekretaris Desa",
        phone="6281200000401",
    )
    kecamatan = Partner(
        village=katapang, name="Kecamatan Katapang", kind="kecamatan",
        unit="Seksi Pemberdayaan Masyarakat", address="Jl. Raya Soreang-Katapang No. 1",
        contact_name="Hj. Nani Rohaeni", contact_position="Kasi Pemberdayaan Masyarakat",
    )
    db.session.add_all([ladu, rajut, opak, pemdes, kecamatan])
    db.session.flush()

    return katapang, ladu, rajut, pemdes, kecamatan


def open_accounts(katapang, ladu, rajut, pemdes, password: str):
    """The officer, a producer of each Katapang group, resellers KA and GE, the
    Pemdes contact, the Kecamatan's empowerment officer (who sees every village of
    Kecamatan Katapang) and the installation's administrator, all with ``password``:
    the accounts by login name, and ``(login, role, description)`` for each login."""
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
        dict(username="pmd", full_name="Dedi Supriadi (Seksi PMD Kecamatan Katapang)",
             role=Role.OFFICER, phone="081200000102", areas=[katapang.code[:8]]),
        dict(username="admin", full_name="Administrator MRSE", role=Role.ADMIN),
    ]
    logins, users = [], {}
    for person in people:
        user = open_account(password=password, **person)
        users[user.username] = user
        logins.append((user.username, user.role, user.full_name))
    return users, logins
