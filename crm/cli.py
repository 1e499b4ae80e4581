"""Operators' command line: ``flask --app crm <group> <command>``.

    db upgrade [REVISION]      apply migrations (default: head)
    db downgrade REVISION      roll back (for example -1, or base)
    db heads                   show the latest revision(s)
    users create               create an account with a role (asks for the password)
    demo load                  load synthetic demo data into an empty database
    offers expire              mark offers past their role's closing date as expired (daily)
    messages send-due          send queued messages and reminders, retry (every few minutes)
"""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from crm import migrate
from crm.db import get_db
from crm.permissions import Role

db_cli = AppGroup("db", help="Database migrations.")
users_cli = AppGroup("users", help="Accounts.")
demo_cli = AppGroup("demo", help="Synthetic demo data.")
offers_cli = AppGroup("offers", help="Offers of roles.")
messages_cli = AppGroup("messages", help="Messages to contributors.")


def _settings():
    return current_app.config["CRM_SETTINGS"]


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION."""
    migrate.upgrade(_settings().database_url, revision)
    click.echo(f"Database upgraded to {revision}.")


@db_cli.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Roll migrations back to REVISION (for example -1 or base)."""
    migrate.downgrade(_settings().database_url, revision)
    click.echo(f"Database downgraded to {revision}.")


@db_cli.command("heads")
def db_heads() -> None:
    for head in migrate.heads(_settings().database_url):
        click.echo(head)


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", "display_name", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.password_option(prompt="Password (12 characters or more)")
def users_create(email: str, display_name: str, role: str, password: str) -> None:
    """Create an account that can sign in straight away."""
    from crm.accounts.services import AccountError, create_user

    try:
        with get_db().session() as session:
            create_user(session, _settings(), email, display_name, Role(role), password)
    except AccountError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Created a {role} account.")


@demo_cli.command("load")
def demo_load() -> None:
    """Load demo data if the database is empty, and print the demo sign-ins
    when the database holds them (never for a database of real accounts)."""
    from sqlalchemy import func, select

    from crm import demo
    from crm.accounts.models import User

    with get_db().session() as session:
        if demo.database_is_empty(session):
            demo.load(session, _settings())
            click.echo("Loaded synthetic demo data (no real people).")
        else:
            click.echo("The database already has accounts: demo data not loaded.")
        emails = [a.email for a in demo.DEMO_ACCOUNTS]
        present = session.scalar(select(func.count()).select_from(User).where(
            User.email.in_(emails)))
    if present != len(emails):
        return
    click.echo(f"\nDemo sign-ins (password for all: {demo.DEMO_PASSWORD}):")
    for account in demo.DEMO_ACCOUNTS:
        click.echo(f"  {account.role.label:<26} {account.email}")


@offers_cli.command("expire")
def offers_expire() -> None:
    """Mark open offers and waiting places whose role closed before today as
    expired. Safe to run as often as you like (run it daily)."""
    from crm.matching.offers import expire_due

    with get_db().session() as session:
        count = expire_due(session)
    click.echo(f"{count} offers expired.")


@messages_cli.command("send-due")
def messages_send_due() -> None:
    """Send what is due (crm.messaging.cli). Safe to run often and in parallel."""
    from crm.messaging.cli import send_due

    send_due(get_db().engine, _settings())


def register(app: Flask) -> None:
    for group in (db_cli, users_cli, demo_cli, offers_cli, messages_cli):
        app.cli.add_command(group)
