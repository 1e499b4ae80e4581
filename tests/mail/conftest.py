"""The fake SMTP server fixture (tests/mail/fake_smtp.py)."""

from tests.mail.fake_smtp import smtp

__all__ = ["smtp"]
