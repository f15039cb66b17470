"""Imports every feature's models so that ``db.metadata`` is complete
(for Alembic autogenerate and for the test that compares models with migrations)."""

from crm.audit.models import AuditEntry
from crm.auth.models import User, officer_villages
from crm.catalog.models import (
    CapacityDay,
    ProducerGroup,
    Product,
    ProductPhoto,
    StockMovement,
)
from crm.documents.models import DocumentCounter, IssuedDocument
from crm.events.models import (
    BookingLine,
    CalendarToken,
    CateringBooking,
    Event,
    Partner,
    Partnership,
    SpendingCeiling,
    partnership_groups,
)
from crm.orders.models import Order, OrderEvent, OrderLine, OrderReturn, ResellerPayment
from crm.resellers.models import Claim, ResellerProfile, StageChange
from crm.villages.models import Village

__all__ = [
    "AuditEntry",
    "BookingLine",
    "CalendarToken",
    "CapacityDay",
    "CateringBooking",
    "DocumentCounter",
    "Event",
    "IssuedDocument",
    "Claim",
    "Order",
    "OrderEvent",
    "OrderLine",
    "OrderReturn",
    "Partner",
    "Partnership",
    "ProducerGroup",
    "Product",
    "ProductPhoto",
    "ResellerPayment",
    "ResellerProfile",
    "SpendingCeiling",
    "StageChange",
    "StockMovement",
    "User",
    "Village",
    "officer_villages",
    "partnership_groups",
]
