"""What every Twitter format shares about a tweet's text and declared language."""

from __future__ import annotations

import re
from typing import Any

__all__ = ["PSEUDO_LANGS", "tweet_text", "declared_lang"]

#: Twitter's ``lang`` values that name no language: undetermined, media/hashtags/mentions/cashtags only …
PSEUDO_LANGS = frozenset({"und", "zxx", "art", "qam", "qct", "qht", "qme", "qst"})
_ESCAPED = re.compile(r"&(amp|lt|gt);")
_UNESCAPE = {"amp": "&", "lt": "<", "gt": ">"}


def tweet_text(text: str) -> str:
    """Tweet text as written: Twitter stores ``&``, ``<`` and ``>`` as ``&amp;``, ``&lt;``, ``&gt;``."""
    return _ESCAPED.sub(lambda m: _UNESCAPE[m.group(1)], text) if "&" in text else text


def declared_lang(value: Any) -> str | None:
    """The declared language, or None for Twitter's codes that are not languages (``und``, ``qme`` …)."""
    return value if isinstance(value, str) and value and value not in PSEUDO_LANGS else None
