"""The app's base form, and putting a service's refusal onto the form the user sent."""

from flask_wtf import FlaskForm
from wtforms import Field, FieldList, FormField, StringField

from crm.fields import no_control_characters
from crm.rules import RuleError


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
