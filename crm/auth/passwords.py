"""Password hashing with argon2id and the rules a new password must meet."""

from functools import cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

from crm.web.errors import RuleError
from crm.web.i18n import gettext as _

# The stored "hash" of an account that has no password yet: no password matches it;
# its owner sets one through a first sign-in link (crm.auth.first_sign_in).
NO_PASSWORD = "!"  # noqa: S105  # nosec B105: a marker no hash equals, not a password
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 128
# The most common passwords seen in leaks, plus local favourites.
COMMON_PASSWORDS = frozenset(
    {
        "password", "password1", "12345678", "123456789", "1234567890", "qwertyuiop", "qwerty123",
        "11111111", "00000000", "87654321", "abcd1234", "iloveyou", "1q2w3e4r", "asdfghjkl",
        "sayangku", "bismillah", "indonesia", "katapang", "rahasia12", "rahasia123", "admin123",
        "password123", "passw0rd", "12341234",
    }
)


@cache
def _hasher(time_cost: int, memory_cost: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(
        time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism, type=Type.ID
    )


def password_hasher() -> PasswordHasher:
    """The argon2id hasher with this app's cost settings."""
    cfg = current_app.config
    return _hasher(cfg["ARGON2_TIME_COST"], cfg["ARGON2_MEMORY_COST"], cfg["ARGON2_PARALLELISM"])


def hash_password(password: str) -> str:
    """Hash a password with argon2id."""
    return password_hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches ``password_hash``."""
    try:
        return password_hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker settings than the current ones."""
    try:
        return password_hasher().check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def burn_verification_time() -> None:
    """Spend as long as a real check so unknown accounts cannot be told by timing."""
    verify_password(_dummy_hash(), "not the password")


def _dummy_hash() -> str:
    cfg = current_app.config
    key = (cfg["ARGON2_TIME_COST"], cfg["ARGON2_MEMORY_COST"], cfg["ARGON2_PARALLELISM"])
    return _dummy_hash_for(key)


@cache
def _dummy_hash_for(key: tuple) -> str:
    return _hasher(*key).hash("dummy password for timing")


def check_new_password(password: str, username: str = "") -> None:
    """Raise :class:`RuleError` when ``password`` is too weak to set."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise RuleError(
            _("Kata sandi minimal %(n)d karakter.", n=MIN_PASSWORD_LENGTH), field="password"
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise RuleError(
            _("Kata sandi maksimal %(n)d karakter.", n=MAX_PASSWORD_LENGTH), field="password"
        )
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or len(set(password)) < 4:
        raise RuleError(
            _("Kata sandi ini terlalu mudah ditebak. Pakai gabungan kata yang Anda ingat."),
            field="password",
        )
    if len(username) >= 4 and username.lower() in lowered:
        raise RuleError(
            _("Kata sandi tidak boleh memuat nama pengguna."), field="password"
        )
