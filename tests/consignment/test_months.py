"""The consignment sales kept per group and month (``consignment_months``) equal the
visit lines after every recorded visit; a visit that only collects cash adds none."""

import pytest
from sqlalchemy import select

from crm.consignment import months
from crm.consignment.models import ConsignmentDrop, ConsignmentMonth
from crm.extensions import db
from crm.reports.drift import table_drift
from tests.consignment.helpers import make_outlet, make_world, post_drop, post_visit, today
from tests.helpers import text_of


@pytest.fixture
def world(app):
    return make_world()


def drops_of(outlet) -> list[ConsignmentDrop]:
    db.session.expire_all()
    return list(db.session.scalars(select(ConsignmentDrop).where(
        ConsignmentDrop.outlet_id == outlet.id).order_by(ConsignmentDrop.id)))


def kept(group) -> list[tuple]:
    db.session.expire_all()
    return [(row.month, row.visits, row.sold_value) for row in db.session.scalars(
        select(ConsignmentMonth).where(ConsignmentMonth.group_id == group.id))]


def no_drift() -> bool:
    checked, differences = table_drift(ConsignmentMonth, months.computed_months())
    return checked > 0 and differences == []


def test_visits_add_to_their_month(browser, world):
    outlet = make_outlet(world["ladu"])
    browser.login("ladu")
    post_drop(browser, outlet, world["pak"], 20, unit_price="Rp 12.500", cut_value="12,5")
    post_drop(browser, outlet, world["keripik"], 10, cut_kind="fixed", cut_value="1.000")
    pak, keripik = drops_of(outlet)
    response = post_visit(browser, outlet, {pak.id: (5, 2, 1), keripik.id: (0, 3, "")})
    assert response.status_code == 302, text_of(response)
    month = today().replace(day=1)
    # 12 × Rp 12.500 + 7 × Rp 7.500 (the outlet's cut does not lower the sales)
    assert kept(world["ladu"]) == [(month, 1, 202_500)] and no_drift()
    pak = drops_of(outlet)[0]
    response = post_visit(browser, outlet, {pak.id: (4, 0, 0)}, cash="50.000")
    assert response.status_code == 302, text_of(response)
    assert kept(world["ladu"]) == [(month, 2, 215_000)] and no_drift()
    response = post_visit(browser, outlet, {}, cash="10.000")  # cash only
    assert response.status_code == 302, text_of(response)
    assert kept(world["ladu"]) == [(month, 2, 215_000)] and no_drift()
