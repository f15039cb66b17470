"""What checking an imported file found, row by row, before anything is saved: the
preview shows it and the saving acts on it (after checking the file again)."""

from dataclasses import dataclass, field

from crm.imports.kinds import Kind

STATUSES = ("error", "update", "new", "same")


@dataclass
class RowOutcome:
    """One data row: its problems, or what saving it would do. ``target`` is the
    record the row matched (None: a new one), ``values`` the row's checked values,
    ``changes`` sentences saying what saving changes on ``target``."""

    number: int
    label: str
    errors: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)
    target: object = None
    new: bool = False

    @property
    def status(self) -> str:
        """``error``, ``new``, ``update`` (something changes) or ``same``."""
        if self.errors:
            return "error"
        if self.new:
            return "new"
        return "update" if self.changes else "same"


@dataclass
class Preview:
    """The rows of a file and what saving them would do. ``groups`` holds the
    producer groups a file of groups and members creates or changes (by name in
    lower case), for the saving."""

    kind: Kind
    rows: list[RowOutcome] = field(default_factory=list)
    groups: dict = field(default_factory=dict)

    def having(self, status: str) -> list[RowOutcome]:
        """The rows of one status, in file order."""
        return [row for row in self.rows if row.status == status]

    @property
    def counts(self) -> dict[str, int]:
        """Rows per status (every status present, zero or more)."""
        found = dict.fromkeys(STATUSES, 0)
        for row in self.rows:
            found[row.status] += 1
        return found


def change(label: str, old, new) -> str:
    """"Ketua Kelompok: Ibu Euis → Ibu Siti" (empty values shown as "-")."""
    def shown(value) -> str:
        if value is None or value == "":
            return "-"
        if isinstance(value, bool):
            return "Ya" if value else "Tidak"
        return str(value)
    return f"{label}: {shown(old)} → {shown(new)}"
