"""Staff pages speak of a contributor as "they"; the catalogues speak to the
contributor as "you" (their own pages use those words as they are). This
turns "you" words into "they" words for staff pages, so the adjustments
form reads in one voice: "You get the agenda" becomes "They get the agenda",
"help you" becomes "help them", "your" becomes "their"."""

from __future__ import annotations

import re

# After "you", these words show it is the subject ("you are told" -> "they are told").
_VERB_WORDS = (
    "are were will would can could may might must should do did does get have had know "
    "need read trust talk feel share become choose place like pick take want see hear "
    "join bring send decide raise say understand tell react go "
)
_VERBS = frozenset(_VERB_WORDS.split())
# Before "you", these words show it is the object ("helps you take part" -> "helps them ...").
_OBJECT_WORDS = (
    "help helps helped ask asks asked tell tells told with for to give gives let lets "
    "support supports meet show shows call contact about from than "
)
_TAKES_OBJECT = frozenset(_OBJECT_WORDS.split())
_WORD = re.compile(r"[A-Za-z']+|[^A-Za-z']+")


def _cased(word: str, like: str) -> str:
    return word.capitalize() if like[:1].isupper() else word


def in_their_words(text: str | None) -> str:
    """``text`` with "you", "your" and "yourself" said of someone else."""
    if not text:
        return ""
    parts = _WORD.findall(text)
    words = [i for i, p in enumerate(parts) if p[0].isalpha() or p[0] == "'"]
    out = list(parts)
    for n, i in enumerate(words):
        lower = parts[i].lower()
        if lower == "you":
            between = "".join(parts[words[n - 1] + 1:i]) if n else "."
            before = "" if re.search(r"[.!?(]", between) else parts[words[n - 1]].lower()
            following = parts[words[n + 1]].lower() if n + 1 < len(words) else ""
            subject = before not in _TAKES_OBJECT and following in _VERBS
            out[i] = _cased("they" if subject else "them", parts[i])
        elif lower == "your":
            out[i] = _cased("their", parts[i])
        elif lower == "yourself":
            out[i] = _cased("themselves", parts[i])
    return "".join(out)
