"""Extension objects, bound to the app in create_app()."""

from flask_login import LoginManager
from flask_wtf import CSRFProtect

login_manager = LoginManager()
login_manager.login_view = "accounts.sign_in"
login_manager.login_message = "Sign in to see this page"
login_manager.login_message_category = "info"
login_manager.session_protection = None  # sessions are server-side; see crm.accounts.sessions

csrf = CSRFProtect()
