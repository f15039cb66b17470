"""What makes the app installable: the web app manifest and the list of files the
service worker keeps (the app shell), with a version that changes when they do.

Everything is computed when a response is built (a few small files hashed), never
kept between requests.
"""

import hashlib
from pathlib import Path

from flask import current_app, url_for

# The app shell: every file under these folders of static/ (style, scripts, icons).
SHELL_FOLDERS = ("css", "js", "img")
# The colour of the top bar, --green in static/css/app.css.
THEME_COLOR = "#166534"


def shell_files() -> list[Path]:
    """The files of the app shell, in a stable order."""
    static = Path(current_app.static_folder)
    return sorted(path for folder in SHELL_FOLDERS
                  for path in (static / folder).rglob("*") if path.is_file())


def shell_urls() -> list[str]:
    """The addresses the service worker stores on install: the shell files and the
    offline page. No page of a signed-in user is among them."""
    static = Path(current_app.static_folder)
    files = [url_for("static", filename=path.relative_to(static).as_posix())
             for path in shell_files()]
    return [*files, url_for("home.offline")]


def shell_version(*sources: Path) -> str:
    """A short hash of the shell files and of the given templates: a new version
    makes browsers install the service worker again and drop the old cache."""
    digest = hashlib.sha256()
    for path in [*shell_files(), *sources]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def manifest() -> dict:
    """The web app manifest. One for everyone: the start page /beranda sends each
    role to its own home (and an anonymous visitor to the sign-in page)."""
    icon = "img/icon-{}.png"
    return {
        "name": "MRSE CRM",
        "short_name": "MRSE Desa",
        "lang": "id",
        "dir": "ltr",
        "start_url": url_for("home.dashboard"),
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOR,
        "background_color": THEME_COLOR,
        "icons": [
            {"src": url_for("static", filename=icon.format(192)), "sizes": "192x192",
             "type": "image/png", "purpose": "any"},
            {"src": url_for("static", filename=icon.format(512)), "sizes": "512x512",
             "type": "image/png", "purpose": "any"},
            {"src": url_for("static", filename=icon.format("maskable-512")),
             "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
            {"src": url_for("static", filename="img/icon.svg"), "sizes": "any",
             "type": "image/svg+xml", "purpose": "any"},
        ],
    }
