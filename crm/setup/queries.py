"""Reads of the setup pages: the officers, and the Kecamatan and Kabupaten that an
officer's area scope may name (those of existing villages)."""

from flask import abort
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from crm.auth.models import Role, User
from crm.extensions import db
from crm.villages.addresses import kabupaten_name, kecamatan_name
from crm.villages.models import Village

# Lengths of the code prefixes: "32.04" is a Kabupaten, "32.04.11" a Kecamatan.
KABUPATEN_CODE_LENGTH = 5
KECAMATAN_CODE_LENGTH = 8


def area_names() -> dict[str, str]:
    """``{area code: name}`` of every Kabupaten and Kecamatan that has a village, by
    code: ``{"32.04": "Kabupaten Bandung", "32.04.11": "Kecamatan Katapang, Kab.
    Bandung"}``. Names are those of the villages (the first by name, should two
    villages spell them differently)."""
    names = {}
    for length in (KABUPATEN_CODE_LENGTH, KECAMATAN_CODE_LENGTH):
        code = func.substr(Village.code, 1, length)
        rows = db.session.execute(
            select(code, func.min(Village.kecamatan), func.min(Village.kabupaten))
            .group_by(code)
        )
        for area, kecamatan, kabupaten in rows:
            if length == KABUPATEN_CODE_LENGTH:
                names[area] = kabupaten_name(kabupaten)
            else:
                names[area] = f"{kecamatan_name(kecamatan)}, {kabupaten_name(kabupaten, True)}"
    return dict(sorted(names.items()))


def officers() -> Select:
    """Every officer account, by name, with their villages and areas."""
    return (
        select(User).where(User.role == Role.OFFICER.value)
        .options(selectinload(User.assigned_villages), selectinload(User.areas))
        .order_by(User.full_name, User.id)
    )


def get_officer_or_404(officer_id: int) -> User:
    """An officer account (the administrator's pages); anyone else's id answers 404."""
    officer = db.session.scalar(officers().where(User.id == officer_id))
    if officer is None:
        abort(404)
    return officer

