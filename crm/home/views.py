"""Home dashboards and the language switch."""

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
from crm.home.dashboards import dashboard_figures
from crm.reports.home_charts import home_chart
from crm.reports.views import other_sales_form

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for("home.dashboard"))
    return redirect(url_for("auth.login"))


@bp.get("/favicon.ico")
def favicon():
    """Browsers (and their PDF viewers) ask for this path whatever the page says."""
    return send_from_directory(current_app.static_folder, "img/icon.svg",
                               mimetype="image/svg+xml", max_age=7 * 24 * 3600)


@bp.get("/beranda")
@login_required
def dashboard():
    figures = dashboard_figures(current_user)
    if current_user.role == Role.PRODUCER:
        figures["other_sales_form"] = other_sales_form(current_user.group)
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
