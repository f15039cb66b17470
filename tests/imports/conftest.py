"""A village with its officer, a group with a member already in the app, and another
village with its own officer."""

import pytest

from tests import factories
from tests.helpers import Browser


@pytest.fixture
def world(app):
    a = factories.village("Katapang")
    b = factories.village("Sangkanhurip")
    ladu = factories.group(a, "Ladu Ketan RW 09", chair_name="Ibu Euis")
    kesra = factories.officer(a, username="kesra")
    factories.officer(b, username="kesra2")
    return {"a": a, "b": b, "ladu": ladu, "kesra": kesra}


@pytest.fixture
def officer(app, world):
    browser = Browser(app.test_client())
    assert browser.login("kesra").status_code == 302
    return browser

