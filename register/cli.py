"""Command-line tools: accounts, demo data and reminders."""

import logging
import sys
from datetime import date

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from core.auth.forms import check_password_strength
from core.auth.models import ROLE_LABELS, User, normalise_email
from core.extensions import db
from core.mail import MailError
from core.timeutil import local_today

log = logging.getLogger(__name__)

users_cli = AppGroup("users", help="Manage user accounts.")
demo_cli = AppGroup("demo", help="Demo data for trying the register.")
reminders_cli = AppGroup("reminders", help="Review reminder emails.")


@users_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="The person's full name.")
@click.option(
    "--role",
    required=True,
    type=click.Choice([role.value for role in ROLE_LABELS]),
    help="The account's role.",
)
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from standard input instead of asking.",
)
def create_user(email: str, name: str, role: str, password_stdin: bool) -> None:
    """Create an account that can sign in with EMAIL."""
    email = normalise_email(email)
    if "@" not in email:
        raise click.BadParameter(f"{email!r} is not an email address", param_hint="EMAIL")
    if db.session.scalar(select(User).where(User.email == email)):
        raise click.ClickException(f"an account with the email address {email} already exists")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    problem = check_password_strength(password)
    if problem:
        raise click.ClickException(problem)
    user = User(email=email, name=name.strip(), role=role)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    log.info("account created from the command line user_id=%s", user.id)
    click.echo(f"Created {ROLE_LABELS[role].lower()} account {email}")


@demo_cli.command("load")
@click.option(
    "--if-empty",
    is_flag=True,
    help="Succeed without loading anything when the register already holds data.",
)
def load_demo(if_empty: bool) -> None:
    """Load the Project Dorothy demo data into an empty database."""
    from register.demo import DEMO_PASSWORD, DEMO_USERS, load

    if db.session.scalar(select(func.count()).select_from(User)):
        if not if_empty:
            raise click.ClickException(
                "the database already holds accounts; "
                "demo data is only loaded into an empty register"
            )
        emails = [email for email, _, _ in DEMO_USERS]
        users = db.session.scalars(select(User).where(User.email.in_(emails))).all()
        click.echo("The register already holds data; nothing was loaded.")
    else:
        users = load(local_today())
        click.echo("Demo data loaded.")
    if users:
        click.echo("Demo sign-ins:")
        for user in users:
            click.echo(f"  {user.email:<28} {user.role_label}")
        click.echo(f"  password for each: {DEMO_PASSWORD}")


def parse_day(ctx, param, value):
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from None


@reminders_cli.command("send")
@click.option("--dry-run", is_flag=True, help="List the emails that would be sent, and send none.")
@click.option(
    "--today",
    callback=parse_day,
    help="Run as if today were this date (YYYY-MM-DD); defaults to today in REGISTER_TIMEZONE.",
)
def send(dry_run: bool, today: date | None) -> None:
    """Email each owner the records whose review is due soon or overdue."""
    from register.reminders import send_reminders

    today = today or local_today()
    try:
        summary = send_reminders(today, dry_run=dry_run)
    except MailError as error:
        log.error("reminder run failed: %s", error)
        raise click.ClickException(
            f"{error}. Check MAIL_SERVER and MAIL_PORT; no reminder was sent."
        ) from None
    for digest in summary.sent:
        verb = "would send" if dry_run else "sent"
        click.echo(f"{verb} to {digest.owner.email}: {len(digest.items)} record(s)")
        if dry_run:
            for item in digest.items:
                click.echo(
                    f"    {item.next_review_on.isoformat()}  {item.kind_label}: {item.title}"
                )
    for digest, error in summary.failed:
        click.echo(f"failed for {digest.owner.email}: {error}", err=True)
    click.echo(
        f"{len(summary.sent)} {'to send' if dry_run else 'sent'}, "
        f"{len(summary.failed)} failed, {len(summary.skipped)} skipped"
    )
    if summary.failed:
        sys.exit(1)


def init_app(app) -> None:
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(reminders_cli)
