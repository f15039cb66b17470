"""The benchmark headers: ``X-Query-Count`` and ``Server-Timing`` when the setting
``QUERY_COUNT`` is on, nothing when it is off, and the count is the statements sent."""

import re

import pytest

from tests import factories
from tests.helpers import statements_sent

TIMING = re.compile(r"^app;dur=\d+(\.\d+)?$")


@pytest.fixture
def statements(app):
    """Statements the served app sends, as its own listener on its engine sees them."""
    with statements_sent(app) as seen:
        yield seen


def test_headers_present_when_on(counting, client):
    factories.admin()  # an installation with an account (an empty one leads to the first run)
    response = client.get("/masuk")
    assert response.status_code == 200
    assert response.headers["X-Query-Count"].isdigit()
    assert TIMING.match(response.headers["Server-Timing"])


def test_headers_absent_when_off(client):
    factories.admin()  # an installation with an account (an empty one leads to the first run)
    response = client.get("/masuk")
    assert response.status_code == 200
    assert "X-Query-Count" not in response.headers
    assert "Server-Timing" not in response.headers


def test_health_check_counts_its_two_statements(counting, client, statements):
    response = client.get("/healthz")
    assert response.status_code == 200
    # SELECT 1, then the migration revision.
    assert len(statements) == 2
    assert response.headers["X-Query-Count"] == "2"


def test_count_matches_the_statements_sent(counting, client, statements):
    factories.admin()  # an installation with an account (an empty one leads to the first run)
    for url in ("/katalog", "/masuk", "/healthz", "/katalog?q=ladu"):
        statements.clear()
        response = client.get(url)
        assert response.status_code == 200, url
        assert int(response.headers["X-Query-Count"]) == len(statements), url


def test_each_request_counts_from_zero(counting, client):
    first = client.get("/healthz").headers["X-Query-Count"]
    second = client.get("/healthz").headers["X-Query-Count"]
    assert first == second == "2"
