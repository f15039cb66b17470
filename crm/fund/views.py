"""Pages of this feature (being built)."""

from flask import Blueprint, abort

bp = Blueprint("fund", __name__, url_prefix="/dana-sosial")


@bp.get("/")
def index():
    abort(404)
