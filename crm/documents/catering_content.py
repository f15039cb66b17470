"""What a producer group's catering documents (invoice, receipt, delivery note) print:
the group that issues them, the lines of its part of a booking, the customer and the
event. Plain data, filled by the events blueprint and read by
:mod:`crm.documents.catering_pdf`.
"""

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass
class Supplier:
    """The producer group that issues the document."""

    name: str
    village_name: str = ""
    chair_name: str = ""
    address: str = ""
    phone: str = ""
    npwp: str = ""
    nib: str = ""
    pirt_number: str = ""
    bank_name: str = ""
    bank_account_number: str = ""
    bank_account_name: str = ""

    @property
    def has_bank_account(self) -> bool:
        return bool(self.bank_name and self.bank_account_number)


@dataclass
class DocumentLine:
    """One line of the group's part of the booking."""

    description: str
    quantity: int
    unit_price: int

    @property
    def total(self) -> int:
        return self.quantity * self.unit_price


@dataclass
class CateringDocument:
    """Everything printed on an invoice, receipt or delivery note of one group."""

    number: str
    issued_on: date
    place: str  # where it is signed: "Katapang, 23 November 2026"
    supplier: Supplier
    customer_name: str
    event_title: str
    event_day: date
    deliver_at: datetime  # aware, in the village's time zone
    customer_unit: str = ""
    customer_address: str = ""
    customer_contact: str = ""
    event_place: str = ""
    tz_label: str = "WIB"
    kind_label: str = "Snack/kue"
    deliver_place: str = ""
    dietary_notes: str = ""
    booking_ref: str = ""
    lines: list[DocumentLine] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(line.total for line in self.lines)
