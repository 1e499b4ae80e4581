"""The header navigation: what each person sees depends on their role."""

from __future__ import annotations

from dataclasses import dataclass

from flask import request, url_for
from flask_login import current_user

from crm.permissions import Permission


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    permission: Permission


# Order is the order shown. Later features add their entries here. Keep it
# short: without JavaScript every entry shows, and on a phone a menu of more
# than two rows pushes the page below the first screen. Your account is the
# person's name in the header; lists with a card on the home page (training
# due) are reached from there.
NAV_ITEMS: list[NavItem] = [
    NavItem("Home", "home.index", Permission.HOME_VIEW),
    NavItem("Your record", "my.index", Permission.OWN_RECORD_VIEW),
    NavItem("My roles", "my.roles", Permission.OWN_ROLES_VIEW),
    NavItem("My meetings", "meetings.my_sessions", Permission.OWN_SESSIONS_USE),
    NavItem("Opportunities", "my.opportunities", Permission.OWN_ROLES_VIEW),
    NavItem("My payments", "payments.my_payments", Permission.OWN_PAYMENTS_VIEW),
    NavItem("Contributors", "contributors.index", Permission.CONTRIBUTORS_VIEW),
    NavItem("Projects", "projects.index", Permission.PROJECTS_VIEW),
    NavItem("Sessions", "meetings.sessions", Permission.MEETINGS_MANAGE),
    NavItem("Messages", "messaging.index", Permission.MESSAGES_MANAGE),
    NavItem("Claims to approve", "payments.finance_waiting", Permission.PAYMENTS_APPROVE),
    NavItem("Exports for payment", "payments.finance_exports", Permission.PAYMENTS_APPROVE),
    NavItem("Payments to mark as paid", "payments.finance_to_pay", Permission.PAYMENTS_APPROVE),
    NavItem("Reports", "reports.index", Permission.REPORTS_VIEW),
    NavItem("Invitations", "accounts.invitations", Permission.INVITATIONS_VIEW),
    NavItem("Invite someone", "accounts.new_invitation", Permission.INVITATIONS_SEND_STAFF),
    NavItem("Users", "admin.users", Permission.USERS_VIEW),
    NavItem("Outbox", "admin.outbox", Permission.OUTBOX_VIEW),
    NavItem("Audit log", "admin.audit_log", Permission.AUDIT_VIEW),
]


def navigation_items() -> list[dict[str, object]]:
    if not current_user.is_authenticated:
        return []
    current = request.endpoint
    items = []
    for item in NAV_ITEMS:
        if current_user.can(item.permission):
            entry: dict[str, object] = {"text": item.label, "href": url_for(item.endpoint)}
            if current == item.endpoint:
                entry["current"] = True
            items.append(entry)
    return items
