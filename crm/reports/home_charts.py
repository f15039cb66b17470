"""The chart on the producer's and the officer's home page: turnover of the last six
months against the turnover before MRSE, in two statements at most (the groups, their
cells), however many groups or sales there are."""

from crm.auth.models import Role, User
from crm.extensions import db
from crm.reports.charts import Chart
from crm.reports.queries import current_month, months_ending
from crm.reports.report_charts import turnover_chart
from crm.reports.turnover import GroupCells, MonthTurnover, Turnover, group_cells, turnover_of
from crm.reports.village_report import report_groups
from crm.web.i18n import gettext as _

HOME_MONTHS = 6
# An officer of a whole Kecamatan or Kabupaten has hundreds of groups: their home page
# stays quick without a chart (the area view compares the villages).
HOME_GROUPS = 60


def combined(turnovers: list[Turnover]) -> Turnover:
    """Several groups' turnover as one: the MRSE channels add up; a month's other
    sales count only when every group recorded them, and the baseline only when every
    group has one. So the whole is compared with the baseline only where it is whole."""
    first = turnovers[0]
    baselines = [t.baseline for t in turnovers]
    baseline = sum(baselines) if all(baselines) else None
    months = []
    for n, month in enumerate(first.months):
        parts = [t.months[n] for t in turnovers]
        other = (sum(p.other for p in parts) if all(p.recorded for p in parts) else None)
        months.append(MonthTurnover(month.month, sum(p.mrse for p in parts), other, baseline))
    return Turnover(tuple(months), baseline)


def _added_cells(found: dict[int, GroupCells]) -> dict:
    cells: dict = {}
    for group in found.values():
        for key, value in group.cells.items():
            cells[key] = cells.get(key, 0) + value
    return cells


def home_chart(user: User) -> Chart | None:
    """The home page's chart of a producer (their group) or an officer (every group
    of their villages together, up to :data:`HOME_GROUPS`); None for other roles,
    without a group or with more groups than that."""
    if user.role not in (Role.PRODUCER, Role.OFFICER):
        return None
    period = months_ending(current_month(), HOME_MONTHS)
    groups = db.session.execute(report_groups(user).limit(HOME_GROUPS + 1)).all()
    if not groups or len(groups) > HOME_GROUPS:
        return None
    found = group_cells(user, period, groups)
    turnovers = [turnover_of(period, found[g.id], g.baseline_monthly_turnover)
                 for g in groups]
    title = (_("Omzet kelompok per bulan") if user.role == Role.PRODUCER
             else _("Omzet semua kelompok per bulan"))
    return turnover_chart(combined(turnovers), title, _added_cells(found))
