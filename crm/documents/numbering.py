"""Letter numbers ``{seq:03d}/{CODE}/{VILLAGE}/{roman month}/{year}``.

The counter is per village, document kind and year and is advanced with one UPDATE,
so two requests at the same moment never get the same number (the row lock on
PostgreSQL, the single writer on SQLite). A document keeps its number: asking again
for the same kind and subject returns the number issued the first time.

Numbers are issued only by POST requests (a button such as "Terbitkan nomor", with
its CSRF token): a GET, which any link on any site can make a browser send, only
reads the number (:func:`issued_number`) and never advances a counter.
"""

from datetime import date

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from crm.documents.models import DocumentCounter, IssuedDocument
from crm.extensions import db
from crm.text.dates import roman_month

# Document kinds and the code in their number.
KINDS = {
    "offer": "SPKS",  # surat penawaran kerja sama
    "agreement": "PKS",  # perjanjian kerja sama
    "invoice": "INV",
    "receipt": "KWT",  # kwitansi
    "delivery": "SJ",  # surat jalan
    "proposal": "PROP",
    "advocacy": "SREK",  # surat rekomendasi
    "consign": "TTP",  # nota titip jual (consignment settlement slip)
}


def format_number(seq: int, kind: str, village_code: str, day: date) -> str:
    """``007/PKS/KTP/XI/2026``."""
    return f"{seq:03d}/{KINDS[kind]}/{village_code}/{roman_month(day.month)}/{day.year}"


def _open_counters(village_id: int, kinds, year: int) -> None:
    """Make the counters of ``kinds`` for ``village_id`` and ``year`` at 0, those that
    are not there yet (one statement; a counter in use is left as it is)."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(
        insert(DocumentCounter).values([
            {"village_id": village_id, "kind": kind, "year": year, "last": 0}
            for kind in kinds])
        .on_conflict_do_nothing(index_elements=["village_id", "kind", "year"])
    )


def open_year_counters(village, year: int) -> None:
    """A village's letter counters of every kind for ``year``, starting at 0: a new
    village's first letter of each kind is 001. (A counter missing later is made by
    its first number.)"""
    _open_counters(village.id, KINDS, year)


def _next_seq(village_id: int, kind: str, year: int) -> int:
    _open_counters(village_id, [kind], year)
    where = (DocumentCounter.village_id == village_id, DocumentCounter.kind == kind,
             DocumentCounter.year == year)
    db.session.execute(
        update(DocumentCounter).where(*where).values(last=DocumentCounter.last + 1),
        execution_options={"synchronize_session": False},
    )
    # Same transaction: this reads our own increment, held under the row lock.
    return db.session.scalar(select(DocumentCounter.last).where(*where))


def issued_number(kind: str, subject: str, subject_id: int,
                  group_id: int | None = None) -> IssuedDocument | None:
    """The number already given to the ``kind`` document about ``subject``
    ``subject_id`` (and ``group_id``), or ``None``: looking never issues one. Pages
    and downloads (GET) look; only a deliberate POST issues (:func:`issue_number`)."""
    return db.session.scalar(select(IssuedDocument).where(
        IssuedDocument.kind == kind, IssuedDocument.subject == subject,
        IssuedDocument.subject_id == subject_id,
        IssuedDocument.group_id.is_(None) if group_id is None
        else IssuedDocument.group_id == group_id,
    ))


def issued_for(subject: str, subject_id: int) -> dict[tuple[str, int | None], IssuedDocument]:
    """Every number given to documents about ``subject`` ``subject_id``, by
    ``(kind, group_id)``."""
    rows = db.session.scalars(select(IssuedDocument).where(
        IssuedDocument.subject == subject, IssuedDocument.subject_id == subject_id,
    ).order_by(IssuedDocument.id))
    return {(row.kind, row.group_id): row for row in rows}


def issue_number(village, kind: str, subject: str, subject_id: int, *, day: date,
                 group_id: int | None = None, actor=None) -> IssuedDocument:
    """The number of the ``kind`` document about ``subject`` ``subject_id``: the one
    issued before, or the next one of the village's counter for ``day``'s year."""
    if kind not in KINDS:
        raise ValueError(f"unknown document kind {kind!r}")
    earlier = issued_number(kind, subject, subject_id, group_id=group_id)
    if earlier is not None:
        return earlier
    seq = _next_seq(village.id, kind, day.year)
    document = IssuedDocument(
        village_id=village.id, kind=kind, seq=seq, year=day.year,
        number=format_number(seq, kind, village.letter_code, day), subject=subject,
        subject_id=subject_id, group_id=group_id, issued_by_id=getattr(actor, "id", None),
    )
    db.session.add(document)
    db.session.flush()
    return document
