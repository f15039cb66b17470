"""Reseller profiles (shop links, WhatsApp) and onboarding with mentoring visits."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from crm.extensions import db
from crm.resellers.models import StageChange
from tests import factories
from tests.helpers import profile_of, text_of


@pytest.fixture
def world(app):
    a = factories.village("Katapang")
    b = factories.village("Sangkanhurip")
    factories.officer(a, username="kesra", full_name="Rina Kesra")
    factories.officer(b, username="kesrab")
    ka = factories.reseller(a, username="ka", full_name="Kiki Aulia")
    ge = factories.reseller(a, username="ge", full_name="Gilang Eka")
    rb = factories.reseller(b, username="rb", full_name="Rudi Budiman")
    return {"ka": ka, "ge": ge, "rb": rb}


def test_reseller_fills_shop_links_and_whatsapp(browser, world):
    browser.login("ka")
    page = browser.get("/reseller/profil")
    assert "Halaman publik Anda belum aktif" in text_of(page)
    assert "/katalog/r/" not in page.get_data(as_text=True)
    response = browser.submit("/reseller/profil", {
        "whatsapp": "0812-3456-7890", "karang_taruna": "y",
        "shopee_url": "shopee.co.id/kiki.katapang",
        "instagram_url": "https://instagram.com/kiki", "whatsapp_business": "0812 3456 7890",
    })
    assert response.status_code == 302
    profile = profile_of(world["ka"])
    assert profile.whatsapp == "6281234567890"
    assert profile.karang_taruna is True
    assert profile.shopee_url == "https://shopee.co.id/kiki.katapang"
    assert profile.instagram_url == "https://instagram.com/kiki"


@pytest.mark.parametrize("data, message", [
    ({"whatsapp": "12345"}, "Nomor WhatsApp tidak dikenali"),
    ({"shopee_url": "javascript:alert(1)"}, "Tulis alamat toko lengkap"),
    ({"facebook_url": "toko saya"}, "Tulis alamat toko lengkap"),
    ({"other_url": "x" * 400}, "Field cannot be longer than 300 characters."),
])
def test_bad_profile_input_is_refused_and_changes_nothing(browser, world, data, message):
    browser.login("ka")
    before = profile_of(world["ka"])
    snapshot = (before.whatsapp, before.shopee_url, before.facebook_url, before.other_url)
    response = browser.submit("/reseller/profil", data)
    assert response.status_code == 200
    assert message in text_of(response) or message.replace("Field", "Isian") in text_of(response)
    after = profile_of(world["ka"])
    assert (after.whatsapp, after.shopee_url, after.facebook_url, after.other_url) == snapshot


def test_officer_records_mentoring_and_sees_who_needs_it(browser, world):
    ka, ge = profile_of(world["ka"]), profile_of(world["ge"])
    # GE was last seen six weeks ago; KA has a visit planned next week.
    ge.stage_since = date.today() - timedelta(days=42)
    ka.next_mentoring_on = date.today() + timedelta(days=7)
    db.session.commit()
    browser.login("kesra")
    due = text_of(browser.get("/reseller?perlu=1"))
    assert "Gilang Eka" in due and "Kiki Aulia" not in due
    assert "Rudi Budiman" not in text_of(browser.get("/reseller"))
    visit = (date.today() - timedelta(days=1)).isoformat()
    # The mentor is chosen among the officers of the village.
    officer_id = browser.get(f"/reseller/{ge.id}").get_data(as_text=True).split(
        'name="mentor_id"')[1].split('value="')[1].split('"')[0]
    response = browser.submit(f"/reseller/{ge.id}/pendampingan", {
        "stage": "tools", "on_date": visit, "mentor_id": officer_id,
        "note": "Belajar WhatsApp Business",
        "next_date": (date.today() + timedelta(days=14)).isoformat(),
    }, page=f"/reseller/{ge.id}")
    assert response.status_code == 302
    ge = profile_of(world["ge"])
    assert ge.stage == "tools" and ge.last_mentored_on.isoformat() == visit
    assert ge.mentor.full_name == "Rina Kesra"
    changes = db.session.scalars(select(StageChange).where(StageChange.profile_id == ge.id))
    assert [c.note for c in changes] == ["Belajar WhatsApp Business"]
    assert "Gilang Eka" not in text_of(browser.get("/reseller?perlu=1"))
    detail = text_of(browser.get(f"/reseller/{ge.id}"))
    assert "Pengenalan alat" in detail and "Belajar WhatsApp Business" in detail


def test_mentoring_in_the_future_is_refused(browser, world):
    ge = profile_of(world["ge"])
    browser.login("kesra")
    html = browser.get(f"/reseller/{ge.id}").get_data(as_text=True)
    officer_id = html.split('name="mentor_id"')[1].split('value="')[1].split('"')[0]
    response = browser.submit(f"/reseller/{ge.id}/pendampingan", {
        "stage": "operation", "on_date": (date.today() + timedelta(days=3)).isoformat(),
        "mentor_id": officer_id,
    }, page=f"/reseller/{ge.id}")
    assert response.status_code == 400
    assert "tidak boleh di masa depan" in text_of(response)
    assert profile_of(world["ge"]).stage == "socialisation"
    assert db.session.scalar(select(StageChange)) is None


def test_profiles_are_scoped(browser, make_browser, world):
    browser.login("kesrab")
    ka = profile_of(world["ka"])
    assert browser.get(f"/reseller/{ka.id}").status_code == 404
    assert browser.submit(f"/reseller/{ka.id}/pendampingan", {"stage": "tools"},
                          page="/reseller").status_code == 404
    reseller = make_browser()
    reseller.login("ge")
    assert reseller.get("/reseller").status_code == 403
    assert reseller.get(f"/reseller/{ka.id}").status_code == 403


def test_reseller_dashboard_shows_code_and_claims(browser, world):
    browser.login("ka")
    page = text_of(browser.get("/beranda"))
    assert "kode KA" in page and "Pilih produk untuk dijual" in page
