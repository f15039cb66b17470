"""Imports every feature's models so that ``db.metadata`` is complete
(for Alembic autogenerate and for the test that compares models with migrations)."""

from crm.audit.models import AuditEntry
from crm.auth.models import OfficerArea, SignInThrottle, User, officer_villages
from crm.calendar.models import CalendarToken
from crm.catalog.models import (
    CapacityDay,
    ProducerGroup,
    Product,
    ProductPhoto,
    StockMovement,
)
from crm.consignment.models import (
    ConsignmentDrop,
    ConsignmentMonth,
    ConsignmentVisit,
    ConsignmentVisitLine,
    Outlet,
)
from crm.documents.models import DocumentCounter, IssuedDocument
from crm.events.models import (
    BookingLine,
    CateringBooking,
    Event,
    SpendingCeiling,
)
from crm.fund.models import FundBalance, FundEntry, FundRule
from crm.imports.models import SheetImport
from crm.inbox.models import ImportBatch, ImportedOrder, RememberedColumns, RememberedProduct
from crm.orders.models import Order, OrderEvent, OrderLine, OrderReturn
from crm.partners.models import Partner, Partnership, partnership_groups
from crm.proposals.models import BudgetLine, ChecklistItem, Proposal, ProposalStep
from crm.reports.models import (
    GroupSalesMonth,
    OtherSale,
    ProductSalesMonth,
    ResellerProductMonth,
    SalesMonth,
    VillageResellerMonth,
)
from crm.resellers.models import Claim, ResellerProfile, StageChange
from crm.settlements.models import PairTotal, ResellerPayment
from crm.setup.models import Installation
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
    "ConsignmentMonth",
    "ConsignmentVisit",
    "ConsignmentVisitLine",
    "DocumentCounter",
    "Event",
    "OtherSale",
    "FundBalance",
    "FundEntry",
    "FundRule",
    "ImportBatch",
    "ImportedOrder",
    "Installation",
    "IssuedDocument",
    "OfficerArea",
    "Order",
    "OrderEvent",
    "OrderLine",
    "OrderReturn",
    "Outlet",
    "PairTotal",
    "Partner",
    "Partnership",
    "ProducerGroup",
    "GroupSalesMonth",
    "ProductSalesMonth",
    "Product",
    "ProductPhoto",
    "Proposal",
    "ProposalStep",
    "RememberedColumns",
    "RememberedProduct",
    "ResellerPayment",
    "ResellerProductMonth",
    "ResellerProfile",
    "SalesMonth",
    "VillageResellerMonth",
    "SheetImport",
    "SignInThrottle",
    "SpendingCeiling",
    "StageChange",
    "StockMovement",
    "User",
    "Village",
    "officer_villages",
    "partnership_groups",
]
