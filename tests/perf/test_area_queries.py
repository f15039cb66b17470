"""The Kecamatan and Kabupaten view sends the same statements for two villages as for
six, each with its groups, orders, consignment, catering, proposals, fund and other
sales: the figures are summed per village in the database, never read village by
village."""

from datetime import timedelta

from crm.db.types import utcnow
from crm.extensions import db
from crm.reports.models import OtherSale
from crm.reports.queries import current_month
from crm.text.dates import village_today
from tests import factories
from tests.helpers import Browser, statements_sent
from tests.reports.test_area import _booking, _consignment, _fund, _proposal

URLS = ("/laporan/wilayah", "/laporan/wilayah.csv", "/laporan/wilayah.xlsx",
        "/laporan/wilayah?bulan=1", "/laporan/wilayah?kecamatan=32.04.11")


def _village(n: int, officer_villages: list) -> None:
    """A village of Kecamatan 32.04.11 with two groups and a record of every kind."""
    village = factories.village(f"Desa Ukur {n}", code=f"32.04.11.{2100 + n}",
                                kecamatan="Katapang")
    officer_villages.append(village)
    first = factories.group(village, f"Kelompok A{n}", baseline_monthly_turnover=1_000_000)
    second = factories.group(village, f"Kelompok B{n}")
    snack = factories.product(first, f"Snack {n}")
    bag = factories.product(second, f"Tas {n}", reseller_price=50_000, retail_price=60_000)
    reseller = factories.reseller(village)
    now = utcnow()
    factories.order(reseller, [(snack, 3)], when=now - timedelta(days=n))
    factories.order(reseller, [(bag, 1)], when=now - timedelta(days=40 + n))
    today = village_today()
    _consignment(first, snack, 2, 9_000, on_shelf=4, pull_back_on=today - timedelta(days=1),
                 visited_on=today)
    _booking(second, now - timedelta(hours=30), 10, 12_000)
    _proposal(first, "submitted")
    _proposal(second, "draft")
    _fund(first, 10_000, n)
    month = current_month().first_day
    db.session.add(OtherSale(group_id=first.id, village_id=village.id, month=month,
                             sold_on=month, whole_month=True, channel="market", amount=500_000))
    db.session.commit()


def _counts(app, login: str) -> dict[str, int]:
    browser = Browser(app.test_client())
    assert browser.login(login).status_code == 302
    counts = {}
    with statements_sent(app) as sent:
        for url in URLS:
            sent.clear()
            response = browser.get(url)
            assert response.status_code == 200, url
            counts[url] = len(sent)
    return counts


def test_the_view_sends_as_many_statements_for_six_villages_as_for_two(app):
    villages: list = []
    for n in range(2):
        _village(n, villages)
    factories.officer(*villages, username="camat2")
    two = _counts(app, "camat2")
    for n in range(2, 6):
        _village(n, villages)
    factories.officer(*villages, username="camat6")
    six = _counts(app, "camat6")
    print(f"\n[area statements] {six}")
    assert two == six
    # Signing the user in aside, the page reads villages, groups, turnover cells and
    # the other figures: four statements (five with loading the signed-in user).
    assert max(six.values()) <= 6
