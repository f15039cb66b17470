"""Writing audit rows."""

from crm.audit.models import AuditEntry
from crm.extensions import db


def record_change(
    actor, action: str, entity: str, entity_id: int | None, village_id=None, changes=None,
    *, flush: bool = True,
) -> AuditEntry:
    """Add an audit row for a change made by ``actor`` (a user, or None for the system).

    ``flush=False`` leaves the row to the next flush, so that a service recording
    many changes at once writes their rows in one statement."""
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        village_id=village_id,
        action=action,
        entity=entity,
        entity_id=entity_id,
        changes=changes or {},
    )
    db.session.add(entry)
    if flush:
        db.session.flush()
    return entry


def changed_fields(obj, fields, new_values: dict) -> dict:
    """Set ``fields`` of ``obj`` from ``new_values``; return ``{field: [old, new]}`` of
    those that changed."""
    changes = {}
    for name in fields:
        if name not in new_values:
            continue
        old, new = getattr(obj, name), new_values[name]
        if old != new:
            changes[name] = [old, new]
            setattr(obj, name, new)
    return changes
