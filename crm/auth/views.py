"""Sign-in and sign-out, the user's own account, and officers' account management."""

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from crm.auth import first_sign_in as first_links
from crm.auth import services
from crm.auth.devices import known_device, remember_device
from crm.auth.forms import (
    ConfirmForm,
    LoginForm,
    NewPasswordForm,
    PasswordChangeForm,
    PasswordResetForm,
    UserCreateForm,
)
from crm.auth.models import Role, User
from crm.auth.permissions import roles_required
from crm.auth.queries import get_user_or_404, users_visible_to
from crm.auth.redirects import safe_next_url
from crm.auth.sessions import note_role
from crm.catalog.models import ProducerGroup
from crm.extensions import db
from crm.partners.models import Partner
from crm.resellers.accounts import open_account
from crm.setup.services import has_users
from crm.villages.models import Village
from crm.villages.queries import villages_visible_to
from crm.web.forms import saving
from crm.web.i18n import gettext as _

bp = Blueprint("auth", __name__)


@bp.route("/masuk", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.dashboard"))
    if not has_users():  # a new installation: its first administrator first
        return redirect(url_for("setup.first_run"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = safe_next_url(request.args.get("next")) or ""
    if form.validate_on_submit():
        attempt = services.start_sign_in(form.login.data, request.remote_addr or "",
                                         known_device())
        # The attempt counts from here on, whatever happens next; no lock is held
        # while the password is hashed.
        db.session.commit()
        if attempt.refused_minutes is not None:
            form.password.errors.append(_too_many_attempts(attempt.refused_minutes))
            return render_template("auth/login.html", form=form), 429
        result = services.finish_sign_in(attempt, form.password.data)
        db.session.commit()  # the outcome counts, whether the password was right or not
        if result.user is not None:
            locale = session.get("locale")
            session.clear()  # nothing from before the sign-in carries over
            if locale:  # the language chosen on the sign-in page becomes the user's
                session["locale"] = locale
                result.user.locale = locale
                db.session.commit()  # the language chosen is stored with the account
            login_user(result.user)
            note_role(result.user)
            session.permanent = True
            response = redirect(safe_next_url(form.next.data) or url_for("home.dashboard"))
            remember_device(response, result.user.id)
            return response
        form.password.errors.append(_("Nama pengguna/nomor HP atau kata sandi salah."))
    return render_template("auth/login.html", form=form)


@bp.route("/mulai/<token>", methods=["GET", "POST"])
def first_sign_in(token: str):
    """The one-time page of a new account: its owner chooses a password and is signed
    in (crm.auth.first_sign_in)."""
    user = first_links.user_for_token(token)
    if user is None:
        return render_template("auth/first_sign_in_gone.html"), 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        with saving(form) as saved:
            first_links.complete_first_sign_in(user, token, form.password.data)
        if saved:
            logout_user()
            session.clear()
            login_user(user)
            note_role(user)
            session.permanent = True
            flash(_("Kata sandi sudah dibuat. Selamat datang, %(name)s!", name=user.full_name),
                  "success")
            return redirect(url_for("home.dashboard"))
    return render_template("auth/first_sign_in.html", form=form, user=user)


def _too_many_attempts(minutes: int) -> str:
    return _("Terlalu banyak percobaan. Coba lagi dalam %(n)d menit.", n=minutes)


@bp.post("/keluar")
@login_required
def logout():
    services.end_all_sessions(current_user)
    db.session.commit()  # stored, so copied cookies of any session stop working too
    logout_user()
    session.clear()
    flash(_("Anda sudah keluar."), "info")
    response = redirect(url_for("auth.login"))
    # Nothing of this person stays on a shared phone: the browser drops its caches
    # and the service worker's (the sign-in page installs a fresh one).
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@bp.route("/akun", methods=["GET", "POST"])
@login_required
def account():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        refused = services.start_password_check(current_user)
        db.session.commit()  # counted before the current password is checked
        if refused is not None:
            form.current_password.errors.append(_too_many_attempts(refused))
            return render_template("auth/account.html", form=form), 429
        with saving(form) as saved:
            services.change_password(current_user, form.current_password.data, form.password.data)
        if saved:
            # This session carries the new token; all others end.
            login_user(current_user._get_current_object())
            flash(_("Kata sandi sudah diganti. Perangkat lain harus masuk lagi."), "success")
            return redirect(url_for("auth.account"))
        if saved.error.field != "current_password":  # it was right: not held against them
            with saving():
                services.forget_password_checks(current_user)
    return render_template("auth/account.html", form=form)


@bp.get("/pengguna")
@roles_required(Role.OFFICER)
def users():
    role = request.args.get("peran", "")
    query = users_visible_to(current_user).order_by(User.full_name, User.id)
    if role in {r.value for r in Role}:
        query = query.where(User.role == role)
    page = db.paginate(query, per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("auth/users.html", page=page, role=role, roles=Role)


def _account_choices(form: UserCreateForm) -> None:
    villages = db.session.scalars(villages_visible_to(current_user)).all()
    village_ids = [v.id for v in villages]
    form.village_id.choices = [SelectChoice(v.id, v.display_name) for v in villages]
    groups = db.session.scalars(
        select(ProducerGroup).where(ProducerGroup.village_id.in_(village_ids))
        .order_by(ProducerGroup.name)
    ).all()
    partners = db.session.scalars(
        select(Partner).where(Partner.village_id.in_(village_ids)).order_by(Partner.name)
    ).all()
    form.group_id.choices = [SelectChoice(0, "—")] + [SelectChoice(g.id, g.name) for g in groups]
    form.partner_id.choices = [SelectChoice(0, "—")] + [
        SelectChoice(p.id, p.name) for p in partners
    ]


@bp.route("/pengguna/baru", methods=["GET", "POST"])
@roles_required(Role.OFFICER)
def create_user():
    form = UserCreateForm()
    _account_choices(form)
    if form.validate_on_submit():
        village = db.session.scalar(
            villages_visible_to(current_user).where(Village.id == form.village_id.data))
        role = Role(form.role.data)
        group = db.session.get(ProducerGroup, form.group_id.data) if role == Role.PRODUCER else None
        partner = db.session.get(Partner, form.partner_id.data) if role == Role.PARTNER else None
        with saving(form) as saved:
            user = open_account(
                username=form.username.data,
                full_name=form.full_name.data,
                role=role,
                password=form.password.data or None,
                phone=form.phone.data,
                village=village,
                group=group,
                partner=partner,
                actor=current_user,
            )
            link = None if form.password.data else first_links.issue_link(user, current_user)
        if saved:
            flash(_("Akun %(name)s sudah dibuat.", name=user.full_name), "success")
            if link:
                return _show_invite(user, link)
            return redirect(url_for("auth.user_detail", user_id=user.id))
    return render_template("auth/user_form.html", form=form)


def _show_invite(user: User, link: str):
    """The page that shows a new first sign-in link once (only its hash is kept)."""
    # 201: the link was made (a 200 answers a form that was refused).
    return render_template("auth/invite.html", user=user, link=link,
                           whatsapp=first_links.whatsapp_invite(user, link)), 201


@bp.post("/pengguna/<int:user_id>/tautan")
@roles_required(Role.OFFICER)
def new_first_sign_in_link(user_id: int):
    """A fresh first sign-in link for an account of the officer's villages (the old
    one stops working): for someone who lost theirs or forgot their password."""
    user = get_user_or_404(user_id, current_user, need="edit")
    form = ConfirmForm()
    if not form.validate_on_submit():
        return redirect(url_for("auth.user_detail", user_id=user.id))
    with saving() as saved:
        link = first_links.issue_link(user, current_user)
    if saved:
        return _show_invite(user, link)
    return redirect(url_for("auth.user_detail", user_id=user.id))


@bp.get("/pengguna/<int:user_id>")
@roles_required(Role.OFFICER)
def user_detail(user_id: int):
    user = get_user_or_404(user_id, current_user)
    return render_template(
        "auth/user_detail.html",
        user=user,
        reset_form=PasswordResetForm(),
        confirm_form=ConfirmForm(),
    )


@bp.post("/pengguna/<int:user_id>/sandi")
@roles_required(Role.OFFICER)
def reset_password(user_id: int):
    user = get_user_or_404(user_id, current_user, need="edit")
    form = PasswordResetForm()
    if form.validate_on_submit():
        with saving(form) as saved:
            services.set_password(user, form.password.data, actor=current_user)
        if saved:
            flash(_("Kata sandi %(name)s sudah diganti.", name=user.full_name), "success")
            return redirect(url_for("auth.user_detail", user_id=user.id))
    return render_template(
        "auth/user_detail.html", user=user, reset_form=form, confirm_form=ConfirmForm()
    ), 422


@bp.post("/pengguna/<int:user_id>/aktif")
@roles_required(Role.OFFICER)
def toggle_active(user_id: int):
    user = get_user_or_404(user_id, current_user, need="edit")
    form = ConfirmForm()
    if form.validate_on_submit():
        with saving() as saved:
            services.set_active(user, not user.active, actor=current_user)
        if saved:
            flash(_("Akun aktif.") if user.active else _("Akun dinonaktifkan."), "success")
    return redirect(url_for("auth.user_detail", user_id=user.id))
