"""A village with everyone in it, for one browser journey: made with the test
factories (the same services as the app), each under its own names, so journeys
never share records."""

import itertools
from dataclasses import dataclass
from datetime import date, timedelta

from crm.extensions import db
from crm.partners.services import create_partnership
from tests import factories

_phone = itertools.count(100)


def _next_phone() -> str:
    return f"08121{next(_phone):07d}"


@dataclass
class Village:
    """What one journey starts from."""

    tag: str
    village: object
    ladu: object  # ladu ketan group
    balok: object  # kue balok group
    ladu_maker: object
    balok_maker: object
    officer: object
    reseller: object
    partner: object
    snack: object
    kue: object
    partnership: object

    def login(self, who: str) -> str:
        return getattr(self, who).username


def katapang(tag: str) -> Village:
    """Desa Katapang (its letter code and user names carry ``tag``) with two snack
    groups and a product of each (made to order), an officer, a producer of each
    group, a reseller, the village government as a partner and a partnership with
    both groups."""
    # Letter numbers are unique across villages: each village its own letter code.
    village = factories.village("Katapang", letter_code="KTP" + tag.upper())
    ladu = factories.group(village, "Ladu Ketan RW 09")
    balok = factories.group(village, "Kue Balok RW 05")
    ladu.phone, balok.phone = "62" + _next_phone()[1:], "62" + _next_phone()[1:]
    db.session.commit()
    officer = factories.officer(village, username=f"kesra{tag}", full_name="Ibu Kasi Kesra",
                                phone=_next_phone())
    ladu_maker = factories.producer(village, ladu, username=f"ladu{tag}",
                                    full_name="Ibu Enok", phone=_next_phone())
    balok_maker = factories.producer(village, balok, username=f"balok{tag}",
                                     full_name="Ibu Iis", phone=_next_phone())
    reseller = factories.reseller(village, username=f"ka{tag}", full_name="Kiki Aulia",
                                  phone=_next_phone())
    partner = factories.partner(village, "Pemerintah Desa Katapang")
    snack = factories.product(
        ladu, "Ladu Ketan Original", made_to_order=True, daily_capacity=200,
        description="Ladu ketan gurih-manis, 250 gram per pak.", cost_price=9_000,
        reseller_price=12_000, retail_price=15_000)
    kue = factories.product(
        balok, "Kue Balok Cokelat", made_to_order=True, daily_capacity=200,
        description="Kue balok lembut isi cokelat, 4 potong per kotak.", cost_price=6_000,
        reseller_price=8_000, retail_price=10_000)
    today = date.today()
    partnership = create_partnership(partner, [ladu, balok], {
        "title": "Penyediaan makanan ringan lokal untuk rapat desa",
        "scope": "Snack box untuk setiap rapat Pemerintah Desa.",
        "price_terms": "Rp 15.000 per orang, dibayar 14 hari setelah kuitansi.",
        "starts_on": today, "ends_on": today + timedelta(days=365),
    }, officer)
    db.session.commit()
    return Village(tag, village, ladu, balok, ladu_maker, balok_maker, officer, reseller,
                   partner, snack, kue, partnership)
