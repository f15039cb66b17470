"""Test fixtures: a migrated database per worker (SQLite by default, PostgreSQL when
TEST_DATABASE_URL is set), apps built once per worker and settings with the tables
emptied after every test, a client per test, and signing in through the real login
form with CSRF on."""

import copy
import os

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from crm import create_app
from crm.config import normalise_database_url
from crm.extensions import db
from tests.helpers import Browser

SECRET = "test-secret-key-0123456789-abcdefghijklmnop"


def _postgres_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL")
    return normalise_database_url(url) if url else None


def pytest_configure(config):
    """Stop at once when PostgreSQL was asked for but is not there."""
    url = _postgres_url()
    if url is None or os.environ.get("PYTEST_XDIST_WORKER"):
        return
    engine = create_engine(url, connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        where = make_url(url).render_as_string(hide_password=True)
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.exit(f"PostgreSQL required but not reached at {where}: {exc}", returncode=3)
        pytest.exit(
            f"PostgreSQL not reached at {where}; PostgreSQL run skipped "
            "(set REQUIRE_POSTGRES=1 to make this an error).",
            returncode=0,
        )
    finally:
        engine.dispose()


def _worker_database(url: str, suffix: str) -> str:
    base = make_url(url)
    name = f"{base.database}_{suffix}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def fresh_database_url(tmp_path_factory):
    """Make an empty database of the kind under test; return its URL. PostgreSQL
    databases carry the process id, so test runs side by side never share one, and
    are dropped at the end of the run."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    counter = iter(range(1000))
    made = []

    def make(label: str = "db") -> str:
        n = next(counter)
        pg = _postgres_url()
        if pg:
            made.append(_worker_database(pg, f"{worker}_{os.getpid()}_{label}{n}"))
            return made[-1]
        return f"sqlite:///{tmp_path_factory.mktemp(label)}/crm{n}.sqlite3"

    yield make
    for url in made:
        _drop_database(url)


def _drop_database(url: str) -> None:
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(scope="session")
def database_url(fresh_database_url, tmp_path_factory):
    """This worker's database, built with the migrations (never create_all)."""
    url = fresh_database_url("main")
    app = create_app(_config(url, tmp_path_factory.mktemp("uploads")))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return url


def _config(url: str, upload_dir) -> dict:
    return {
        "CRM_ENV": "testing",
        "TESTING": True,
        "SECRET_KEY": SECRET,
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        "UPLOAD_FOLDER": str(upload_dir),
        # argon2id still, with costs low enough for hundreds of sign-ins.
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 1024,
        "ARGON2_PARALLELISM": 1,
    }


@pytest.fixture
def app_config(database_url, tmp_path):
    """Settings of the app under test; tests may change them before ``app`` is made."""
    return _config(database_url, tmp_path / "uploads")



@pytest.fixture
def counting(app_config):
    """Statement counts in the responses (``X-Query-Count``), set before the app is made."""
    app_config["QUERY_COUNT"] = True

class _Apps:
    """The apps of this worker, built once for each set of settings: building an app
    costs more than most tests. A pair per settings: the app that serves requests and
    a second one on the same database in whose context test code runs."""

    def __init__(self):
        self._pairs: dict[str, tuple[Flask, Flask]] = {}

    def pair(self, config: dict) -> tuple[Flask, Flask]:
        # The upload folder is each test's own and is set for the test (see ``app``).
        key = repr(sorted((k, v) for k, v in config.items() if k != "UPLOAD_FOLDER"))
        if key not in self._pairs:
            # create_app adds to the engine options; the test's settings stay as given.
            self._pairs[key] = (create_app(copy.deepcopy(config)),
                                create_app(copy.deepcopy(config)))
        return self._pairs[key]

    def dispose(self) -> None:
        for pair in self._pairs.values():
            for built in pair:
                with built.app_context():
                    db.engine.dispose()


@pytest.fixture(scope="session")
def _apps(database_url):
    apps = _Apps()
    yield apps
    apps.dispose()


@pytest.fixture
def app(app_config, _apps):
    """The app under test. Test code itself (factories, checks) runs in the context of
    a second app on the same database, so every request gets a fresh app context,
    ``g`` and database session, as it does in production.

    Apps are shared by the tests of a worker with the same settings; each test gets
    them with their settings as built (plus its own upload folder) and an empty
    database, whatever the test before changed."""
    pair = _apps.pair(app_config)
    served, workbench = pair
    built_settings = [dict(one.config) for one in pair]
    for one in pair:
        one.config["UPLOAD_FOLDER"] = app_config["UPLOAD_FOLDER"]
    try:
        with workbench.app_context():
            yield served
            db.session.remove()
            _empty_tables()
    finally:
        for one, settings in zip(pair, built_settings, strict=True):
            one.config.clear()
            one.config.update(settings)


# Every sequence of the schema (identity and serial columns) back to its start.
_RESTART_SEQUENCES = text(
    "SELECT setval(c.oid, s.seqstart, false) FROM pg_class c"
    " JOIN pg_sequence s ON s.seqrelid = c.oid"
    " WHERE c.relnamespace = current_schema()::regnamespace"
)


def _empty_tables() -> None:
    """Delete every row, children first, and (PostgreSQL) restart the id sequences,
    as TRUNCATE ... RESTART IDENTITY would: TRUNCATE makes new files for all tables
    and took seconds per test, DELETE of a test's few rows takes milliseconds."""
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())
        if conn.dialect.name == "postgresql":
            conn.execute(_RESTART_SEQUENCES)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def browser(client):
    """The test client used like a browser: forms are fetched before they are sent."""
    return Browser(client)


@pytest.fixture
def make_browser(app):
    """Another, independent browser (own cookies)."""
    return lambda: Browser(app.test_client())


@pytest.fixture
def is_postgres(app):
    return db.engine.dialect.name == "postgresql"
