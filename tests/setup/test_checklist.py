"""The checklist "Yang masih kurang" follows what the village really has."""

import pytest

from crm.auth.models import Role
from crm.events.spending_ceilings import set_spending_ceiling
from crm.extensions import db
from crm.setup.checklist import checklist
from crm.text.dates import today_in
from crm.villages.services import set_logo, update_letterhead
from tests import factories
from tests.helpers import reload, text_of


@pytest.fixture
def world(app, make_browser):
    village = factories.village("Katapang", code="32.04.11.2002", letter_code="KTP")
    other = factories.village("Sangkanhurip", code="32.04.11.2001", letter_code="SKH")
    factories.officer(other, username="kesra2")
    factories.admin(username="admin")
    admin = make_browser()
    admin.login("admin")
    return {"village": village, "other": other, "admin": admin}


def _missing(village):
    db.session.expire_all()
    return checklist(reload(village)).missing


def test_the_checklist_reflects_what_the_village_has(world, make_browser):
    village, other = world["village"], world["other"]
    assert _missing(village) == ["officer", "groups", "products", "resellers", "letterhead",
                                 "ceilings"]
    page = text_of(world["admin"].get(f"/pasang/desa/{village.id}"))
    assert "0 dari 6" in page
    # What the other village has does not count here.
    other_group = factories.group(other)
    factories.product(other_group)
    factories.reseller(other)
    set_spending_ceiling(other, today_in().year, "snack", 20_000, None)
    db.session.commit()
    assert len(_missing(village)) == 6

    factories.officer(village, username="kesra")
    group = factories.group(village)
    assert _missing(village) == ["products", "resellers", "letterhead", "ceilings"]
    factories.product(group)
    factories.user(Role.RESELLER, village)
    assert _missing(village) == ["letterhead", "ceilings"]
    update_letterhead(village, {"address": "Jl. Raya 1", "head_name": "H. Asep"}, None)
    db.session.commit()
    assert _missing(village) == ["letterhead", "ceilings"]  # no logo yet
    set_logo(reload(village), "logo.png", None)
    set_spending_ceiling(reload(village), today_in().year - 1, "snack", 20_000, None)
    db.session.commit()
    assert _missing(village) == ["ceilings"]  # last year's do not count
    set_spending_ceiling(reload(village), today_in().year, "meal", 45_000, None)
    db.session.commit()
    assert _missing(village) == []
    assert "Semua sudah siap" in text_of(world["admin"].get(f"/pasang/desa/{village.id}"))
    kesra = make_browser()
    kesra.login("kesra")
    assert "Semua sudah siap" in text_of(kesra.get(f"/pasang/desa/{village.id}"))


def test_an_inactive_officer_does_not_count(world):
    officer = factories.officer(world["village"], username="kesra")
    officer.active = False
    db.session.commit()
    assert "officer" in _missing(world["village"])


def test_the_checklist_is_for_the_villages_officers_and_the_administrator(world, make_browser):
    village = world["village"]
    factories.officer(village, username="kesra")
    factories.producer(village, username="ladu")
    kesra, kesra2, ladu = make_browser(), make_browser(), make_browser()
    kesra.login("kesra"), kesra2.login("kesra2"), ladu.login("ladu")
    page = kesra.get(f"/pasang/desa/{village.id}")
    assert page.status_code == 200
    # The officer is led to their own pages for what is missing.
    html = page.get_data(as_text=True)
    assert 'href="/produk"' in html and f"/desa/{village.id}/kop" in html
    assert kesra2.get(f"/pasang/desa/{village.id}").status_code == 404
    assert ladu.get(f"/pasang/desa/{village.id}").status_code == 403
    assert world["admin"].get(f"/pasang/desa/{village.id}").status_code == 200


def test_the_officers_home_shows_what_is_missing(world, make_browser):
    village = world["village"]
    factories.officer(village, username="kesra")
    kesra = make_browser()
    kesra.login("kesra")
    home = kesra.get("/beranda")
    assert "Yang masih kurang" in text_of(home)
    assert f"/pasang/desa/{village.id}" in home.get_data(as_text=True)
    group = factories.group(village)
    factories.product(group)
    factories.user(Role.RESELLER, village)
    update_letterhead(reload(village), {"address": "Jl. Raya 1", "head_name": "H. Asep"}, None)
    set_logo(reload(village), "logo.png", None)
    set_spending_ceiling(reload(village), today_in().year, "meal", 45_000, None)
    db.session.commit()
    assert "Yang masih kurang" not in text_of(kesra.get("/beranda"))
