"""Every CSV export the app offers, fetched as the role that uses it: one content type
with one charset, a byte-order mark, and a file name."""

import pytest

from tests import factories


@pytest.fixture
def world(app):
    village = factories.village("Katapang")
    ladu = factories.group(village, "Ladu Ketan RW 09")
    factories.producer(village, ladu, username="ladu")
    factories.officer(village, username="kesra")
    ka = factories.reseller(village, username="ka", full_name="Kiki Aulia")
    snack = factories.product(ladu, "Ladu Ketan Original")
    factories.order(ka, [(snack, 2)])
    return {"ladu": ladu, "ka": ka}


def csv_exports(app) -> set[str]:
    """The endpoints of every ``….csv`` route."""
    return {rule.endpoint for rule in app.url_map.iter_rules() if rule.rule.endswith(".csv")}


def test_every_csv_export_has_one_charset(app, make_browser, world):
    fetched = {
        # endpoint: (who, url)
        "reports.sales_csv": ("kesra", "/laporan.csv"),
        "reports.area_csv": ("kesra", "/laporan/wilayah.csv"),
        "resellers.export_csv": ("ka", "/klaim/ekspor.csv"),
        "settlements.statement_csv": (
            "ka", f"/saldo/{world['ladu'].id}/{world['ka'].id}/laporan.csv"),
    }
    assert csv_exports(app) == set(fetched), "a CSV export this test does not fetch"
    for endpoint, (who, url) in fetched.items():
        browser = make_browser()
        browser.login(who)
        response = browser.get(url)
        assert response.status_code == 200, endpoint
        content_type = response.headers["Content-Type"]
        assert content_type == "text/csv; charset=utf-8", (endpoint, content_type)
        assert content_type.lower().count("charset") == 1, endpoint
        assert response.get_data().startswith("\ufeff".encode()), endpoint
        assert 'attachment; filename="' in response.headers["Content-Disposition"], endpoint
