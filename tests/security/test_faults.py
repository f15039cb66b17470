"""Real faults, not mocks: a database locked by another writer for longer than the
busy timeout, and a writer process killed with SIGKILL in the middle of its work.

Either way the person gets a friendly page and the database stays consistent: no
partial rows, the stock ledger balanced, one audit row per ledger line.
"""

import logging
import os
import queue
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from crm.audit.models import AuditEntry
from crm.catalog.models import Product, StockMovement
from crm.extensions import db
from tests import factories
from tests.helpers import csrf_token, form_token, reload, text_of

ROOT = Path(__file__).resolve().parents[2]
BUSY_TIMEOUT = 0.2  # seconds; the default (5 s) would only make the test slow
BUSY_MESSAGE = "Sistem sedang sibuk. Tunggu sebentar, lalu coba lagi."
LEAKS = ("Traceback", "OperationalError", "database is locked", "sqlite3", "UPDATE products")

# Where the writer is killed, one round each: every outcome a kill can have, every run.
# The writer says when it has got there and waits to be killed; the test waits for
# what it says, never for a time.
STOP_NAMES = {"between": "between movements", "inside": "inside a movement (nothing kept)",
              "committed": "after commit, before report (kept)"}
STOPS = tuple(STOP_NAMES)
COMMITS_BEFORE_KILL = 20
SAFETY_TIMEOUT = 300.0  # seconds; only a writer that hangs or dies ever reaches it

# The writer that gets killed. argv: database URL, actor id, where to stop, seed,
# product ids. It reports each movement it begins ("B") and commits ("C <id>"), and
# where it stopped ("S <where> [<id>]"), then blocks until it is killed.
WORKER = '''\
import os
import random
import sys
from pathlib import Path

from crm import create_app
from crm.auth.models import User
from crm.catalog.models import Product
from crm.catalog.services import record_manual_movement
from crm.extensions import db
from tests.conftest import _config

url, actor_id, stop, seed, *product_ids = sys.argv[1:]
commits = int(os.environ["FAULT_COMMITS"])
app = create_app(_config(url, Path(__file__).parent / "uploads"))
rng = random.Random(int(seed))


def movement(products, actor):
    product = rng.choice(products)
    kind = "defect" if product.stock > 0 and rng.random() < 0.3 else "production"
    moved = record_manual_movement(product, kind, 1, actor, note="fault worker")
    db.session.flush()  # the ledger line and its audit row, in the open transaction
    return moved.id


def stop_here(*words):
    print("S", *words, flush=True)
    sys.stdin.read()  # the test kills the process while it waits here


with app.app_context():
    actor = db.session.get(User, int(actor_id))
    products = [db.session.get(Product, int(pid)) for pid in product_ids]
    for _ in range(commits):
        print("B", flush=True)  # a movement begins
        movement_id = movement(products, actor)
        db.session.commit()
        print("C", movement_id, flush=True)  # committed
    if stop == "between":
        stop_here(stop)
    print("B", flush=True)
    movement_id = movement(products, actor)
    if stop == "inside":  # written, not committed, the write lock held
        stop_here(stop, movement_id)
    db.session.commit()
    stop_here(stop, movement_id)  # committed, never reported as "C"
'''


def _snapshot(connection, product_id: int) -> dict:
    """The rows a stock change may touch, read straight from the SQLite file."""
    return {
        "products": connection.execute(
            "SELECT * FROM products WHERE id = ?", (product_id,)).fetchall(),
        "stock_movements": connection.execute(
            "SELECT * FROM stock_movements ORDER BY id").fetchall(),
        "audit_entries": connection.execute(
            "SELECT * FROM audit_entries ORDER BY id").fetchall(),
    }


def test_database_locked_beyond_busy_timeout_answers_503_and_writes_nothing(
        app_config, request, caplog, capsys, monkeypatch):
    database = app_config["SQLALCHEMY_DATABASE_URI"]
    if not database.startswith("sqlite"):
        pytest.skip("SQLite file lock and busy timeout; PostgreSQL locks rows and waits "
                    "instead of failing with 'database is locked'")
    app_config["SQLITE_BUSY_TIMEOUT"] = BUSY_TIMEOUT
    # The migrations' logging.config.fileConfig disabled the loggers that existed then.
    monkeypatch.setattr(logging.getLogger("crm.web.errors"), "disabled", False)
    browser = request.getfixturevalue("browser")  # the app is built now, with the timeout
    assert request.getfixturevalue("app").config["SQLITE_BUSY_TIMEOUT"] == BUSY_TIMEOUT

    village = factories.village()
    group = factories.group(village)
    producer = factories.producer(village, group)
    product = factories.product(group)
    browser.login(producer.username)
    page = f"/produk/{product.id}"
    html = browser.get(page).get_data(as_text=True)
    data = {"csrf_token": csrf_token(html), "form_token": form_token(html),
            "kind": "production", "quantity": "7", "note": "panen pagi"}

    holder = sqlite3.connect(make_url(database).database, isolation_level=None, timeout=5)
    try:
        before = _snapshot(holder, product.id)
        holder.execute("BEGIN IMMEDIATE")  # another writer holds the write lock
        try:
            with caplog.at_level(logging.WARNING, logger="crm.web.errors"):
                started = time.monotonic()
                refused = browser.client.post(page + "/stok", data=data)
                waited = time.monotonic() - started
        finally:
            holder.execute("ROLLBACK")
        after = _snapshot(holder, product.id)
    finally:
        holder.close()

    assert refused.status_code == 503
    body = refused.get_data(as_text=True)
    assert BUSY_MESSAGE in text_of(refused) and "Sedang sibuk" in text_of(refused)
    assert not [leak for leak in LEAKS if leak in body]
    # It waited for the busy timeout (not the 5 s default), then gave up on the lock.
    assert BUSY_TIMEOUT <= waited < 4.0
    assert any("database is locked" in r.getMessage() and f"POST {page}/stok" in r.getMessage()
               for r in caplog.records), [r.getMessage() for r in caplog.records]
    assert after == before  # nothing partial: no stock change, ledger line or audit row

    # The lock is gone: the very same form (same one-time token) now goes through.
    accepted = browser.client.post(page + "/stok", data=data)
    assert accepted.status_code == 302 and accepted.headers["Location"].endswith(page)
    assert "Stok sekarang 7." in text_of(browser.get(page))
    assert reload(product).stock == 7
    movements = db.session.scalars(select(StockMovement)).all()
    assert [(m.product_id, m.kind, m.quantity, m.balance_after, m.note)
            for m in movements] == [(product.id, "production", 7, 7, "panen pagi")]
    audits = db.session.scalars(select(AuditEntry).where(AuditEntry.entity == "stock")).all()
    assert [(a.entity_id, a.action, a.changes) for a in audits] == [
        (product.id, "production", {"quantity": 7, "balance": 7})]
    assert len(db.session.scalars(select(AuditEntry)).all()) == len(before["audit_entries"]) + 1
    with capsys.disabled():
        print(f"\n[fault: database locked] busy timeout {BUSY_TIMEOUT}s; POST answered "
              f"{refused.status_code} after {waited:.2f}s; rows before/after: products "
              f"{len(before['products'])}/{len(after['products'])}, stock_movements "
              f"{len(before['stock_movements'])}/{len(after['stock_movements'])}, "
              f"audit_entries {len(before['audit_entries'])}/{len(after['audit_entries'])}; "
              f"retry {accepted.status_code}, stock 0 -> 7, +1 ledger line, +1 audit row")


class Worker:
    """The writer script in its own process, its output read line by line as it comes."""

    def __init__(self, script: Path, database: str, actor_id: int, stop: str, seed: int,
                 product_ids: list[int]):
        env = {**os.environ, "PYTHONPATH": str(ROOT),
               "FAULT_COMMITS": str(COMMITS_BEFORE_KILL)}
        self.errors = script.with_suffix(".err")
        with self.errors.open("w") as stderr:
            self.process = subprocess.Popen(  # noqa: S603 - our own script, no shell
                [sys.executable, str(script), database, str(actor_id), stop, str(seed),
                 *map(str, product_ids)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, text=True,
                cwd=ROOT, env=env,
            )
        self.lines: list[str] = []
        self.events: queue.Queue[str] = queue.Queue()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)
            self.events.put(line)
        self.events.put("")  # the end of its output: it exited or was killed

    def wait_until_stopped(self) -> list[str]:
        """Wait for the writer to say where it stopped ("S ..."); its words."""
        while True:
            try:
                line = self.events.get(timeout=SAFETY_TIMEOUT)
            except queue.Empty:
                line = ""
            if line.startswith("S "):
                return line.split()[1:]
            if not line:
                self.stop()
                pytest.fail("writer ended before it stopped:\n"
                            + self.errors.read_text()[-3000:])

    def commits(self) -> list[int]:
        """Ids of the movements the worker reported committed."""
        return [int(line.split()[1]) for line in self.lines if line.startswith("C ")]

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=SAFETY_TIMEOUT)
        self.reader.join(timeout=SAFETY_TIMEOUT)
        assert self.process.returncode == -signal.SIGKILL

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=SAFETY_TIMEOUT)
        self.process.stdin.close()


def _wait_for_row_locks(product_ids: list[int]) -> None:
    """PostgreSQL: wait (by taking them) for the row locks of the killed writer's open
    transaction; the server ends that transaction once it sees the connection closed.
    SQLite needs no wait: the kernel drops a dead process's file locks with it."""
    with db.engine.connect() as connection:
        connection.execute(
            select(Product.id).where(Product.id.in_(product_ids)).with_for_update())
        connection.rollback()


def _check_sqlite_file(database: str) -> None:
    connection = sqlite3.connect(make_url(database).database)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        connection.close()


def _check_ledger(product_ids: list[int]) -> list[int]:
    """Every product's stock is the sum of its ledger and its last balance, every
    running balance is right and never below zero, and each ledger line has its audit
    row. Returns the ledger's ids."""
    db.session.rollback()
    movements = db.session.execute(
        select(StockMovement.id, StockMovement.product_id, StockMovement.kind,
               StockMovement.quantity, StockMovement.balance_after)
        .order_by(StockMovement.id)).all()
    stocks = dict(db.session.execute(select(Product.id, Product.stock)).all())
    for product_id in product_ids:
        lines = [m for m in movements if m.product_id == product_id]
        running = 0
        for line in lines:
            running += line.quantity
            assert line.balance_after == running >= 0, (product_id, line)
        assert stocks[product_id] == running >= 0
        assert stocks[product_id] == (lines[-1].balance_after if lines else 0)
    assert {m.product_id for m in movements} <= set(product_ids)
    audits = db.session.scalars(select(AuditEntry).where(AuditEntry.entity == "stock")).all()
    assert sorted((a.entity_id, a.action, a.changes["quantity"], a.changes["balance"])
                  for a in audits) == sorted(
        (m.product_id, m.kind, m.quantity, m.balance_after) for m in movements)
    db.session.rollback()
    return [m.id for m in movements]


def test_writer_killed_mid_request_leaves_a_consistent_database(app, app_config, tmp_path,
                                                                 capsys):
    village = factories.village()
    group = factories.group(village)
    producer = factories.producer(village, group)
    product_ids = [factories.product(group).id for _ in range(3)]
    database = app_config["SQLALCHEMY_DATABASE_URI"]
    postgres = db.engine.dialect.name == "postgresql"
    script = tmp_path / "fault_worker.py"
    script.write_text(WORKER)
    other_audits = db.session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.entity != "stock"))
    db.session.rollback()

    seed = random.randrange(1_000_000)
    ledger = _check_ledger(product_ids)
    assert ledger == []
    expected = 0
    for round_, stop in enumerate(STOPS):
        worker = Worker(script, database, producer.id, stop, seed + round_, product_ids)
        try:
            where = worker.wait_until_stopped()
            worker.kill()
        finally:
            worker.stop()
        if postgres:
            _wait_for_row_locks(product_ids)
        else:
            _check_sqlite_file(database)

        reported = worker.commits()
        assert len(reported) == COMMITS_BEFORE_KILL
        seen = set(ledger)
        ledger = _check_ledger(product_ids)
        new = [i for i in ledger if i not in seen]
        assert where[0] == stop
        if stop == "between":
            assert new == reported
        elif stop == "inside":  # written, never committed: nothing of it is kept
            assert new == reported and int(where[1]) not in ledger
        else:  # committed, killed before it could say so: kept all the same
            assert new == [*reported, int(where[1])]
        expected += len(new)
        assert len(ledger) == expected

    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.entity != "stock")) == other_audits
    stocks = db.session.scalars(select(Product.stock).where(Product.id.in_(product_ids))).all()
    stock_audits = db.session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.entity == "stock"))
    db.session.rollback()
    with capsys.disabled():
        print(f"\n[fault: SIGKILL, {db.engine.dialect.name}] {len(STOPS)} kills (seed {seed}): "
              + ", ".join(STOP_NAMES[stop] for stop in STOPS) + f"; {len(ledger)} ledger "
              f"lines, {stock_audits} stock audit rows, stock {sum(stocks)} across "
              f"{len(product_ids)} products, none negative"
              + ("" if postgres else ", integrity_check ok"))
