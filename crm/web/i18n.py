"""Language and time zone of each request (Bahasa Indonesia first, English second).

Message ids in the code are Indonesian, so a missing translation still shows
Indonesian to the people the app is made for; ``translations/en`` holds English.
"""

from flask import current_app, has_request_context, session
from flask_babel import gettext, lazy_gettext, ngettext
from flask_login import current_user

# The app's code imports its translation calls from here; they are Flask-Babel's own
# (``gettext``, ``ngettext``, ``lazy_gettext``), and the templates' ``_``/``gettext``/
# ``ngettext`` are the ones Flask-Babel installs in the Jinja environment.
__all__ = ["gettext", "lazy_gettext", "ngettext", "select_locale", "select_timezone",
           "translated"]


def translated(texts: dict) -> dict:
    """``texts`` (lazy texts by key) in the current language, each looked up once: for
    a page that shows the same few labels on every row of a list."""
    return {key: str(text) for key, text in texts.items()}


def select_locale() -> str:
    """The signed-in user's language, else the one chosen in this browser, else ``id``."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI and background work speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if getattr(current_user, "is_authenticated", False) and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    """Show times in the user's village time zone (WIB unless the village says otherwise)."""
    if has_request_context() and getattr(current_user, "is_authenticated", False):
        zone = current_user.village_timezone
        if zone:
            return zone
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]
