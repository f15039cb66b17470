"""Scoped queries and loaders for capital proposals.

A producer sees their own group's proposals, an officer those of the groups in their
villages; resellers and partner contacts none. Anything outside the scope answers
404.
"""

from flask import abort
from sqlalchemy import Select, select

from crm.auth.models import Role
from crm.auth.permissions import visible_village_ids
from crm.catalog.models import ProducerGroup
from crm.extensions import db
from crm.proposals.models import BudgetLine, Proposal

# Who works on proposals: the group's producers and the officer who mentors them.
EDITORS = (Role.OFFICER, Role.PRODUCER)


def proposals_visible_to(user) -> Select:
    """Proposals ``user`` may see."""
    query = select(Proposal)
    if user.role == Role.PRODUCER:
        return query.where(Proposal.group_id == user.group_id)
    if user.role == Role.OFFICER:
        return query.where(Proposal.village_id.in_(visible_village_ids(user)))
    return query.where(False)


def get_proposal_or_404(proposal_id: int, user, need: str = "view") -> Proposal:
    """A proposal in ``user``'s scope; ``need="edit"``: its group's producers or an
    officer of its village (the same people who may see it)."""
    proposal = db.session.scalar(
        proposals_visible_to(user).where(Proposal.id == proposal_id))
    if proposal is None or (need == "edit" and user.role not in EDITORS):
        abort(404)
    return proposal


def get_budget_line_or_404(proposal: Proposal, line_id: int) -> BudgetLine:
    """A line of ``proposal``'s budget; a line of another proposal answers 404."""
    line = db.session.scalar(select(BudgetLine).where(
        BudgetLine.id == line_id, BudgetLine.proposal_id == proposal.id))
    if line is None:
        abort(404)
    return line


def proposal_groups(user) -> Select:
    """Groups ``user`` may write a proposal for: a producer their own group, an
    officer the groups of their villages."""
    query = select(ProducerGroup).order_by(ProducerGroup.name, ProducerGroup.id)
    if user.role == Role.PRODUCER:
        return query.where(ProducerGroup.id == user.group_id)
    if user.role == Role.OFFICER:
        return query.where(ProducerGroup.village_id.in_(visible_village_ids(user)))
    return query.where(False)
