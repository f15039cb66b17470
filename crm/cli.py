"""``flask crm …`` commands. They call the same services as the web pages."""

import sqlite3
import sys
from pathlib import Path

import click
from alembic.script import ScriptDirectory
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select
from sqlalchemy.engine import make_url

from crm.auth.models import Role
from crm.catalog.models import ProducerGroup
from crm.config import MIGRATIONS_DIR
from crm.demo.seed import DEMO_PASSWORD, database_is_empty, load_demo
from crm.extensions import db
from crm.fund.cli import fund_accrue_command
from crm.partners.models import Partner
from crm.reports.drift import rebuild_totals, totals_drift
from crm.resellers.accounts import open_account
from crm.setup.services import start_village
from crm.villages.models import Village
from crm.villages.services import VILLAGE_TIMEZONES
from crm.web.errors import RuleError

crm_cli = AppGroup("crm", help="MRSE CRM commands.")
crm_cli.add_command(fund_accrue_command)


def _village(code: str) -> Village:
    village = db.session.scalar(select(Village).where(Village.code == code))
    if village is None:
        raise click.BadParameter(f"no village with code {code}")
    return village


@crm_cli.command("create-village")
@click.option("--code", required=True, help="Region code, e.g. 32.04.11.2002")
@click.option("--name", required=True)
@click.option("--kecamatan", required=True)
@click.option("--kabupaten", required=True)
@click.option("--provinsi", required=True)
@click.option("--letter-code", required=True, help="Short code for letter numbers, e.g. KTP")
@click.option("--timezone", type=click.Choice(list(VILLAGE_TIMEZONES)), default="Asia/Jakarta",
              show_default=True,
              help="Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT)")
def create_village_command(code, name, kecamatan, kabupaten, provinsi, letter_code, timezone):
    """Add a village, with this year's spending ceilings of its Kabupaten where known
    (as the administrator's page does)."""
    try:
        village = start_village(dict(
            code=code, name=name, kecamatan=kecamatan, kabupaten=kabupaten,
            provinsi=provinsi, letter_code=letter_code, timezone=timezone,
        ), actor=None)
    except RuleError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"Created {village.display_name} ({village.code}).")


@crm_cli.command("create-user")
@click.option("--username", required=True)
@click.option("--name", "full_name", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--phone", default=None)
@click.option("--village", "village_codes", multiple=True,
              help="Village code; officers may be given several, administrators none.")
@click.option("--group", "group_name", default=None, help="Producer group name (producers).")
@click.option("--partner", "partner_name", default=None, help="Partner name (partner contacts).")
@click.password_option()
def create_user_command(username, full_name, role, phone, village_codes, group_name,
                        partner_name, password):
    """Add an account (an administrator: ``--role admin`` without a village)."""
    role = Role(role)
    if role == Role.ADMIN and village_codes:
        raise click.BadParameter("an administrator has no village", param_hint="--village")
    villages = [_village(code) for code in village_codes]
    home = villages[0] if villages and role != Role.OFFICER else None
    group = partner = None
    if group_name and home:
        group = db.session.scalar(select(ProducerGroup).where(
            ProducerGroup.village_id == home.id, ProducerGroup.name == group_name))
    if partner_name and home:
        partner = db.session.scalar(select(Partner).where(
            Partner.village_id == home.id, Partner.name == partner_name))
    try:
        user = open_account(
            username=username, full_name=full_name, role=role, password=password,
            phone=phone, village=home, group=group, partner=partner,
            assigned_villages=villages if role == Role.OFFICER else (),
        )
    except (RuleError, ValueError) as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Created {user.role} {user.username}.")


@crm_cli.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) when data exists.")
def demo_command(if_empty):
    """Load the Katapang demo into an empty database and print the demo logins."""
    if current_app.config["CRM_ENV"] == "production":
        raise click.ClickException("Refusing to load demo data in production (CRM_ENV).")
    if not database_is_empty():
        if if_empty:
            click.echo("Database already has data; demo not loaded.")
            return
        raise click.ClickException("The database is not empty; demo data goes only into an "
                                   "empty database.")
    logins = load_demo()
    db.session.commit()
    click.echo("Demo loaded (Desa Katapang). Logins, all with password "
               f"'{DEMO_PASSWORD}':")
    for username, role, name in logins:
        click.echo(f"  {username:<8} {role:<9} {name}")


@crm_cli.command("check-totals")
@click.option("--fix", is_flag=True, help="Rebuild the totals from the records.")
def check_totals_command(fix):
    """Check the monthly sales summaries and running totals against the records."""
    checked, differences = totals_drift()
    if not differences:
        click.echo(f"Totals match the records ({checked} rows checked).")
        return
    for drift in differences[:20]:
        click.echo(f"{drift.table} {drift.key}: stored {drift.stored}, "
                   f"records give {drift.computed}")
    if len(differences) > 20:
        click.echo(f"… and {len(differences) - 20} more.")
    if not fix:
        raise click.ClickException(
            f"{len(differences)} of {checked} rows differ from the records; "
            "run with --fix to rebuild them.")
    rebuild_totals()
    db.session.commit()
    click.echo(f"Rebuilt: {len(differences)} rows differed.")


@crm_cli.command("backup")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="File to write the copy to.")
def backup_command(output: Path):
    """Write a consistent copy of the SQLite database (uses SQLite's backup API)."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite":
        click.echo(
            "This database is not SQLite. Back up PostgreSQL with pg_dump, e.g.\n"
            f"  pg_dump --format=custom --file={output} "
            f"'{url.set(drivername='postgresql').render_as_string(hide_password=True)}'",
            err=True,
        )
        sys.exit(2)
    if output.exists():
        raise click.ClickException(f"{output} exists; choose a new file name.")
    source = sqlite3.connect(url.database)
    target = sqlite3.connect(output)
    try:
        with target:
            source.backup(target)
        check = target.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        target.close()
        source.close()
    if check != "ok":
        raise click.ClickException(f"integrity check of the copy failed: {check}")
    click.echo(f"Backup written to {output} (integrity check ok).")


def _revision_of(path: Path) -> str | None:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        check = connection.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise click.ClickException(f"{path} fails the integrity check: {check}")
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as error:
        raise click.ClickException(f"{path} is not a backup of this app ({error}).") from error
    finally:
        connection.close()
    return row[0] if row else None


@crm_cli.command("restore")
@click.option("--input", "-i", "source", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A copy written by 'flask crm backup'.")
@click.option("--yes", is_flag=True, help="Replace the current data without asking.")
def restore_command(source: Path, yes: bool):
    """Replace the SQLite database with a backup copy (checked first). Stop the web
    server before restoring; run 'flask db upgrade' afterwards if the copy is older."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite":
        click.echo(
            "This database is not SQLite. Restore PostgreSQL with pg_restore, e.g.\n"
            f"  pg_restore --clean --if-exists --no-owner --dbname="
            f"'{url.set(drivername='postgresql').render_as_string(hide_password=True)}' "
            f"{source}",
            err=True,
        )
        sys.exit(2)
    revision = _revision_of(source)
    scripts = ScriptDirectory(MIGRATIONS_DIR)
    known = {script.revision for script in scripts.walk_revisions()}
    if revision not in known:
        raise click.ClickException(
            f"{source} has schema version {revision!r}, unknown to this version of the app."
        )
    if not yes:
        click.confirm(f"Replace all data in {url.database} with {source}?", abort=True)
    db.session.remove()
    db.engine.dispose()
    copy = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    target = sqlite3.connect(url.database)
    try:
        copy.backup(target)
        check = target.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        target.close()
        copy.close()
    if check != "ok":
        raise click.ClickException(f"integrity check after restoring failed: {check}")
    hint = "" if revision == scripts.get_current_head() else " Now run 'flask db upgrade'."
    click.echo(f"Restored {url.database} from {source} (integrity check ok).{hint}")
