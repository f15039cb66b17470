"""The settlement slip of a visit (Nota Titip Jual): its number, given once on
request, and the plain data the PDF prints."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from crm.auth.models import User
from crm.catalog.models import ProducerGroup
from crm.consignment.models import ConsignmentVisit, ConsignmentVisitLine
from crm.consignment.queries import outstanding_after
from crm.consignment.services import village_of
from crm.documents.consignment_pdf import ConsignmentSlip, SlipLine
from crm.documents.numbering import issue_number, issued_number
from crm.extensions import db
from crm.text.phones import display_phone
from crm.villages.addresses import group_address


def slip_number(visit: ConsignmentVisit):
    """The slip's number if it has one (looking never issues one)."""
    return issued_number("consign", "visit", visit.id, group_id=visit.group_id)


def issue_slip_number(visit: ConsignmentVisit, actor):
    """Give the slip its number (``001/TTP/KTP/XI/2026``; asked for with a POST);
    the same one when it has one already."""
    return issue_number(village_of(visit), "consign", "visit", visit.id,
                        day=visit.visited_on, group_id=visit.group_id, actor=actor)


def slip_document(visit: ConsignmentVisit, issued) -> ConsignmentSlip:
    """Plain data for the settlement slip of ``visit`` (always in Indonesian)."""
    outlet = visit.outlet
    group = db.session.get(ProducerGroup, visit.group_id)
    village = village_of(visit)
    recorder = db.session.get(User, visit.created_by_id) if visit.created_by_id else None
    visit_lines = db.session.scalars(
        select(ConsignmentVisitLine).where(ConsignmentVisitLine.visit_id == visit.id)
        .options(selectinload(ConsignmentVisitLine.product),
                 selectinload(ConsignmentVisitLine.drop))
        .order_by(ConsignmentVisitLine.id)).all()
    lines = [SlipLine(
        product=line.product.name, unit=line.product.unit, before=line.on_shelf_before,
        remaining=line.remaining, returned=line.returned, expired=line.expired,
        sold=line.sold, unit_price=line.unit_price, cut_kind=line.drop.cut_kind,
        cut_value=line.drop.cut_value, cut_amount=line.cut_amount,
        amount_due=line.amount_due) for line in visit_lines]
    return ConsignmentSlip(
        number=issued.number, visited_on=visit.visited_on, place=village.name,
        group_name=group.name, group_address=group_address(group),
        group_phone=display_phone(group.phone), group_chair=group.chair_name,
        outlet_name=outlet.name, outlet_owner=outlet.owner_name,
        outlet_address=", ".join(p for p in (outlet.address, outlet.outlet_village) if p),
        outlet_phone=display_phone(outlet.phone),
        recorded_by=recorder.full_name if recorder else "",
        lines=lines, amount_due=visit.amount_due, cash_collected=visit.cash_collected,
        outstanding=outstanding_after(visit), notes=visit.notes,
    )
