"""Putting a service's refusal onto the form the user sent."""

from flask_wtf import FlaskForm

from crm.rules import RuleError


def apply_rule_error(form: FlaskForm, error: RuleError) -> None:
    """Show ``error`` under its field, or at the top of the form when it has none."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)
