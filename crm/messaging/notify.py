"""GOV.UK Notify, through its Python client (notifications-python-client).

The API key, the base URL and the two template ids come from the settings
(CRM_NOTIFY_* environment variables, never the repository). Each template
in Notify is the same one line: the email template has subject
``((subject))`` and body ``((body))``, the text message template ``((body))``;
our text goes in as personalisation.

Every request carries ``reference`` = the outbox row's ``crm-<id>``, so a
send whose answer was lost can be found again (``find_by_reference``)
instead of being sent twice."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

from crm.settings import Settings

# Notify's delivery statuses that will not change any more.
FINAL = frozenset({"delivered", "permanent-failure", "temporary-failure", "technical-failure",
                   "sent"})
NOT_DELIVERED = frozenset({"permanent-failure", "temporary-failure", "technical-failure"})


class NotifyRefused(Exception):
    """Notify said no. ``permanent`` when trying again cannot help (a bad
    number or address, a wrong key); otherwise (rate limit, Notify down)
    the message is retried later."""

    def __init__(self, text: str, permanent: bool) -> None:
        super().__init__(text)
        self.text = text
        self.permanent = permanent


@dataclass(frozen=True)
class Sent:
    provider_id: str
    status: str


def _client(settings: Settings) -> NotificationsAPIClient:
    return NotificationsAPIClient(settings.notify_api_key, base_url=settings.notify_base_url,
                                  timeout=20)


def _refused(error: APIError) -> NotifyRefused:
    code = error.status_code
    permanent = 400 <= code < 500 and code != 429
    return NotifyRefused(f"GOV.UK Notify refused it ({code})", permanent)


def _call(work: Any) -> Any:
    try:
        return work()
    except APIError as error:
        raise _refused(error) from error


def send_email(settings: Settings, to: str, subject: str, body: str, reference: str) -> Sent:
    answer = _call(lambda: _client(settings).send_email_notification(
        email_address=to, template_id=settings.notify_email_template_id,
        personalisation={"subject": subject, "body": body}, reference=reference))
    return Sent(str(answer["id"]), "created")


def send_text(settings: Settings, to: str, body: str, reference: str) -> Sent:
    answer = _call(lambda: _client(settings).send_sms_notification(
        phone_number=to, template_id=settings.notify_sms_template_id,
        personalisation={"body": body}, reference=reference))
    return Sent(str(answer["id"]), "created")


def status_of(settings: Settings, provider_id: str) -> str:
    """Notify's delivery status of one notification."""
    return str(_call(lambda: _client(settings).get_notification_by_id(provider_id))["status"])


def find_by_reference(settings: Settings, reference: str) -> Sent | None:
    """The notification sent with ``reference``, if Notify has one."""
    answer = _call(lambda: _client(settings).get_all_notifications(reference=reference))
    found = answer.get("notifications") or []
    if not found:
        return None
    return Sent(str(found[0]["id"]), str(found[0]["status"]))
