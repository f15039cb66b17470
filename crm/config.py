"""Configuration: defaults in code, overrides from the environment, no secrets in code.

Environment variables read:

- ``CRM_ENV``: ``production`` (default) or ``development``.
- ``SECRET_KEY``: required in production (at least 32 characters, not a known weak value).
- ``DATABASE_URL``: SQLAlchemy URL; default is a SQLite file in the instance folder.
- ``CRM_TRUSTED_HOSTS``: comma-separated host names the app answers to (required in
  production: links the app writes into pages, letters and cached WhatsApp texts
  carry the request's host).
- ``CRM_PROXIES``: how many proxies (nginx, Caddy) stand in front of the app; their
  ``X-Forwarded-For`` and ``X-Forwarded-Proto`` are then believed, so that the client's
  address (sign-in throttling) and scheme are the visitor's, not the proxy's.
- ``CRM_DEBUG``: ``1`` turns Flask debug on (refused in production).
- ``CRM_QUERY_COUNT``: ``1`` adds ``X-Query-Count`` and ``Server-Timing`` headers
  to every response (for benchmarks).
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

MIGRATIONS_DIR = str(Path(__file__).resolve().parent.parent / "migrations")

WEAK_SECRETS = {
    "",
    "dev",
    "development",
    "secret",
    "secret-key",
    "secret_key",
    "changeme",
    "change-me",
    "please-change-me",
    "mrse",
    "crm",
    "test",
    "password",
}
MIN_SECRET_LENGTH = 32
ENVIRONMENTS = ("production", "development", "testing")
# Settings of every PostgreSQL session of the app:
# - the driver prepares a statement run five times, and PostgreSQL may then plan it
#   once for any parameters; scopes differ widely (one village or a whole Kabupaten),
#   so every run is planned for its own parameters;
# - the database lives on an SSD (any server today), where reading a page here and
#   there costs little more than reading them in a row; PostgreSQL's default (4×)
#   is for spinning disks and makes it scan whole tables rather than use an index
#   for a few hundred rows.
POSTGRES_SESSION_OPTIONS = "-c plan_cache_mode=force_custom_plan -c random_page_cost=1.1"


class ConfigError(RuntimeError):
    """Raised when the configuration is unsafe to run with."""


def default_settings(instance_path: str) -> dict:
    """Settings that hold unless the environment or the caller overrides them."""
    return {
        "CRM_ENV": "production",
        "DEBUG": False,
        "TESTING": False,
        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(Path(instance_path) / "crm.sqlite3"),
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        # Seconds SQLite waits for a lock before giving up ("database is locked").
        "SQLITE_BUSY_TIMEOUT": 5.0,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_NAME": "mrse_session",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": timedelta(days=7),
        # The session cookie is written again (moving its 7 days on) when older than this.
        "SESSION_RENEW_AFTER": timedelta(days=1),
        "MAX_CONTENT_LENGTH": 8 * 1024 * 1024,
        # Request bodies of views without a picture to upload (every form but three):
        # 128 KB is far more than any of them sends, and parsing that many fields
        # takes at most ~50 ms. The 8 MB above is for the views marked
        # ``crm.web.security.accepts_uploads``.
        "MAX_FORM_CONTENT_LENGTH": 128 * 1024,
        # multipart/form-data (the upload forms): fields and size of each text field.
        "MAX_FORM_PARTS": 100,
        "MAX_FORM_MEMORY_SIZE": 128 * 1024,
        "WTF_CSRF_TIME_LIMIT": 12 * 3600,
        "WTF_CSRF_SSL_STRICT": True,
        "BABEL_DEFAULT_LOCALE": "id",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Jakarta",
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).parent / "translations"),
        "LANGUAGES": {"id": "Bahasa Indonesia", "en": "English"},
        # Host names the app answers to; requests for any other Host get 400.
        "CRM_TRUSTED_HOSTS": None,
        # Proxies in front of the app whose X-Forwarded-For/-Proto are believed.
        "CRM_PROXIES": 0,
        # Sign-in throttling (crm.auth.throttle), failures per window of minutes: of
        # one login from one address (or from a known device of its account), of one
        # address for any login, and of one login from any address but its known
        # devices. Then attempts are refused until the window has passed.
        "LOGIN_MAX_FAILURES": 5,
        "LOGIN_MAX_FAILURES_PER_ADDRESS": 20,
        "LOGIN_MAX_FAILURES_PER_ACCOUNT": 30,
        "LOGIN_WINDOW_MINUTES": 15,
        # argon2id parameters (RFC 9106 second recommended option by default).
        "ARGON2_TIME_COST": 3,
        "ARGON2_MEMORY_COST": 64 * 1024,
        "ARGON2_PARALLELISM": 4,
        "UPLOAD_FOLDER": str(Path(instance_path) / "uploads"),
        "PAGE_SIZE": 25,
        # Benchmarks: statements and server time per request in response headers.
        "QUERY_COUNT": False,
    }


def settings_from_environment(environ=None) -> dict:
    """Settings given through environment variables."""
    env = os.environ if environ is None else environ
    out: dict = {}
    if env.get("CRM_ENV"):
        out["CRM_ENV"] = env["CRM_ENV"].strip().lower()
    if "SECRET_KEY" in env:
        out["SECRET_KEY"] = env["SECRET_KEY"]
    if env.get("DATABASE_URL"):
        out["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(env["DATABASE_URL"])
    if env.get("CRM_TRUSTED_HOSTS"):
        hosts = [h.strip() for h in env["CRM_TRUSTED_HOSTS"].split(",")]
        out["CRM_TRUSTED_HOSTS"] = [h for h in hosts if h]
    if env.get("CRM_PROXIES"):
        out["CRM_PROXIES"] = int(env["CRM_PROXIES"])
    if env.get("CRM_DEBUG"):
        out["DEBUG"] = env["CRM_DEBUG"].strip().lower() in {"1", "true", "yes", "on"}
    if env.get("CRM_QUERY_COUNT"):
        out["QUERY_COUNT"] = env["CRM_QUERY_COUNT"].strip().lower() in {"1", "true", "yes", "on"}
    if env.get("CRM_UPLOAD_FOLDER"):
        out["UPLOAD_FOLDER"] = env["CRM_UPLOAD_FOLDER"]
    return out


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for plain ``postgres://`` and ``postgresql://`` URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def is_weak_secret(value: str | None) -> bool:
    """True when a SECRET_KEY is too short, a known default or of very low variety."""
    if value is None:
        return True
    if value.strip().lower() in WEAK_SECRETS:
        return True
    return len(value) < MIN_SECRET_LENGTH or len(set(value)) < 10


def finalise(config: dict, instance_path: str) -> None:
    """Fill in derived settings and refuse unsafe production settings."""
    if config["CRM_ENV"] not in ENVIRONMENTS:
        raise ConfigError(f"CRM_ENV must be one of {', '.join(ENVIRONMENTS)}.")
    production = config["CRM_ENV"] == "production"
    if production:
        if config.get("DEBUG"):
            raise ConfigError("DEBUG must be off in production (unset CRM_DEBUG).")
        if is_weak_secret(config.get("SECRET_KEY")):
            raise ConfigError(
                "SECRET_KEY is missing or weak. In production set SECRET_KEY to a random "
                f"value of at least {MIN_SECRET_LENGTH} characters, e.g. the output of "
                "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`."
            )
        if not config.get("CRM_TRUSTED_HOSTS"):
            # Without it any Host header is answered, and written into absolute links
            # (public, cached WhatsApp texts included).
            raise ConfigError(
                "CRM_TRUSTED_HOSTS is missing. In production set CRM_TRUSTED_HOSTS to the "
                "host names the app is reached by, e.g. CRM_TRUSTED_HOSTS=crm.desa.id."
            )
    else:
        config["SESSION_COOKIE_SECURE"] = False
        config["REMEMBER_COOKIE_SECURE"] = False
        config["WTF_CSRF_SSL_STRICT"] = False
        if not config.get("SECRET_KEY"):
            config["SECRET_KEY"] = development_secret(instance_path)
    if production:
        config["REMEMBER_COOKIE_SECURE"] = True


def development_secret(instance_path: str) -> str:
    """A random key stored in the instance folder so development sessions survive restarts."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key
