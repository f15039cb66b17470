"""The app's base form, the one way a view saves (commit, or roll back and show the
refusal on the form the user sent) and one-time form tokens."""

import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from flask import flash
from flask_wtf import FlaskForm
from wtforms import Field, FieldList, FormField, StringField

from crm.extensions import db
from crm.web.errors import RuleError
from crm.web.fields import no_control_characters


class AppForm(FlaskForm):
    """Base of every form of the app: no text field takes NUL or another control
    character (the field says so; PostgreSQL refuses NUL in text, and no one types
    the others). Form classes may still name ``no_control_characters`` themselves."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self:
            _refuse_control_characters(field)


def _refuse_control_characters(field: Field) -> None:
    if isinstance(field, FieldList):
        for entry in field:
            _refuse_control_characters(entry)
    elif isinstance(field, FormField):
        for subfield in field.form:
            _refuse_control_characters(subfield)
    elif isinstance(field, StringField) and no_control_characters not in field.validators:
        field.validators = [*field.validators, no_control_characters]


def apply_rule_error(form: FlaskForm, error: RuleError) -> None:
    """Show ``error`` under its field, or at the top of the form when it has none."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


class Saved:
    """What a ``with saving(…)`` block came to: true when its changes were committed,
    else ``error`` holds the refusal."""

    def __init__(self) -> None:
        self.committed = False
        self.error: RuleError | None = None

    def __bool__(self) -> bool:
        return self.committed


@contextmanager
def saving(form: FlaskForm | None = None) -> Iterator[Saved]:
    """The one commit path of the views. The block calls services (which never
    commit); when it ends normally its changes are committed. When a service refuses
    (:class:`RuleError`), everything the block changed is rolled back and the refusal
    is shown: under its field of ``form``, at the top of ``form``, or, without a form,
    as a flashed message. Any other exception (a failed commit among them) rolls back
    and is raised again.

        with saving(form) as saved:
            product = services.create_product(group, form.values(), actor=current_user)
        if saved:
            flash(_("Produk sudah disimpan."), "success")
            return redirect(url_for("catalog.product_detail", product_id=product.id))
        return render_template("catalog/product_form.html", form=form)

    The rest of the block is skipped after a refusal, so read its results only under
    ``if saved``.
    """
    saved = Saved()
    try:
        yield saved
        db.session.commit()
    except RuleError as error:
        db.session.rollback()
        saved.error = error
        if form is None:
            flash(error.message, "error")
        else:
            apply_rule_error(form, error)
    except BaseException:
        db.session.rollback()
        raise
    else:
        saved.committed = True


def new_form_token() -> str:
    """A one-time token: a resent form with the same token creates nothing new."""
    return secrets.token_urlsafe(24)
