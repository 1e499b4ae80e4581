"""Forms every feature uses."""

from __future__ import annotations

from flask_wtf import FlaskForm


class CsrfForm(FlaskForm):
    """A button that changes something: a form with only the CSRF token.
    The one such form; features do not make their own."""
