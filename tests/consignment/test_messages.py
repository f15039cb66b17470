"""The WhatsApp messages a producer group sends the owner of a warung or market stall:
after leaving goods and after a visit, greeting the owner (not the group) with the
goods, prices and the money that matters."""

import pytest
from sqlalchemy import select

from crm.consignment.models import ConsignmentDrop, ConsignmentVisit
from crm.extensions import db
from tests.consignment.helpers import make_outlet, make_world, post_drop, post_visit
from tests.helpers import whatsapp_message

OWNER_PHONE = "6281298765432"


@pytest.fixture
def world(app):
    return make_world()


def message(browser, url) -> tuple[str, str]:
    phone, text = whatsapp_message(browser.get(url))
    return phone, text.replace("\xa0", " ")


@pytest.mark.parametrize("login", ["ladu", "kesra"])
def test_drop_message_tells_the_owner_what_was_left_at_what_price(browser, world, login):
    outlet = make_outlet(world["ladu"])
    browser.login(login)
    response = post_drop(browser, outlet, world["pak"], 12, unit_price="10.000")
    assert response.status_code == 302
    drop = db.session.scalar(select(ConsignmentDrop))
    phone, text = message(browser, f"/titip/taruh/{drop.id}")
    assert phone == OWNER_PHONE
    assert text.startswith("Halo Bu Imas, kami dari Ladu Ketan RW 09 sudah menitipkan")
    assert "Halo Ladu" not in text and "Halo Ibu Euis" not in text
    assert "12 × Ladu Ketan Pak" in text and "Rp 10.000 per barang" in text
    assert "potongan warung 10%" in text and "Nilai titipan: Rp 120.000" in text
    assert "paling lambat" in text  # the product keeps 5 days
    # The outlet page, where the drop form leads back to, lists what is on the shelf.
    phone, text = message(browser, f"/titip/warung/{outlet.id}")
    assert phone == OWNER_PHONE and text.startswith("Halo Bu Imas, kami dari Ladu Ketan")
    assert "12 × Ladu Ketan Pak @ Rp 10.000" in text


def test_visit_message_gives_what_sold_the_cash_and_what_is_still_owed(browser, world):
    outlet = make_outlet(world["ladu"])
    browser.login("ladu")
    post_drop(browser, outlet, world["pak"], 10, unit_price="10.000", cut_value="0")
    drop = db.session.scalar(select(ConsignmentDrop))
    # 6 sold at Rp 10.000 = Rp 60.000 due; Rp 50.000 paid; Rp 10.000 left.
    response = post_visit(browser, outlet, {drop.id: (4, "", "")}, cash="50.000")
    assert response.status_code == 302
    visit = db.session.scalar(select(ConsignmentVisit))
    phone, text = message(browser, f"/titip/kunjungan/{visit.id}")
    assert phone == OWNER_PHONE
    assert text.startswith("Halo Bu Imas, terima kasih atas kunjungan Ladu Ketan RW 09")
    assert "Halo Ladu" not in text
    assert "Yang laku: 6 × Ladu Ketan Pak" in text
    assert "Tagihan kunjungan ini Rp 60.000" in text and "uang diterima Rp 50.000" in text
    assert "sisa utang Rp 10.000" in text and f"(kunjungan #{visit.id})" in text
    phone, text = message(browser, f"/titip/warung/{outlet.id}")
    assert "Uang titipan yang belum disetor: Rp 10.000" in text
