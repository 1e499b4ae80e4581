"""The involvement bank: create_app() builds the Flask application."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from flask import Flask
from jinja2 import ChainableUndefined, ChoiceLoader, FileSystemLoader, PackageLoader

from crm import db
from crm.extensions import csrf, login_manager
from crm.settings import ROOT, Settings, load_settings


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app. ``test_config`` overrides settings (see crm.settings)."""
    settings: Settings = load_settings(overrides=test_config)
    app = Flask(
        __name__,
        instance_path=str(settings.instance_path),
        template_folder=str(ROOT / "templates"),
    )
    app.config.update(
        CRM_SETTINGS=settings,
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.https_only,
        SESSION_COOKIE_NAME="crm_session",
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=settings.session_absolute_hours),
        WTF_CSRF_TIME_LIMIT=None,  # tied to the session instead, which expires
        MAX_CONTENT_LENGTH=10 * 1024 * 1024,
        TESTING=bool(test_config and test_config.get("testing")),
    )
    if test_config and "wtf_csrf_enabled" in test_config:
        app.config["WTF_CSRF_ENABLED"] = test_config["wtf_csrf_enabled"]
    if test_config and test_config.get("cheapest_password_hashing"):
        if not app.config["TESTING"]:
            raise RuntimeError("cheapest_password_hashing is for the test suite only")
        from crm.accounts.passwords import use_cheapest_hashing_for_tests

        use_cheapest_hashing_for_tests(app.extensions)

    if settings.trusted_hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=settings.trusted_hops, x_proto=settings.trusted_hops)
    _configure_jinja(app)
    db.init_app(app, settings.database_url)
    csrf.init_app(app)
    login_manager.init_app(app)

    from crm.accounts import hooks as _account_hooks  # noqa: F401 (connects receivers)
    from crm.accounts.sessions import load_user
    from crm.mail import hooks as _mail_hooks  # noqa: F401 (connects receivers)
    from crm.matching import hooks as _matching_hooks  # noqa: F401 (connects receivers)
    from crm.web import errors, security

    login_manager.user_loader(load_user)
    security.init_app(app)
    errors.init_app(app)

    from crm.accounts.views import bp as accounts_bp
    from crm.admin.views import bp as admin_bp
    from crm.contributors import templating as contributor_templating
    from crm.contributors.routes import bp as contributors_bp
    from crm.equality import hooks as _equality_hooks  # noqa: F401 (connects receivers)
    from crm.equality.questions import equality_questions
    from crm.equality.views import bp as equality_bp
    from crm.home.views import bp as home_bp
    from crm.matching.config import matching_config
    from crm.matching.routes import bp as matching_bp
    from crm.meetings.routes import bp as meetings_bp
    from crm.messaging.routes import bp as messaging_bp
    from crm.payments.choice_views import own_bp as my_payments_bp
    from crm.payments.finance_config import finance_config
    from crm.payments.rate_cards import rate_cards
    from crm.payments.routes import bp as payments_bp
    from crm.projects.routes import bp as projects_bp
    from crm.reference import reference
    from crm.reporting.views import bp as reports_bp
    from crm.selfservice.views import bp as my_bp

    reference()  # load and validate reference data now: a bad file stops start-up
    matching_config()
    rate_cards()
    finance_config()
    equality_questions()
    contributor_templating.init_app(app)
    for blueprint in (accounts_bp, home_bp, admin_bp, contributors_bp, projects_bp, matching_bp,
                      my_bp, equality_bp, reports_bp, messaging_bp, meetings_bp, payments_bp,
                      my_payments_bp):
        app.register_blueprint(blueprint)

    from crm.cli import register

    register(app)
    logging.basicConfig(level=logging.INFO)
    from crm.web import log_redaction

    log_redaction.init_app(app)  # sign-in and feed tokens never reach the logs
    return app


def _configure_jinja(app: Flask) -> None:
    # autoescape=True: Flask only escapes .html templates by default, and the
    # NHS.UK component templates are .jinja; without it their text and value
    # parameters would be printed raw (stored HTML injection).
    app.jinja_options = {**app.jinja_options, "undefined": ChainableUndefined,
                         "autoescape": True}
    app.jinja_loader = ChoiceLoader([
        FileSystemLoader(str(ROOT / "templates")),
        PackageLoader("nhsuk_frontend_jinja"),
    ])

    from crm.web import templating

    templating.init_app(app)
