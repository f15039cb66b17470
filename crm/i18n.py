"""Language and time zone of each request (Bahasa Indonesia first, English second).

Message ids in the code are Indonesian, so a missing translation still shows
Indonesian to the people the app is made for; ``translations/en`` holds English.
"""

from flask import Flask, current_app, g, has_request_context, session
from flask_babel import get_translations
from flask_babel.speaklater import LazyString
from flask_login import current_user
from markupsafe import Markup

__all__ = ["gettext", "install", "lazy_gettext", "ngettext", "select_locale",
           "select_timezone", "translated"]


# Flask-Babel looks the catalogue up again on every message (the request's babel
# context, its domain, its locale: a dozen context-local lookups each time). A list
# of a few hundred rows says several messages per row, so the catalogue found first
# is kept on the request's babel context beside the locale it belongs to, and used
# while that locale stays (``force_locale`` and ``refresh`` replace or drop it).


def _catalogue():
    """The translations of the current locale (a null catalogue outside a request)."""
    try:
        ctx = g._flask_babel
        locale, catalogue = ctx.crm_catalogue
        if ctx.babel_locale is locale:
            return catalogue
    except (AttributeError, RuntimeError):
        pass
    catalogue = get_translations()
    try:
        ctx = g._flask_babel
        ctx.crm_catalogue = (ctx.babel_locale, catalogue)
    except (AttributeError, RuntimeError):  # no request or app context: nothing to keep
        pass
    return catalogue


def gettext(string: str, **variables) -> str:
    """``string`` in the current language, with ``%(name)s`` filled from ``variables``."""
    text = _catalogue().ugettext(string)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, **variables) -> str:
    """The singular or plural form for ``num`` (available as ``%(num)d``)."""
    variables.setdefault("num", num)
    return _catalogue().ungettext(singular, plural, num) % variables


def lazy_gettext(string: str, **variables) -> LazyString:
    """A message translated when it is shown (form labels, module-level texts)."""
    return LazyString(gettext, string, **variables)


def translated(texts: dict) -> dict:
    """``texts`` (lazy texts by key) in the current language, each looked up once: for
    a page that shows the same few labels on every row of a list."""
    return {key: str(text) for key, text in texts.items()}


def _template_gettext(string: str, **variables) -> Markup:
    """The templates' ``_()``: what Jinja's new-style gettext gives in an HTML
    template (the message as markup, its ``%(name)s`` filled with escaped values and
    always formatted, so ``%%`` shows ``%``) without the two context-aware calls it
    makes around the lookup; a page says a hundred messages or more."""
    # The catalogue is the app's own (trusted markup, as Jinja takes it); the values
    # filled in are escaped by Markup's ``%``.
    return Markup(_catalogue().ugettext(string)) % variables  # noqa: S704  # nosec B704


def install(app: Flask) -> None:
    """Give the templates' ``_``/``gettext``/``ngettext`` the same quick lookup."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _catalogue().ugettext(s),
        ngettext=lambda s, p, n: _catalogue().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _catalogue().upgettext(c, s),
        npgettext=lambda c, s, p, n: _catalogue().unpgettext(c, s, p, n),
    )
    # Every template is HTML (autoescaped), where the two give the same text.
    app.jinja_env.globals.update(_=_template_gettext, gettext=_template_gettext)


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
