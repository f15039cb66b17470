"""Pages of this feature (being built)."""

from flask import Blueprint, abort

bp = Blueprint("consignment", __name__, url_prefix="/titip")


@bp.get("/")
def outlets():
    abort(404)
