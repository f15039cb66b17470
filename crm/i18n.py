"""Language and time zone of each request (Bahasa Indonesia first, English second).

Message ids in the code are Indonesian, so a missing translation still shows
Indonesian to the people the app is made for; ``translations/en`` holds English.
"""

from flask import current_app, has_request_context, session
from flask_babel import gettext, lazy_gettext, ngettext
from flask_login import current_user

__all__ = ["gettext", "lazy_gettext", "ngettext", "select_locale", "select_timezone"]


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
        village = current_user.home_village
        if village is not None and village.timezone:
            return village.timezone
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]
