"""The names of a contributor's own payment pages: one wording per page for
each version (standard speaks to "you", Easy Read may say "I" or "my"), used
for the page's <title>, its <h1> and every link to it, so a link opens the
page it names. A name with ``{}`` takes the tax year ("2026 to 2027")."""

from __future__ import annotations

# page -> (standard, Easy Read)
PAGE_NAMES = {
    "my_payments": ("My payments", "My payments"),
    "choices": ("How you are paid", "How I get paid"),
    "benefits": ("Benefits you get", "My benefits"),
    "schedule": ("When you will be paid", "When I get paid"),
    "session_fee": ("Change what happens to this fee", "Change what we do with my fee"),
    "statement": ("Your statement for {}", "My money for {}"),
    "claim_form": ("Claim form", "Your claim form"),
}


def page_names(easy: bool) -> dict[str, str]:
    """Every page's name in one version (for templates: ``names.schedule``)."""
    return {key: pair[1 if easy else 0] for key, pair in PAGE_NAMES.items()}


def page_name(key: str, easy: bool, *args: object) -> str:
    return PAGE_NAMES[key][1 if easy else 0].format(*args)


def back_to(key: str, easy: bool) -> str:
    """A Back link's words: "Back to when you will be paid"."""
    name = page_name(key, easy)
    return f"Back to {name[:1].lower()}{name[1:]}"


__all__ = ["PAGE_NAMES", "back_to", "page_name", "page_names"]
