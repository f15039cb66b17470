"""The records of owner A in the world of ``tests/security/world.py`` (the Ladu Ketan
group, reseller KA, Pemerintah Desa Katapang, the Katapang officer), by URL parameter."""

import io

from PIL import Image
from sqlalchemy import select

from crm.auth.models import User
from crm.calendar.tokens import issue_token
from crm.catalog.models import ProducerGroup, Product, ProductPhoto
from crm.consignment.models import ConsignmentDrop, ConsignmentVisit, Outlet
from crm.events.models import CateringBooking, Event
from crm.extensions import db
from crm.fund.models import FundEntry
from crm.inbox.models import ImportBatch
from crm.orders.models import Order
from crm.partners.letters import issue_letter_number
from crm.partners.models import Partner, Partnership
from crm.proposals.models import BudgetLine, Proposal
from crm.resellers.models import Claim, ResellerProfile
from crm.settlements.services import submit_payment
from crm.text.dates import today_in
from crm.villages.models import Village
from crm.villages.services import set_logo
from crm.web.uploads import store_image
from tests.imports.access import import_records


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(buffer, "PNG")
    return buffer.getvalue()


def _one(query):
    found = db.session.scalars(query).first()
    assert found is not None, query
    return found


def owner_a_records() -> dict:
    """URL parameter → a record of owner A (ids, codes, step words)."""
    ladu = _one(select(ProducerGroup).where(ProducerGroup.name == "Ladu Ketan RW 09"))
    ka = _one(select(User).where(User.username == "ka"))
    kesra = _one(select(User).where(User.username == "kesra"))
    ladu_user = _one(select(User).where(User.username == "ladu"))
    snack = _one(select(Product).where(Product.group_id == ladu.id).order_by(Product.id))
    event = _one(select(Event).where(Event.title.like("Rapat Bulanan%")))
    booking = _one(select(CateringBooking).where(CateringBooking.event_id == event.id))
    proposal = _one(select(Proposal).where(Proposal.group_id == ladu.id))
    outlet = _one(select(Outlet).where(Outlet.group_id == ladu.id))
    # The demo's new order (its year of history holds finished ones).
    order = _one(select(Order).where(Order.group_id == ladu.id, Order.reseller_id == ka.id,
                                     Order.status == "new")
                 .order_by(Order.id.desc()))
    token = issue_token(kesra)
    partnership = _one(select(Partnership))
    issue_letter_number(partnership, "agreement", kesra)
    # A transfer with a photo of its receipt, and a village logo, so that the routes
    # serving those files have something to serve.
    payment = submit_payment(ka, ladu, 50_000, today_in(), "BRI 9001", _png(), ka, None)
    village = _one(select(Village).where(Village.letter_code == "KTP"))
    set_logo(village, store_image(_png(), "logos", max_side=600, field="logo"), kesra)
    # An upload of KA's order inbox whose file is no longer kept: its pages send
    # KA back to the upload with a message.
    batch = ImportBatch(reseller_id=ka.id, filename="pesanan.csv",
                        stored_name="0" * 32 + ".csv", sha256="0" * 64)
    db.session.add(batch)
    db.session.commit()
    records = {
        "village_id": village.id,
        "group_id": ladu.id,
        "product_id": snack.id,
        "photo_id": _one(select(ProductPhoto).where(ProductPhoto.product_id == snack.id)).id,
        "size": "sm",
        "claim_id": _one(select(Claim).where(Claim.reseller_id == ka.id,
                                             Claim.product_id == snack.id)).id,
        "profile_id": _one(select(ResellerProfile).where(ResellerProfile.user_id == ka.id)).id,
        "reseller_id": ka.id,
        "order_id": order.id,
        "batch_id": batch.id,
        "payment_id": payment.id,
        "user_id": ladu_user.id,
        "officer_id": kesra.id,
        "partner_id": _one(select(Partner).where(Partner.kind == "pemdes")).id,
        "partnership_id": partnership.id,
        "event_id": event.id,
        "booking_id": booking.id,
        "outlet_id": outlet.id,
        "drop_id": _one(select(ConsignmentDrop).where(ConsignmentDrop.outlet_id == outlet.id)).id,
        "visit_id": _one(select(ConsignmentVisit).where(
            ConsignmentVisit.outlet_id == outlet.id)).id,
        "proposal_id": proposal.id,
        "line_id": _one(select(BudgetLine).where(BudgetLine.proposal_id == proposal.id)).id,
        "entry_id": _one(select(FundEntry).where(FundEntry.group_id == ladu.id,
                                                 FundEntry.kind == "disbursement")).id,
        # KA's public page (switched on in the demo), by its random link.
        "code": _one(select(ResellerProfile).where(
            ResellerProfile.user_id == ka.id)).public_slug,
        "token": token,
        "entity": "order",
        "entity_id": order.id,
        "filename": "css/app.css",
    }
    return records | import_records(records)


# Step words in URLs, per endpoint (one real step each).
STEP_WORDS = {
    "orders.step": {"slug": "batal"},
    "resellers.claim_step": {"step": "lepas"},
    "settlements.decide_payment": {"step": "konfirmasi"},
    "partners.change_status": {"word": "akhiri"},
    "partners.issue_letter": {"name": "perjanjian"},
    "events.booking_step": {"slug": "batal"},
    "fund.decide": {"step": "setujui"},
    "proposals.step": {"slug": "kembalikan"},
    "imports.template": {"kind": "kelompok", "fmt": "xlsx"},
}
