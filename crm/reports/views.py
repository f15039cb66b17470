"""Who sold what: sales by reseller, product, channel and month."""

from flask import Blueprint

bp = Blueprint("reports", __name__)
