"""Checking files of people: producer groups with their members, and resellers.

People are matched by their phone number (accounts sign in with it, so it is
unique), groups by their name within the village. What exists is loaded with one
query per kind of record, whatever the number of rows."""

from datetime import date

from sqlalchemy import select

from crm.auth.models import Role, User, role_label
from crm.catalog.models import ProducerGroup
from crm.extensions import db
from crm.groups.services import FIRST_YEAR, TEXT_LIMITS
from crm.imports.cells import RowReader
from crm.imports.kinds import GROUPS, RESELLERS
from crm.imports.outcomes import Preview, RowOutcome, change
from crm.resellers.models import ResellerProfile
from crm.text.dates import today_in
from crm.text.money import format_rupiah
from crm.text.phones import display_phone
from crm.web.i18n import gettext as _

GROUP_KIND_WORDS = {"makanan": "food", "kuliner": "food", "food": "food",
                    "kerajinan": "craft", "craft": "craft", "lainnya": "other",
                    "lain": "other", "other": "other"}
GROUP_FIELDS = ("kind", "dusun", "rw", "rt", "address", "chair_name", "phone",
                "since_year", "halal_number", "halal_expires_on",
                "baseline_monthly_turnover")
NAME_LIMIT = 120
_CHUNK = 500  # phones per IN (...) list


def users_by_phone(phones: list[str]) -> dict[str, User]:
    """The accounts with these phone numbers, by number (one query per 500)."""
    found: dict[str, User] = {}
    unique = sorted(set(phones))
    for start in range(0, len(unique), _CHUNK):
        for user in db.session.scalars(
                select(User).where(User.phone.in_(unique[start:start + _CHUNK]))):
            found[user.phone] = user
    return found


def village_groups(village) -> dict[str, ProducerGroup]:
    """The village's producer groups by name in lower case."""
    return {group.name.lower(): group for group in db.session.scalars(
        select(ProducerGroup).where(ProducerGroup.village_id == village.id))}


def person_problem(row: RowReader, field: str, user: User | None, village, role: Role) -> bool:
    """Write down why the account with the row's phone cannot be this person: it is
    in another village (nothing more is said about it), or has another role. True
    when there is a problem."""
    if user is None:
        return False
    if user.village_id != village.id:
        row.problem(field, _("nomor HP ini sudah dipakai akun di luar desa ini. Periksa "
                             "nomornya, atau minta petugas desa itu."))
        return True
    if user.role != role:
        row.problem(field, _("nomor HP ini sudah dipakai akun %(role)s di desa ini.",
                             role=role_label(user.role)))
        return True
    return False


def first_row_check(row: RowReader, field: str, key, seen: dict) -> None:
    """A key (phone, name) met again in the same file is a problem of the later row,
    naming the first."""
    if key is None:
        return
    if key in seen:
        row.problem(field, _("sama dengan baris %(first)d di berkas ini.", first=seen[key]))
    else:
        seen[key] = row.number


def _group_cells(row: RowReader, this_year: int) -> dict:
    """The group columns filled on this row, checked (empty cells left out)."""
    values = {
        "kind": row.choice("kind", GROUP_KIND_WORDS),
        "dusun": row.text("dusun", TEXT_LIMITS["dusun"]),
        "address": row.text("address"),
        "chair_name": row.text("chair_name", TEXT_LIMITS["chair_name"]),
        "phone": row.phone("phone"),
        "since_year": row.whole("since_year", FIRST_YEAR, this_year),
        "halal_number": row.text("halal_number", TEXT_LIMITS["halal_number"]),
        "halal_expires_on": row.day("halal_expires_on"),
        "baseline_monthly_turnover": row.money("baseline_monthly_turnover"),
    }
    for name in ("rw", "rt"):
        value = row.text(name)
        if value and not (len(value) <= 3 and value.isascii() and value.isdigit()):
            row.problem(name, _("diisi angka saja, paling banyak 3 angka."))
            value = ""
        values[name] = value
    return {name: value for name, value in values.items() if value not in (None, "")}


def _shown(field: str, value):
    if field == "phone":
        return display_phone(value) if value else value
    if field == "baseline_monthly_turnover":
        return format_rupiah(value) if value is not None else value
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return value


def _group_changes(group: ProducerGroup | None, values: dict) -> list[str]:
    if group is None:
        return []
    return [change(GROUPS.column(name).heading, _shown(name, getattr(group, name)),
                   _shown(name, value))
            for name, value in values.items() if getattr(group, name) != value]


class _GroupPlan:
    """A group as the file describes it: its name, the record it matches, the
    values its rows give (the first row that fills a column decides it) and the
    first row that can be saved (which carries the group's changes)."""

    def __init__(self, name: str, group: ProducerGroup | None):
        self.name, self.group = name, group
        self.values: dict = {}
        self.rows: dict[str, int] = {}  # column → the row that gave its value
        self.first: RowOutcome | None = None

    def take(self, row: RowReader, values: dict) -> None:
        for name, value in values.items():
            if name in self.values and self.values[name] != value:
                row.problem(name, _("berbeda dengan baris %(first)d untuk kelompok yang "
                                    "sama.", first=self.rows[name]))
        if not row.errors:
            for name, value in values.items():
                self.values.setdefault(name, value)
                self.rows.setdefault(name, row.number)


def check_members(village, rows: list[RowReader]) -> Preview:
    """Rows of groups and members: which groups and accounts are new, the same or
    changed, and which rows cannot be saved."""
    preview = Preview(kind=GROUPS)
    groups = village_groups(village)
    names = {group.id: group.name for group in groups.values()}
    this_year = today_in(village.timezone).year
    phones = [(row, row.phone("member_phone", required=True)) for row in rows]
    users = users_by_phone([phone for _row, phone in phones if phone])
    seen: dict = {}
    plans: dict[str, _GroupPlan] = {}
    for row, phone in phones:
        group_name = row.text("group_name", TEXT_LIMITS["name"], required=True)
        member = row.text("member_name", NAME_LIMIT, required=True)
        values = _group_cells(row, this_year)
        first_row_check(row, "member_phone", phone, seen)
        user = users.get(phone) if phone else None
        person_problem(row, "member_phone", user, village, Role.PRODUCER)
        outcome = RowOutcome(number=row.number, label=member, errors=row.errors)
        preview.rows.append(outcome)
        if not group_name:
            continue
        plan = plans.get(group_name.lower())
        if plan is None:
            plan = plans[group_name.lower()] = _GroupPlan(
                group_name, groups.get(group_name.lower()))
        plan.take(row, values)
        if row.errors:
            continue
        outcome.values = {"full_name": member, "phone": phone, "group": group_name.lower()}
        outcome.target, outcome.new = user, user is None
        if user is not None:
            if user.full_name != member:
                outcome.changes.append(change(GROUPS.column("member_name").heading,
                                              user.full_name, member))
            if plan.group is None or user.group_id != plan.group.id:
                outcome.changes.append(change(GROUPS.column("group_name").heading,
                                              names.get(user.group_id), plan.name))
        if plan.first is None:
            plan.first = outcome
    for key, plan in plans.items():
        if plan.first is None:
            continue  # no row of this group can be saved: the group is left alone
        preview.groups[key] = plan
        if plan.group is None:
            if not plan.first.new:
                plan.first.changes.append(_("Kelompok baru: %(name)s", name=plan.name))
        else:
            plan.first.changes.extend(
                _("Kelompok %(name)s: %(change)s", name=plan.group.name, change=text)
                for text in _group_changes(plan.group, plan.values))
    return preview


def check_resellers(village, rows: list[RowReader]) -> Preview:
    """Rows of resellers: which accounts are new, the same or changed, and which
    rows cannot be saved."""
    preview = Preview(kind=RESELLERS)
    phones = [(row, row.phone("phone", required=True)) for row in rows]
    users = users_by_phone([phone for _row, phone in phones if phone])
    profiles = {profile.user_id: profile for profile in db.session.scalars(
        select(ResellerProfile).where(ResellerProfile.user_id.in_(
            [user.id for user in users.values() if user.village_id == village.id])))}
    seen: dict = {}
    for row, phone in phones:
        name = row.text("name", NAME_LIMIT, required=True)
        values = {"full_name": name, "phone": phone,
                  "karang_taruna": row.yes_no("karang_taruna"),
                  "stage_since": row.day("stage_since")}
        first_row_check(row, "phone", phone, seen)
        user = users.get(phone) if phone else None
        person_problem(row, "phone", user, village, Role.RESELLER)
        outcome = RowOutcome(number=row.number, label=name, errors=row.errors)
        preview.rows.append(outcome)
        if row.errors:
            continue
        outcome.values, outcome.target, outcome.new = values, user, user is None
        if user is None:
            continue
        profile = profiles.get(user.id)
        if user.full_name != name:
            outcome.changes.append(change(RESELLERS.column("name").heading,
                                          user.full_name, name))
        for field in ("karang_taruna", "stage_since"):
            old, new = getattr(profile, field, None), values[field]
            if new is not None and old != new:
                outcome.changes.append(change(RESELLERS.column(field).heading,
                                              _shown(field, old), _shown(field, new)))
    return preview
