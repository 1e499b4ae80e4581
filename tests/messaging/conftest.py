"""Fixtures for messaging: a fake GOV.UK Notify over HTTP, and an app
instance whose settings point at it."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask

from tests.fake_notify import FakeNotify, running
from tests.mail.fake_smtp import smtp

__all__ = ["fake_notify", "notify_app", "smtp"]


@pytest.fixture
def fake_notify() -> Iterator[FakeNotify]:
    with running() as fake:
        yield fake


@pytest.fixture
def notify_app(make_app: Callable[..., Flask], fake_notify: FakeNotify) -> Flask:
    """An app that sends email and text messages through the fake Notify."""
    return make_app(**fake_notify.settings_overrides())
