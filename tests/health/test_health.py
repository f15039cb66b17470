"""/healthz: "ok" for anyone, the database and migration state for officers."""

from crm import create_app
from crm.extensions import db
from tests import factories
from tests.conftest import _config


def test_health_says_ok_to_anyone_and_the_revisions_to_officers_only(client, make_browser,
                                                                       app):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok" and response.mimetype == "text/plain"
    village = factories.village()
    group = factories.group(village)
    factories.officer(village, username="kesra")
    factories.producer(village, group, username="ladu")
    factories.reseller(village, username="ka")
    db.session.commit()
    for username in ("ladu", "ka"):
        browser = make_browser()
        browser.login(username)
        assert browser.get("/healthz").get_data(as_text=True) == "ok", username
    officer = make_browser()
    officer.login("kesra")
    body = officer.get("/healthz").get_json()
    assert body["database"] == "ok" and body["status"] == "ok"
    assert body["migration_head"] and body["migration_head"] == body["migration_current"]


def test_health_reports_an_unmigrated_database(fresh_database_url, tmp_path):
    app = create_app(_config(fresh_database_url("empty"), tmp_path))
    with app.app_context():
        response = app.test_client().get("/healthz")
        assert response.status_code == 503
        assert response.get_data(as_text=True) == "degraded"
        db.engine.dispose()
