"""Customer orders: entry by resellers, the status flow, the producer's work queue."""

from flask import Blueprint

bp = Blueprint("orders", __name__)
