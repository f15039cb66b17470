"""Migrations build the schema on an empty database and agree with the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select, text

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


def test_upgrade_from_the_previous_head_with_data_and_one_step_back(fresh_database_url,
                                                                     tmp_path):
    """A database in use one release ago: its rows survive the upgrade, a downgrade of
    one step and the upgrade again."""
    from alembic.script import ScriptDirectory

    from crm.catalog.models import Product
    from crm.config import MIGRATIONS_DIR
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


def test_upgrade_normalises_the_phone_numbers_already_stored(fresh_database_url, tmp_path):
    """Numbers stored as typed before the columns normalised are rewritten as 62…; a
    value that is no phone number, or a second account's copy of a number, becomes NULL."""
    from alembic.script import ScriptDirectory

    from crm.config import MIGRATIONS_DIR

    revision = "fab08c3edc73"
    before = ScriptDirectory(MIGRATIONS_DIR).get_revision(revision).down_revision
    app = create_app(_config(fresh_database_url("phones"), tmp_path))
    with app.app_context():
        # Records are made with today's models, then the schema is taken back to
        # before the normalisation, where the typed numbers are put in.
        upgrade()
        village = factories.village("Katapang", letter_code="KTP")
        group = factories.group(village, "Ladu Ketan RW 09")
        first = factories.reseller(village, username="ka", phone="6281200000301")
        second = factories.reseller(village, username="ge")
        third = factories.reseller(village, username="dewi")
        db.session.commit()
        ids = {"village": village.id, "group": group.id, "first": first.id,
               "second": second.id, "third": third.id}
        db.session.remove()
        downgrade(revision=before)
        typed = [
            ("producer_groups", ids["group"], "081200000501"),
            ("villages", ids["village"], "022-5940000"),
            ("users", ids["second"], "0812-0000-0301"),   # first's number, typed otherwise
            ("users", ids["third"], "lihat catatan"),
        ]
        for table, row_id, value in typed:
            db.session.execute(text(f"UPDATE {table} SET phone = :v WHERE id = :id"),  # noqa: S608
                               {"v": value, "id": row_id})
        db.session.commit()
        db.session.remove()
        upgrade(revision=revision)

        def phone(table, row_id):
            return db.session.execute(text(f"SELECT phone FROM {table} WHERE id = :id"),  # noqa: S608
                                      {"id": row_id}).scalar()

        assert phone("producer_groups", ids["group"]) == "6281200000501"
        assert phone("villages", ids["village"]) == "62225940000"
        assert phone("users", ids["first"]) == "6281200000301"
        assert phone("users", ids["second"]) is None
        assert phone("users", ids["third"]) is None
        db.session.remove()
        db.engine.dispose()
