"""Keep secrets in addresses out of the logs. A sign-in link
(/invitation/<token>) and a calendar feed (/meetings/feed/<token>.ics) carry
their key in the path, and the development server and gunicorn's access log
write every request line. A filter on those loggers replaces each token
with [hidden] before the line is written, for every route whose rule has a
``token`` argument (so a new one is covered without a list to keep)."""

from __future__ import annotations

import logging
import re

from flask import Flask

HIDDEN = "[hidden]"
# The loggers that write request lines: Flask's development server, and
# gunicorn's access and error logs (an error line can quote the request).
REQUEST_LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error")


def _literal(text: str) -> str:
    """A pattern for ``text`` as it may arrive in a request line: each
    character as itself or percent-encoded (either case of hex), since the
    server decodes ``%2E`` to ``.`` before routing."""
    out = ""
    for char in text:
        hex_ = f"{ord(char):02X}" if ord(char) < 128 else None
        if hex_ is None:
            out += re.escape(char)
            continue
        encoded = "%" + "".join(f"[{h}{h.lower()}]" if h.isalpha() else h for h in hex_)
        out += f"(?:{re.escape(char)}|{encoded})"
    return out


def token_patterns(app: Flask) -> list[re.Pattern[str]]:
    """A pattern per route with a ``token`` argument, matching its path with
    the token as the group to hide."""
    out = []
    for rule in app.url_map.iter_rules():
        if "token" not in rule.arguments:
            continue
        parts = re.split(r"<(?:[^:>]+:)?([^>]+)>", rule.rule)
        pattern = ""
        for i, part in enumerate(parts):
            if i % 2 == 0:
                pattern += _literal(part)
            elif part == "token":
                pattern += r"(?P<token>[^/?#\s]+?)"
            else:
                pattern += r"[^/?#\s]+"
        out.append(re.compile(pattern + r"(?=[/?#\s\"]|$)"))
    return out


class HideTokens(logging.Filter):
    """Rewrites a record's message with each token replaced by [hidden]."""

    def __init__(self, patterns: list[re.Pattern[str]]) -> None:
        super().__init__()
        self.patterns = patterns

    def hide(self, text: str) -> str:
        for pattern in self.patterns:
            text = pattern.sub(lambda m: m.group(0).replace(m.group("token"), HIDDEN), text)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        hidden = self.hide(message)
        if hidden != message:
            record.msg, record.args = hidden, ()
        return True


def init_app(app: Flask) -> HideTokens:
    """Add the filter to the request loggers (once per logger)."""
    hider = HideTokens(token_patterns(app))
    for name in REQUEST_LOGGERS:
        logger = logging.getLogger(name)
        for old in [f for f in logger.filters if isinstance(f, HideTokens)]:
            logger.removeFilter(old)
        logger.addFilter(hider)
    return hider


__all__ = ["HIDDEN", "HideTokens", "init_app", "token_patterns"]
