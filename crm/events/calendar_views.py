"""The calendar page and iCalendar feeds behind a secret token."""

from flask import Blueprint

bp = Blueprint("calendar", __name__)
