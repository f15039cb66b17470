"""Imports every feature's models so that ``db.metadata`` is complete
(for Alembic autogenerate and for the test that compares models with migrations)."""

from crm.audit.models import AuditEntry
from crm.auth.models import User, officer_villages
from crm.catalog.models import ProducerGroup, Product, ProductPhoto, StockMovement
from crm.events.models import Partner
from crm.villages.models import Village

__all__ = [
    "AuditEntry",
    "Partner",
    "ProducerGroup",
    "Product",
    "ProductPhoto",
    "StockMovement",
    "User",
    "Village",
    "officer_villages",
]
