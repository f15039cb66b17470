"""Backup while people keep writing, and restore: nothing lost, ledger balanced."""

import sqlite3
import threading

import pytest
from sqlalchemy import func, select

from crm import create_app
from crm.catalog.models import Product, StockMovement
from crm.catalog.services import record_manual_movement
from crm.extensions import db
from tests import factories
from tests.core.test_cli import run


@pytest.fixture
def sqlite_only(is_postgres):
    if is_postgres:
        pytest.skip("SQLite backup and restore; PostgreSQL uses pg_dump/pg_restore")


def _ledger_balanced(connection) -> list:
    """Products whose cached stock differs from the sum of their ledger."""
    return connection.execute(
        "SELECT p.id FROM products p LEFT JOIN stock_movements m ON m.product_id = p.id "
        "GROUP BY p.id, p.stock HAVING p.stock <> COALESCE(SUM(m.quantity), 0)"
    ).fetchall()


def test_backup_during_writes_is_consistent_and_restores(app, app_config, tmp_path,
                                                         fresh_database_url, sqlite_only):
    village = factories.village()
    group = factories.group(village)
    producer = factories.producer(village, group)
    product_ids = [factories.product(group, stock=0).id for _ in range(3)]
    db.session.commit()
    producer_id = producer.id
    stop = threading.Event()
    written, errors = [], []

    def write(product_id):
        with app.app_context():
            while not stop.is_set():
                try:
                    product = db.session.get(Product, product_id)
                    actor = db.session.get(type(producer), producer_id)
                    record_manual_movement(product, "production", 1, actor)
                    db.session.commit()
                    written.append(product_id)
                except Exception as exc:  # noqa: BLE001 - recorded and asserted below
                    db.session.rollback()
                    errors.append(repr(exc))

    threads = [threading.Thread(target=write, args=(pid,)) for pid in product_ids]
    for thread in threads:
        thread.start()
    try:
        while len(written) < 30:
            threading.Event().wait(0.01)
        copy = tmp_path / "copy.sqlite3"
        result = run(app, "backup", "--output", str(copy))
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    assert result.exit_code == 0, result.output
    assert not [e for e in errors if "locked" not in e], errors

    connection = sqlite3.connect(copy)
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert _ledger_balanced(connection) == []
    copied = connection.execute("SELECT COUNT(*) FROM stock_movements").fetchone()[0]
    connection.close()
    assert 30 <= copied <= len(written)

    # Restore into another database: the same rows, the ledger still balanced.
    target = fresh_database_url("restored")
    other = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": target})
    with other.app_context():  # the command runs against the current app
        result = other.test_cli_runner().invoke(
            args=["crm", "restore", "-i", str(copy), "--yes"])
        assert result.exit_code == 0, result.output
        assert target.removeprefix("sqlite:///") in result.output
        assert db.session.scalar(select(func.count()).select_from(StockMovement)) == copied
        stock = db.session.scalar(select(func.sum(Product.stock)))
        assert stock == copied
        db.engine.dispose()


def test_restore_refuses_a_file_that_is_not_a_backup(app, tmp_path, sqlite_only):
    village = factories.village()
    db.session.commit()
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    result = run(app, "restore", "-i", str(junk), "--yes")
    assert result.exit_code != 0 and "not a backup" in result.output
    empty = tmp_path / "empty.sqlite3"
    sqlite3.connect(empty).execute("CREATE TABLE alembic_version (version_num TEXT)").close()
    result = run(app, "restore", "-i", str(empty), "--yes")
    assert result.exit_code != 0 and "unknown" in result.output
    # The live data is untouched.
    assert db.session.get(type(village), village.id) is not None


def test_restore_without_yes_asks_and_stops_on_no(app, tmp_path, sqlite_only):
    factories.village(name="Katapang")
    db.session.commit()
    copy = tmp_path / "copy.sqlite3"
    assert run(app, "backup", "-o", str(copy)).exit_code == 0
    result = app.test_cli_runner().invoke(args=["crm", "restore", "-i", str(copy)], input="n\n")
    assert result.exit_code != 0 and "Aborted" in result.output


def test_restore_on_postgres_prints_pg_restore(app, tmp_path, is_postgres):
    if not is_postgres:
        pytest.skip("PostgreSQL only")
    dump = tmp_path / "dump.bin"
    dump.write_bytes(b"x")
    result = run(app, "restore", "-i", str(dump), "--yes")
    assert result.exit_code == 2 and "pg_restore" in result.output
