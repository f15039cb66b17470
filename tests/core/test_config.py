"""Configuration: production refuses unsafe settings; the environment is read."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from crm import create_app
from crm.config import ConfigError, is_weak_secret, settings_from_environment

STRONG = "k8Jq2-vN7xR4pW9mZt3LcY6bHs1GdF5e"
HOSTS = ["crm.desa.id"]


@pytest.mark.parametrize("secret", [None, "", "dev", "changeme", "short-but-random-1",
                                    "a" * 64, "abababababababababababababababababab"])
def test_production_refuses_weak_or_missing_secret(monkeypatch, secret):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("CRM_ENV", raising=False)
    config = {"SQLALCHEMY_DATABASE_URI": "sqlite://", "CRM_TRUSTED_HOSTS": HOSTS}
    if secret is not None:
        config["SECRET_KEY"] = secret
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app(config)


def test_production_refuses_debug(monkeypatch):
    monkeypatch.delenv("CRM_ENV", raising=False)
    with pytest.raises(ConfigError, match="DEBUG"):
        create_app({"SECRET_KEY": STRONG, "DEBUG": True, "SQLALCHEMY_DATABASE_URI": "sqlite://",
                    "CRM_TRUSTED_HOSTS": HOSTS})


@pytest.mark.parametrize("hosts", [None, []])
def test_production_refuses_to_start_without_trusted_hosts(monkeypatch, hosts):
    # Otherwise any Host header is answered and written into absolute links, such as
    # the public, cached WhatsApp texts.
    monkeypatch.delenv("CRM_ENV", raising=False)
    monkeypatch.delenv("CRM_TRUSTED_HOSTS", raising=False)
    with pytest.raises(ConfigError, match="CRM_TRUSTED_HOSTS"):
        create_app({"SECRET_KEY": STRONG, "SQLALCHEMY_DATABASE_URI": "sqlite://",
                    "CRM_TRUSTED_HOSTS": hosts})
    with pytest.raises(ConfigError, match="CRM_TRUSTED_HOSTS"):
        create_app({"SECRET_KEY": STRONG, "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_production_starts_with_a_strong_secret_and_trusted_hosts(monkeypatch):
    monkeypatch.delenv("CRM_ENV", raising=False)
    app = create_app({"SECRET_KEY": STRONG, "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "CRM_TRUSTED_HOSTS": HOSTS})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["SESSION_COOKIE_HTTPONLY"]
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["BABEL_DEFAULT_LOCALE"] == "id"
    assert app.config["BABEL_DEFAULT_TIMEZONE"] == "Asia/Jakarta"
    assert not app.debug


def test_unknown_environment_name_is_refused():
    with pytest.raises(ConfigError, match="CRM_ENV"):
        create_app({"CRM_ENV": "prod", "SECRET_KEY": STRONG})


def test_environment_variables_are_read():
    env = {"CRM_ENV": "Development", "DATABASE_URL": "postgres://u@h:5432/crm",
           "SECRET_KEY": STRONG, "CRM_TRUSTED_HOSTS": "crm.desa.id, localhost",
           "CRM_PROXIES": "1"}
    settings = settings_from_environment(env)
    assert settings["CRM_ENV"] == "development"
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h:5432/crm"
    assert settings["CRM_TRUSTED_HOSTS"] == ["crm.desa.id", "localhost"]
    assert settings["CRM_PROXIES"] == 1


def test_default_database_is_sqlite_in_the_instance_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"CRM_ENV": "development", "SECRET_KEY": STRONG})
    expected = "sqlite:///" + app.instance_path + "/crm.sqlite3"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == expected
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"]["timeout"] > 0


def test_sqlite_runs_in_wal_mode_with_foreign_keys(app):
    from sqlalchemy import text

    from crm.extensions import db

    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_postgresql_sessions_plan_for_their_parameters_on_ssd_costs(app):
    from sqlalchemy import text

    from crm.extensions import db

    with app.app_context():  # the served app's own engine and connect options
        if db.engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL only")
        with db.engine.connect() as conn:
            assert conn.execute(text("SHOW plan_cache_mode")).scalar() == "force_custom_plan"
            assert conn.execute(text("SHOW random_page_cost")).scalar() == "1.1"


def test_weak_secret_detection():
    assert is_weak_secret("secret") and not is_weak_secret(STRONG)


def test_a_served_app_keeps_its_start_up_objects_out_of_full_collections(tmp_path):
    # In a process of its own, as a worker starts: freezing is for the whole process.
    code = ("import gc\nfrom crm import create_app\nbefore = gc.get_freeze_count()\n"
            "create_app()\nprint(before, gc.get_freeze_count())")
    env = {**os.environ, "CRM_ENV": "production", "SECRET_KEY": STRONG,
           "CRM_TRUSTED_HOSTS": "crm.desa.id",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'crm.sqlite3'}"}
    done = subprocess.run(  # noqa: S603 (fixed arguments, no shell)
        [sys.executable, "-c", code], env=env, capture_output=True, text=True,
        cwd=Path(__file__).resolve().parents[2], check=True)
    before, after = (int(n) for n in done.stdout.split())
    assert before == 0 and after > 50_000
