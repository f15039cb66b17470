"""``flask crm fund-accrue``: the fixed monthly fund contributions, without anyone
having to remember them."""

import click
from flask.cli import with_appcontext

from crm.extensions import db
from crm.fund.accrual import accrue_all_fixed


@click.command("fund-accrue")
@with_appcontext
def fund_accrue_command():
    """Add the fixed monthly contribution of every group on a fixed fund rule.

    Meant for a daily cron job, e.g. ``15 0 * * * flask crm fund-accrue``. Each
    month from the rule's start up to the current month (where the group's village
    is) gets one contribution; months already counted are skipped, so running it
    again, or twice at once, adds nothing.
    """
    added = accrue_all_fixed(actor=None)
    db.session.commit()
    click.echo(f"{len(added)} fixed monthly contribution(s) added.")
