"""Officers with a Kecamatan or Kabupaten area see every village in it, including
villages set up later; administrators see none of the villages' records."""

import pytest
from sqlalchemy import func, select

from crm.auth.models import OfficerArea, Role
from crm.auth.permissions import visible_village_ids
from crm.extensions import db
from crm.villages.queries import villages_visible_to
from crm.web.errors import RuleError
from tests import factories


def ids(user):
    return set(db.session.scalars(visible_village_ids(user)))


def test_an_area_covers_villages_by_their_code_also_those_added_later(app):
    katapang = factories.village("Katapang", code="32.04.11.2002")
    other_kecamatan = factories.village("Soreang", code="32.04.12.2001")
    other_kabupaten = factories.village("Cimahi", code="32.77.01.1001")
    camat = factories.user(Role.OFFICER, villages=[], areas=["32.04.11"], username="camat")
    bupati = factories.user(Role.OFFICER, villages=[], areas=["32.04"], username="dinas")
    assert ids(camat) == {katapang.id}
    assert ids(bupati) == {katapang.id, other_kecamatan.id}
    later = factories.village("Sangkanhurip", code="32.04.11.2003")
    assert ids(camat) == {katapang.id, later.id}
    assert other_kabupaten.id not in ids(bupati)


def test_assigned_villages_and_areas_add_up(app):
    katapang = factories.village("Katapang", code="32.04.11.2002")
    cimahi = factories.village("Cimahi", code="32.77.01.1001")
    officer = factories.user(Role.OFFICER, villages=[cimahi], areas=["32.04.11"])
    assert ids(officer) == {katapang.id, cimahi.id}


def test_an_administrator_lists_villages_but_sees_no_records(app, browser):
    katapang = factories.village("Katapang", code="32.04.11.2002")
    admin = factories.admin(username="admin")
    assert ids(admin) == set()
    assert db.session.scalars(villages_visible_to(admin)).all() == [katapang]
    browser.login("admin")
    assert browser.get(f"/desa/{katapang.id}").status_code == 403
    assert browser.get("/desa/").status_code == 403


def test_area_codes_are_checked(app):
    for bad in ("32", "32.04.1", "3204", "32.04.11.2002"):
        with pytest.raises(RuleError):
            factories.user(Role.OFFICER, villages=[], areas=[bad])
        db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(OfficerArea)) == 0
