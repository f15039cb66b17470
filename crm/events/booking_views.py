"""Events and catering bookings split across producer groups, with their documents."""

from flask import Blueprint

bp = Blueprint("events", __name__)
