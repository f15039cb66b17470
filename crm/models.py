"""Imports every feature's models so that ``db.metadata`` is complete
(for Alembic autogenerate and for the test that compares models with migrations)."""

from crm.audit.models import AuditEntry
from crm.auth.models import SignInThrottle, User, officer_villages
from crm.catalog.models import (
    CapacityDay,
    ProducerGroup,
    Product,
    ProductPhoto,
    StockMovement,
)
from crm.consignment.models import (
    ConsignmentDrop,
    ConsignmentVisit,
    ConsignmentVisitLine,
    Outlet,
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
from crm.fund.models import FundEntry, FundRule
from crm.orders.models import (
    Order,
    OrderEvent,
    OrderLine,
    OrderReturn,
    PairTotal,
    ResellerPayment,
)
from crm.proposals.models import BudgetLine, ChecklistItem, Proposal, ProposalStep
from crm.reports.models import OtherSale, ProductSalesMonth, ResellerProductMonth, SalesMonth
from crm.resellers.models import Claim, ResellerProfile, StageChange
from crm.villages.models import Village

__all__ = [
    "AuditEntry",
    "BookingLine",
    "BudgetLine",
    "CalendarToken",
    "CapacityDay",
    "CateringBooking",
    "ChecklistItem",
    "Claim",
    "ConsignmentDrop",
    "ConsignmentVisit",
    "ConsignmentVisitLine",
    "DocumentCounter",
    "Event",
    "OtherSale",
    "FundEntry",
    "FundRule",
    "IssuedDocument",
    "Order",
    "OrderEvent",
    "OrderLine",
    "OrderReturn",
    "Outlet",
    "PairTotal",
    "Partner",
    "Partnership",
    "ProducerGroup",
    "ProductSalesMonth",
    "Product",
    "ProductPhoto",
    "Proposal",
    "ProposalStep",
    "ResellerPayment",
    "ResellerProductMonth",
    "ResellerProfile",
    "SalesMonth",
    "SignInThrottle",
    "SpendingCeiling",
    "StageChange",
    "StockMovement",
    "User",
    "Village",
    "officer_villages",
    "partnership_groups",
]
