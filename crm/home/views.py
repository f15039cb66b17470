"""Home dashboards, the language switch and what installs the app on a phone."""

import json
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
    url_for,
)
from flask_login import current_user, login_required

from crm.auth.models import Role
from crm.auth.redirects import safe_next_url
from crm.extensions import db
from crm.home import install
from crm.home.dashboards import dashboard_figures
from crm.reports.home_charts import home_chart
from crm.reports.views import other_sales_form
from crm.setup.checklist import incomplete
from crm.setup.services import has_users
from crm.villages.queries import villages_visible_to

bp = Blueprint("home", __name__)

# The officer's home page names this many villages that still lack something.
LACKING_NAMED = 3


@bp.get("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for("home.dashboard"))
    if not has_users():  # a new installation: its first administrator first
        return redirect(url_for("setup.first_run"))
    return redirect(url_for("auth.login"))


@bp.get("/favicon.ico")
def favicon():
    """Browsers (and their PDF viewers) ask for this path whatever the page says."""
    return send_from_directory(current_app.static_folder, "img/icon.svg",
                               mimetype="image/svg+xml", max_age=7 * 24 * 3600)


@bp.get("/beranda")
@login_required
def dashboard():
    if current_user.role == Role.ADMIN:  # sets up villages and officers, no daily work
        return redirect(url_for("setup.villages"))
    figures = dashboard_figures(current_user)
    if current_user.role == Role.PRODUCER:
        figures["other_sales_form"] = other_sales_form(current_user.group)
    if current_user.role == Role.OFFICER:
        figures["lacking"], figures["lacking_total"] = incomplete(
            villages_visible_to(current_user), LACKING_NAMED)
    figures["turnover_chart"] = home_chart(current_user)  # None for other roles
    page = render_template(f"home/dashboard_{Role(current_user.role).value}.html", **figures)
    # Keeps a reseller profile made on the first visit. After rendering, so that the
    # commit does not expire what the page shows (each row would be read again).
    db.session.commit()
    return page


@bp.post("/bahasa")
def set_language():
    code = request.form.get("locale", "")
    if code not in current_app.config["LANGUAGES"]:
        abort(400)
    session["locale"] = code
    if current_user.is_authenticated:
        current_user.locale = code
        db.session.commit()  # the account keeps the language for its next sign-in
    return redirect(safe_next_url(request.form.get("next")) or url_for("home.index"))


# --- Installing the app on a phone ----------------------------------------------------


@bp.get("/manifest.webmanifest")
def web_manifest():
    """The web app manifest, so that "Tambahkan ke layar utama" opens full-screen."""
    response = current_app.response_class(json.dumps(install.manifest(), ensure_ascii=False),
                                          mimetype="application/manifest+json")
    response.cache_control.no_cache = True
    return response


@bp.get("/sw.js")
def service_worker():
    """The service worker, from the root so that its scope is the whole app. It keeps
    only the app shell; browsers check it for a new version on every navigation."""
    templates = Path(current_app.root_path, current_app.template_folder, "home")
    version = install.shell_version(templates / "sw.js", templates / "offline.html")
    body = render_template("home/sw.js", version=version, shell_urls=install.shell_urls(),
                           offline=url_for("home.offline"))
    response = current_app.response_class(body, mimetype="text/javascript")
    response.cache_control.no_cache = True
    return response


@bp.get("/offline")
def offline():
    """What the service worker shows when a page cannot be loaded and is not kept."""
    return render_template("home/offline.html")
