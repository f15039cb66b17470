"""Returns, reseller payments, balances and statements."""

from flask import Blueprint

bp = Blueprint("settlements", __name__)
