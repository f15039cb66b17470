"""Partners, partnerships and their letters."""

from flask import Blueprint

bp = Blueprint("partners", __name__)
