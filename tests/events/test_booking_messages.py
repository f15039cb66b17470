"""The WhatsApp messages of a catering booking: the officer (or the institution's
contact) writes to each producer group about its part, the officer to the
institution's contact about the whole booking, a producer to whoever coordinates
it. Each greets the recipient, not the sender, with the step, the booking number and
the amount that matters to the recipient."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from crm.events.booking_steps import change_booking_status
from crm.events.catering import book_catering
from crm.extensions import db
from crm.text.dates import today_in
from tests import factories
from tests.helpers import reload, user, whatsapp_messages

WIB = ZoneInfo("Asia/Jakarta")
LADU_PHONE = "6281200000201"
KUE_PHONE = "6281200000202"
OFFICER_PHONE = "6281200000401"
PARTNER_PHONE = "6281200000501"


@pytest.fixture
def world(app):
    a = factories.village("Katapang")
    ladu = factories.group(a, "Ladu Ketan RW 09", phone=LADU_PHONE)
    kue = factories.group(a, "Kue Basah RW 03", phone=KUE_PHONE)
    pemdes = factories.partner(a, "Pemerintah Desa Katapang", contact_name="Pak Sekdes",
                               phone=PARTNER_PHONE)
    factories.officer(a, username="kesra", full_name="Bu Kasi Kesra",
                      phone="081200000401")
    factories.producer(a, ladu, username="ladu", full_name="Ibu Euis")
    factories.producer(a, kue, username="kue", full_name="Ibu Neneng")
    factories.partner_contact(a, pemdes, username="pemdes", full_name="Pak Sekdes")
    snack = factories.product(ladu, "Ladu Ketan Box", made_to_order=True,
                              daily_capacity=50, retail_price=15_000)
    lapis = factories.product(kue, "Kue Lapis", made_to_order=True, daily_capacity=80,
                              cost_price=3_000, reseller_price=4_000, retail_price=5_000)
    starts = datetime.combine(today_in() + timedelta(days=3), time(9), WIB).astimezone(UTC)
    event = factories.event(pemdes, starts, actor=user("kesra"), place="Balai Desa Katapang")
    return {"ladu": ladu, "kue": kue, "snack": snack, "lapis": lapis, "event": event}


def booking(world, actor="kesra"):
    """20 boxes of ladu (Rp 300.000) and 40 kue lapis (Rp 200.000): Rp 500.000."""
    event = reload(world["event"])
    outcome = book_catering(event, {
        "kind": "snack", "deliver_at": event.starts_at - timedelta(minutes=30),
        "deliver_place": "", "dietary_notes": ""}, [
        {"group_id": world["ladu"].id, "product_id": world["snack"].id, "quantity": 20},
        {"group_id": world["kue"].id, "product_id": world["lapis"].id, "quantity": 40},
    ], user(actor))
    db.session.commit()
    return outcome.booking


def messages(browser, login, made) -> dict[str, str]:
    """``{phone: text}`` of the booking page's WhatsApp links (``login``: sign in first)."""
    if login:
        browser.login(login)
    found = whatsapp_messages(browser.get(f"/pesanan-acara/{made.id}"))
    return {phone: text.replace("\xa0", " ") for phone, text in found}


def test_officer_asks_each_group_for_its_part_and_tells_the_institution(browser, world):
    made = booking(world)
    sent = messages(browser, "kesra", made)
    assert set(sent) == {LADU_PHONE, KUE_PHONE, PARTNER_PHONE}
    ladu = sent[LADU_PHONE]
    assert ladu.startswith("Halo Ladu Ketan RW 09, saya Bu Kasi Kesra.")
    assert f"pesanan konsumsi #{made.id}" in ladu and "20 × Ladu Ketan Box" in ladu
    assert "Bagian Ladu Ketan RW 09: Rp 300.000" in ladu and "Kue Lapis" not in ladu
    assert "Mohon dikonfirmasi" in ladu
    assert sent[KUE_PHONE].startswith("Halo Kue Basah RW 03,")
    assert "Rp 200.000" in sent[KUE_PHONE]
    partner = sent[PARTNER_PHONE]
    assert partner.startswith("Halo Pak Sekdes,") and "Halo Bu Kasi" not in partner
    assert "Jumlah Rp 500.000" in partner and "sudah kami catat" in partner


def test_producer_writes_to_the_coordinator_about_its_own_part(browser, world):
    made = booking(world)
    sent = messages(browser, "ladu", made)
    assert list(sent) == [OFFICER_PHONE]
    text = sent[OFFICER_PHONE]
    assert text.startswith("Halo Bu Kasi Kesra,") and "Halo Ladu" not in text
    assert f"#{made.id}" in text and "sudah kami terima" in text
    assert "Kue Lapis" not in text  # another group's part is not the producer's to tell
    change_booking_status(reload(made), "confirm", user("ladu"))
    db.session.commit()
    text = messages(browser, None, made)[OFFICER_PHONE]
    assert "sudah kami konfirmasi" in text and "Bagian kami: Rp 300.000" in text


@pytest.mark.parametrize(("status", "to_group", "to_partner"), [
    ("delivered", "sudah diterima", "sudah diantar"),
    ("invoiced", "faktur", "Mohon dibayar"),
    ("paid", "sudah dilunasi", "sudah kami terima"),
])
def test_each_later_step_says_what_happened(browser, world, status, to_group, to_partner):
    made = booking(world)
    officer = user("kesra")
    for step in ("confirm", "deliver", "invoice", "pay"):
        change_booking_status(reload(made), step, officer)
        db.session.commit()
        if reload(made).status == status:
            break
    sent = messages(browser, "kesra", made)
    assert to_group in sent[LADU_PHONE] and "Rp 300.000" in sent[LADU_PHONE]
    assert to_partner in sent[PARTNER_PHONE] and "Rp 500.000" in sent[PARTNER_PHONE]


def test_cancelled_booking_says_who_cancelled_and_why(browser, make_browser, world):
    made = booking(world, actor="pemdes")
    change_booking_status(reload(made), "cancel", user("pemdes"), reason="rapat ditunda")
    db.session.commit()
    sent = messages(browser, "pemdes", made)
    # The institution's contact writes to the groups only (it is the institution).
    assert set(sent) == {LADU_PHONE, KUE_PHONE}
    assert sent[LADU_PHONE].startswith("Halo Ladu Ketan RW 09,")
    assert "dibatalkan oleh Pak Sekdes: rapat ditunda" in sent[LADU_PHONE]
    # The producer answers the one who booked: the contact (no phone of his own, so
    # the institution's number).
    text = messages(make_browser(), "kue", made)[PARTNER_PHONE]
    assert text.startswith("Halo Pak Sekdes,") and "oleh Pak Sekdes" in text
    assert "rapat ditunda" in text and "Salam, Kue Basah RW 03" in text
