"""The pages with charts in a real browser (phone and desktop): every chart is drawn
and has its accessible name, and axe-core finds no serious or critical violation (the
journey runs it on every page it opens, with touch-target and sideways-scroll checks).
Screenshots land with the other journeys'."""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from crm.extensions import db
from crm.proposals import services
from crm.reports.models import OtherSale
from crm.reports.queries import current_month
from tests import factories
from tests.browser.seeding import katapang
from tests.proposals.conftest import values

pytestmark = pytest.mark.slow

WIB = ZoneInfo("Asia/Jakarta")


def _with_sales(place) -> None:
    """Sales through the reseller in two months, a baseline, other sales recorded for
    last month only: every kind of bar and the baseline mark are drawn."""
    place.ladu.baseline_monthly_turnover = 1_500_000
    last = current_month().shift(-1)
    for month, quantity in ((last, 40), (last.shift(-1), 15)):
        when = datetime.combine(month.first_day.replace(day=10), time(10), WIB)
        factories.order(place.reseller, [(place.snack, quantity)],
                        when=when.astimezone(UTC))
    db.session.add(OtherSale(group_id=place.ladu.id, village_id=place.village.id,
                             month=last.first_day, sold_on=last.first_day, whole_month=True,
                             channel="market", amount=1_200_000))
    db.session.commit()


def _proposal(place):
    outcome = services.create_proposal(place.ladu, values(), place.ladu_maker)
    db.session.commit()
    return outcome.proposal


def _charts_drawn(journey, what: str) -> None:
    """The charts of the page are drawn and named (axe-core already ran on the page in
    ``journey.check``)."""
    page = journey.page
    charts = page.locator("svg.ch[role=img]")
    assert charts.count() >= 1, f"{what}: no chart"
    assert charts.first.is_visible(), what
    for n in range(charts.count()):
        chart = charts.nth(n)
        name = page.evaluate("(id) => document.getElementById(id).textContent",
                             chart.get_attribute("aria-labelledby"))
        assert name.strip(), f"{what}: chart {n} has no name"


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_pages_with_charts_are_accessible(seed, journeys, screen):
    place = katapang(f"c{screen[0]}")
    _with_sales(place)
    proposal = _proposal(place)
    last = current_month().shift(-1)

    officer = journeys("charts-officer", screen)
    officer.sign_in(place.officer.username)
    _charts_drawn(officer, "officer's home page")
    for path in ("/laporan/desa", f"/laporan?bulan={last.key}", "/laporan/wilayah"):
        officer.open(path)
        _charts_drawn(officer, path)

    producer = journeys("charts-producer", screen)
    producer.sign_in(place.ladu_maker.username)
    _charts_drawn(producer, "producer's home page")
    for path in (f"/laporan?bulan={last.key}", f"/proposal/{proposal.id}"):
        producer.open(path)
        _charts_drawn(producer, path)
    reseller = journeys("charts-reseller", screen)
    reseller.sign_in(place.reseller.username)
    reseller.open("/penghasilan")
    _charts_drawn(reseller, "/penghasilan")

    # The numbers folded under the chart open with a tap and show a table.
    details = producer.page.locator("details.ch-data").first
    producer.tap(details.locator("summary"))
    assert details.locator("table.ch-table").is_visible()
