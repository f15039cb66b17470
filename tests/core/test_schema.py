"""Migrations build the schema on an empty database and agree with the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select

from crm import create_app
from crm.extensions import db
from tests import factories
from tests.conftest import _config


def test_models_and_migrations_agree(app):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "render_as_batch": True}
        )
        diff = compare_metadata(context, db.metadata)
    assert diff == [], f"models differ from migrations; run `flask db migrate`: {diff}"


def test_upgrade_from_empty_and_back(fresh_database_url, tmp_path):
    url = fresh_database_url("migrations")
    app = create_app(_config(url, tmp_path))
    with app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {"villages", "users", "officer_villages", "audit_entries"} <= tables
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert "users" in inspect(db.engine).get_table_names()
        db.engine.dispose()


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


def test_upgrade_from_the_previous_head_with_data_and_one_step_back(fresh_database_url,
                                                                     tmp_path):
    """A database in use one release ago: its rows survive the upgrade, a downgrade of
    one step and the upgrade again."""
    from alembic.script import ScriptDirectory

    from crm import MIGRATIONS_DIR
    from crm.catalog.models import Product
    from crm.villages.models import Village

    scripts = ScriptDirectory(MIGRATIONS_DIR)
    head = scripts.get_current_head()
    previous = scripts.get_revision(head).down_revision
    app = create_app(_config(fresh_database_url("previous"), tmp_path))
    with app.app_context():
        upgrade(revision=previous)
        village = factories.village("Katapang", letter_code="KTP")
        group = factories.group(village, "Ladu Ketan RW 09")
        for n in range(3):
            factories.product(group, f"Ladu {n}")
        db.session.commit()

        def counts():
            db.session.expire_all()
            return (db.session.scalar(select(func.count()).select_from(Village)),
                    db.session.scalar(select(func.count()).select_from(Product)))

        assert counts() == (1, 3)
        db.session.remove()
        upgrade()
        assert counts() == (1, 3)
        db.session.remove()
        downgrade(revision=previous)
        assert counts() == (1, 3)
        db.session.remove()
        upgrade()
        assert counts() == (1, 3)
        db.session.remove()
        db.engine.dispose()
