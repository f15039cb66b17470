"""Pages of this feature (being built)."""

from flask import Blueprint, abort

bp = Blueprint("proposals", __name__, url_prefix="/proposal")


@bp.get("/")
def index():
    abort(404)
