"""``flask messages send-due``: run it every few minutes (README). Several
copies at once never send a message twice (crm.messaging.sending claims
each row before sending it)."""

from __future__ import annotations

import click
from sqlalchemy import Engine

from crm.db import get_db
from crm.messaging import reminders, sending
from crm.settings import Settings


def send_due(engine: Engine, settings: Settings) -> sending.Report:
    with get_db().session() as session:
        made = reminders.create_due(session, settings)
    report = sending.send_due(engine, settings)
    click.echo(f"{made} reminders queued. {report.sent} sent, {report.retrying} to try again "
               f"later, {report.failed} not sent (shown on the Messages page), "
               f"{report.statuses_checked} delivery statuses checked.")
    for line in report.errors[:20]:
        click.echo(f"  {line}", err=True)
    return report
