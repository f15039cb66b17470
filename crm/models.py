"""Imports every feature's models so that ``db.metadata`` is complete
(for Alembic autogenerate and for the test that compares models with migrations)."""

from crm.audit.models import AuditEntry
from crm.auth.models import User, officer_villages
from crm.catalog.models import ProducerGroup, Product, ProductPhoto, StockMovement
from crm.events.models import Partner
from crm.resellers.models import Claim, ResellerProfile, StageChange
from crm.villages.models import Village

__all__ = [
    "AuditEntry",
    "Claim",
    "Partner",
    "ProducerGroup",
    "Product",
    "ProductPhoto",
    "ResellerProfile",
    "StageChange",
    "StockMovement",
    "User",
    "Village",
    "officer_villages",
]
