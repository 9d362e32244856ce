"""Finding the @mentions, #hashtags and links in a post's text, with their positions (code points)."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Token", "tokens"]

_TOKEN = re.compile(
    r"(?P<url>https?://[^\s]+[^\s.,!?)])"
    r"|(?<![\w@/])@(?P<mention>[A-Za-z0-9_]+(?:@[A-Za-z0-9.-]*[A-Za-z0-9])?)"
    r"|(?<![\w&/#])#(?P<tag>[^\W\d_][\w]*)"
)


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # url, mention, tag
    value: str  # the URL, the name after @ (may hold @domain), the tag after #
    start: int
    end: int


def tokens(text: str) -> list[Token]:
    """Every mention, hashtag and link in ``text``, in order."""
    out = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or ""
        out.append(Token(kind, m.group(kind), m.start(), m.end()))
    return out
