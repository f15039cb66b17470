"""Column types shared by the models."""

from datetime import UTC, datetime

from sqlalchemy import DateTime, String, event
from sqlalchemy.orm import Mapper
from sqlalchemy.types import TypeDecorator

from crm.text.phones import PhoneError, stored_phone


def utcnow() -> datetime:
    """Current time, timezone-aware in UTC (the only time the database stores)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored as naive UTC and always returned timezone-aware.

    SQLite keeps no time zone and PostgreSQL ``timestamp without time zone`` neither;
    storing UTC everywhere keeps both databases and every worker in agreement.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware datetime in UTC")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class PhoneNumber(TypeDecorator):
    """A phone number, stored as ``62…`` digits whoever writes it.

    Every write (ORM, Core inserts and updates, services, CLI, the demo, imports)
    goes through :func:`crm.text.phones.stored_phone`: "0812-3456-7890" is stored as
    ``6281234567890``, blank as NULL, and text that is not a phone number is refused
    with :class:`crm.text.phones.PhoneError` (forms and services check first, so users get
    a message, never this error). A model's phone attribute is normalised as soon as
    it is set (see :func:`_normalise_phone_attributes`). Comparisons (``col ==
    value``, ``like``) pass the value as it is: callers normalise what they look up.
    """

    impl = String(20)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return _stored_or_none(value)

    def coerce_compared_value(self, op, value):
        return String(20)


def _stored_or_none(value):
    if value is None or not str(value).strip():
        return None
    try:
        return stored_phone(str(value))
    except PhoneError as exc:
        raise PhoneError(
            f"{value!r} is not a phone number ({exc}): check it before saving"
        ) from exc


@event.listens_for(Mapper, "mapper_configured")
def _normalise_phone_attributes(mapper, class_) -> None:
    """A model's phone attribute holds the stored form from the moment it is set, so
    the object agrees with its row before the next load (same rule as the column)."""
    for prop in mapper.column_attrs:
        if prop.parent is mapper and isinstance(prop.columns[0].type, PhoneNumber):
            event.listen(prop.class_attribute, "set",
                         lambda target, value, old, initiator: _stored_or_none(value),
                         retval=True)
