"""Which audit rows a user may read: officers those of their villages; nobody else."""

from sqlalchemy import Select, select

from crm.audit.models import AuditEntry
from crm.auth.models import Role
from crm.auth.permissions import visible_village_ids


def audit_visible_to(user) -> Select:
    """Audit rows ``user`` may read, newest first."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc())
    if user.role != Role.OFFICER:
        return query.where(False)
    return query.where(AuditEntry.village_id.in_(visible_village_ids(user)))
