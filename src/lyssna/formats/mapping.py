"""Column mappings for CSV and generic JSON: which column (or JSON key) holds each field of a post.

A mapping is written on the command line as ``--map text=body,created_at=date,author=user``:

* The left side is a field: one of :data:`FIELDS` (a few aliases such as ``date`` → ``created_at`` are
  accepted). Field names are case-insensitive.
* The right side names the column: a header name (``body``), a JSON key or dotted path
  (``user.screen_name``; ``media.0.url`` indexes a list), or a 1-based column number (``6``) for a CSV
  file without a header row. ``date+time`` joins several columns with a space (a date and a time kept
  apart, as in Flashback exports). A name holding ``,``, ``+`` or ``"`` is written in double quotes
  (``text="Body, cleaned"``; a quote inside is doubled).
* Column numbers mean the CSV file has **no header row**: when every column in a mapping is a number,
  every row of the file is data. A number that is not also a header name, mixed with names, is a position
  in a file that has a header.

Without a mapping, :func:`guess_mapping` recognises common header names (``text``, ``full_text``,
``body`` …; ``created_at``, ``date``, ``timestamp`` …). An explicit mapping is laid over the guess, so
``--map author=user`` alone only corrects the author.

:func:`parse_mapping` returns ``{field: column spec}`` with each spec in a canonical form that
:func:`parse_columns` splits again; the Python API accepts the same dict directly.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

from ..errors import MappingSpecError

__all__ = ["FIELDS", "ALIASES", "Plan", "parse_mapping", "parse_columns", "format_columns", "guess_mapping",
           "normalise_name", "is_position", "plan_for_header", "plan_for_objects", "lookup", "leaf_paths",
           "MISSING"]

#: The fields a column can be mapped to, with what each means.
FIELDS: dict[str, str] = {
    "id": "the post's id on its platform (default: a hash of author, time and text)",
    "text": "the post's text (required)",
    "created_at": "when it was written (required, unless X/Twitter ids give the time)",
    "author": "the author's handle (screen name, user name)",
    "author_id": "the author's stable id (default: the handle)",
    "author_name": "the author's display name",
    "author_url": "a link to the author's profile",
    "followers": "the author's follower count",
    "verified": "whether the author is verified (true/false, yes/no, 1/0)",
    "title": "a title (forum threads, blog entries)",
    "url": "a link to the post",
    "lang": "the language the platform declared",
    "site": "where it was said: domain, subreddit, forum, instance",
    "reply_to": "the id of the post it answers",
    "conversation_id": "the id of the thread's first post",
    "quote_of": "the id of the post it quotes",
    "repost_of": "the id of the post it reposts",
    "likes": "like/favourite count",
    "reposts": "repost/retweet/share count",
    "replies": "reply count",
    "quotes": "quote count",
    "views": "view/impression count",
    "platform": "the platform (twitter, forum …), when not given with --platform",
    "kind": "post, reply, repost, quote, comment, article or segment (default: reply when reply_to is set)",
}

#: Other names people use for a field on the left of ``=``.
ALIASES: dict[str, str] = {
    "date": "created_at", "time": "created_at", "timestamp": "created_at", "created": "created_at",
    "published": "created_at", "body": "text", "content": "text", "message": "text",
    "user": "author", "username": "author", "handle": "author", "screen_name": "author",
    "user_id": "author_id", "name": "author_name", "parent": "reply_to", "parent_id": "reply_to",
    "in_reply_to": "reply_to", "thread": "conversation_id", "thread_id": "conversation_id",
    "favorites": "likes", "retweets": "reposts", "shares": "reposts", "follower_count": "followers",
    "followers_count": "followers", "language": "lang", "link": "url", "type": "kind",
}

# Header names recognised without a mapping, most specific first. Names are compared after
# normalise_name(): lower case, runs of other characters than letters, digits and dots turned into "_".
_GUESSES: dict[str, tuple[str, ...]] = {
    "id": ("id", "tweet_id", "post_id", "id_str", "status_id", "message_id", "comment_id", "native_id"),
    "text": ("text", "full_text", "tweet_text", "body", "content", "message", "tweet", "post_text",
             "selftext", "comment_text", "inlägg", "meddelande", "innehåll", "brödtext"),
    "created_at": ("created_at", "timestamp", "datetime", "date_time", "tweet_created", "published",
                   "published_at", "created", "created_utc", "posted_at", "pubdate", "tidpunkt", "publicerad",
                   "skapad", "date", "datum"),
    "reply_to": ("in_response_to_tweet_id", "in_reply_to_status_id_str", "in_reply_to_status_id",
                 "in_reply_to_id", "in_reply_to", "reply_to", "reply_to_id", "parent_id", "parent", "svar_på",
                 "svar_till"),
    "conversation_id": ("conversation_id", "thread_id"),
    "author_id": ("author_id", "user_id", "user.id_str", "user.id", "author.id", "from_user_id"),
    "author": ("author", "username", "user_name", "screen_name", "user_screen_name", "handle",
               "author_handle", "user.screen_name", "user.username", "author.username", "author.handle",
               "author.acct", "from_user", "user", "författare", "användare", "användarnamn", "name",
               "namn"),
    "author_name": ("author_name", "display_name", "full_name", "user.name", "author.display_name",
                    "author.name"),
    "followers": ("followers", "followers_count", "user_followers_count", "user.followers_count",
                  "author.followers_count"),
    "verified": ("verified", "user_verified", "user.verified"),
    "title": ("title", "subject", "headline", "rubrik", "ämne"),
    "url": ("url", "permalink", "link", "tweet_url", "post_url", "länk"),
    "lang": ("lang", "language", "språk"),
    "site": ("site", "domain", "subreddit", "forum"),
    "likes": ("likes", "like_count", "favorite_count", "favourite_count", "favorites", "gilla"),
    "reposts": ("reposts", "retweet_count", "retweets", "repost_count", "shares", "share_count",
                "reblogs_count"),
    "replies": ("replies", "reply_count", "replies_count", "num_comments"),
    "quotes": ("quotes", "quote_count"),
    "views": ("views", "view_count", "impression_count", "impressions"),
    "platform": ("platform", "network"),
    "kind": ("kind", "post_type"),
}

# Pairs of a date column and a time column that together make created_at.
_DATE_TIME_PAIRS = (("date", "time"), ("datum", "tid"), ("datum", "klockslag"))
_NUMBER = re.compile(r"^[0-9]{1,6}$")


def normalise_name(name: str) -> str:
    """A header name as the guesser compares it: ``" Tweet-ID"`` → ``tweet_id``."""
    return re.sub(r"[^\w.]+", "_", name.casefold()).strip("_")


def is_position(column: str) -> bool:
    """Whether a column reference is a 1-based column number."""
    return bool(_NUMBER.match(column)) and int(column) > 0


def _known() -> str:
    return ", ".join(FIELDS)


def _field(name: str, item: str) -> str:
    key = name.strip().casefold().replace("-", "_").replace(" ", "_")
    if key in FIELDS:
        return key
    if key in ALIASES:
        return ALIASES[key]
    if not key:
        raise MappingSpecError(f"--map: {item.strip()!r} has no field before '='; known fields: {_known()}")
    close = difflib.get_close_matches(key, list(FIELDS) + list(ALIASES), n=1)
    hint = f" (did you mean {ALIASES.get(close[0], close[0])!r}?)" if close else ""
    raise MappingSpecError(f"--map: unknown field {name.strip()!r} in {item.strip()!r}{hint}; "
                           f"known fields: {_known()}")


def _split(text: str, sep: str, what: str) -> list[str]:
    """Split on ``sep`` outside double quotes; quotes are kept for the next step."""
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if ch == sep and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    if quoted:
        raise MappingSpecError(f"--map: a double quote is not closed in {what!r}")
    parts.append("".join(current))
    return parts


def _unquote(part: str, what: str) -> str:
    s = part.strip()
    if s.startswith('"'):
        if len(s) < 2 or not s.endswith('"'):
            raise MappingSpecError(f"--map: text after a closing quote in {what!r}")
        inner = s[1:-1]
        if '"' in inner.replace('""', ""):
            raise MappingSpecError(f"--map: a stray double quote in {what!r} (write a quote inside quotes as \"\")")
        return inner.replace('""', '"')
    if '"' in s:
        raise MappingSpecError(f"--map: a double quote in the middle of {what!r}; quote the whole column name")
    return s


def parse_columns(spec: str, *, field: str = "column") -> tuple[str, ...]:
    """The columns of one mapping value: ``date+time`` → ``("date", "time")``; quotes removed."""
    if not isinstance(spec, str):
        raise MappingSpecError(f"--map {field}: the column should be text, not {type(spec).__name__}")
    columns = tuple(_unquote(part, f"{field}={spec}") for part in _split(spec, "+", f"{field}={spec}"))
    for column in columns:
        if not column:
            raise MappingSpecError(f"--map: {field}={spec.strip()!r} names an empty column "
                                   f"(write {field}=COLUMN, or {field}=COLUMN+COLUMN to join columns)")
    return columns


def format_columns(columns: Iterable[str]) -> str:
    """The canonical text of a mapping value, which :func:`parse_columns` reads back."""
    out = []
    for column in columns:
        if any(c in column for c in ',+"=') or column != column.strip():
            out.append('"' + column.replace('"', '""') + '"')
        else:
            out.append(column)
    return "+".join(out)


def parse_mapping(spec: str) -> dict[str, str]:
    """Parse ``--map text=body,created_at=date+time,author="User, name"`` into ``{field: columns}``.

    Raises :class:`MappingSpecError` naming the bad part and the known fields. Every value in the result
    is canonical (see :func:`format_columns`); column names are not checked against any file here.
    """
    if not isinstance(spec, str) or not spec.strip():
        raise MappingSpecError("--map is empty; write FIELD=COLUMN,… e.g. --map text=body,created_at=date "
                               f"(fields: {_known()})")
    mapping: dict[str, str] = {}
    for item in _split(spec, ",", spec):
        if not item.strip():
            raise MappingSpecError(f"--map: an empty item in {spec!r} (two commas, or a comma at the end?)")
        name, eq, value = item.partition("=")
        if not eq:
            raise MappingSpecError(f"--map: {item.strip()!r} has no '='; write FIELD=COLUMN "
                                   f"(fields: {_known()})")
        if '"' in name:
            raise MappingSpecError(f"--map: {item.strip()!r}: a field name cannot be quoted; fields: {_known()}")
        field = _field(name, item)
        if field in mapping:
            raise MappingSpecError(f"--map: {field} is mapped twice ({field}={mapping[field]} and {item.strip()})")
        mapping[field] = format_columns(parse_columns(value, field=field))
    return mapping


def guess_mapping(names: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """Fields recognised from header names (or flattened JSON keys), as ``{field: (name, …)}``.

    Each name is used for one field at most. A ``date`` and a ``time`` column with no combined one
    become ``created_at = date + time``.
    """
    by_norm: dict[str, str] = {}
    for name in names:
        by_norm.setdefault(normalise_name(name), name)
    used: set[str] = set()
    guess: dict[str, tuple[str, ...]] = {}
    for field, candidates in _GUESSES.items():
        if field == "created_at" and not any(c in by_norm for c in candidates if c not in ("date", "datum")):
            pair = next(((d, t) for d, t in _DATE_TIME_PAIRS if d in by_norm and t in by_norm), None)
            if pair:
                guess[field] = (by_norm[pair[0]], by_norm[pair[1]])
                used.update(guess[field])
                continue
        for candidate in candidates:
            name = by_norm.get(candidate)
            if name is not None and name not in used:
                guess[field] = (name,)
                used.add(name)
                break
    if "created_at" not in guess and "time" in by_norm and by_norm["time"] not in used:
        guess["created_at"] = (by_norm["time"],)  # a column called "time" holding whole timestamps
    return guess


# ---------------------------------------------------------------------------------------------------
# A mapping resolved against one file


@dataclass(frozen=True, slots=True)
class Plan:
    """A mapping resolved against one file: where each field's value is, and how to describe it.

    ``columns`` holds 0-based column indexes for CSV, key paths for JSON. ``width`` is the number of fields
    a CSV row should have (the header's, or the first row's in a file without a header).
    """

    columns: dict[str, tuple[Any, ...]]
    labels: dict[str, str]
    names: tuple[str, ...]
    width: int | None = None
    header: bool = True
    guessed: tuple[str, ...] = ()  # fields found from header names rather than an explicit mapping
    json: bool = False  # rows are JSON objects (columns are key paths), not lists of CSV cells


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


#: What :func:`lookup` returns for a key that is not there (a present key may hold None).
MISSING: Any = _Missing()


def lookup(obj: Any, path: str) -> Any:
    """``obj[path]``, else the dotted path ``a.b.0.c`` through objects and lists, else :data:`MISSING`."""
    if isinstance(obj, dict) and path in obj:
        return obj[path]
    current = obj
    for part in path.split("."):
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and part.isascii() and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return MISSING
    return current


def leaf_paths(obj: Any, depth: int = 3, prefix: str = "") -> list[str]:
    """Dotted paths to the scalar values of a JSON object (lists are not entered)."""
    paths: list[str] = []
    if not isinstance(obj, dict):
        return paths
    for key, value in obj.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            if depth > 1:
                paths.extend(leaf_paths(value, depth - 1, path + "."))
        elif not isinstance(value, list):
            paths.append(path)
    return paths


def _explicit(mapping: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
    """An options mapping (from :func:`parse_mapping` or the Python API) checked and split."""
    out: dict[str, tuple[str, ...]] = {}
    for name, spec in mapping.items():
        field = _field(str(name), f"{name}={spec}")
        if field in out:
            raise MappingSpecError(f"--map: {field} is mapped twice")
        out[field] = parse_columns(spec, field=field)
    return out


def _shown(names: Sequence[str], limit: int = 40) -> str:
    if not names:
        return "none"
    shown = ", ".join(repr(n) for n in names[:limit])
    return shown + (f" … ({len(names) - limit} more)" if len(names) > limit else "")


def _label(columns: Sequence[str], positional: bool) -> str:
    if positional:
        return "column " + "+".join(columns)
    if len(columns) == 1:
        return f"column {columns[0]!r}"
    return "columns " + "+".join(repr(c) for c in columns)


def _require(columns: Mapping[str, Any], names: Sequence[str], where: str, platform: str | None,
             what: str = "columns") -> None:
    if "text" not in columns:
        raise MappingSpecError(f"{where}: no column holds the text; name it with --map text=COLUMN "
                               f"({what}: {_shown(names)})")
    if "created_at" not in columns and not (platform == "twitter" and "id" in columns) and "platform" not in columns:
        raise MappingSpecError(
            f"{where}: no column holds the time; name it with --map created_at=COLUMN, or date+time for two "
            f"columns (X/Twitter ids carry their time: --platform twitter with an id column) "
            f"({what}: {_shown(names)})")


def plan_for_header(first_row: Sequence[str], mapping: Mapping[str, str], *, where: str,
                    platform: str | None = None) -> Plan:
    """Resolve a mapping (explicit, laid over the guess) against a CSV file's first row.

    When every explicit column is a number the file has no header and ``first_row`` is data. Raises
    :class:`MappingSpecError` naming a column that is not there, and the columns that are.
    """
    explicit = _explicit(mapping)
    refs = [c for cols in explicit.values() for c in cols]
    width = len(first_row)
    if explicit and all(is_position(c) for c in refs):
        names = tuple(str(i + 1) for i in range(width))
        columns: dict[str, tuple[Any, ...]] = {}
        for field, cols in explicit.items():
            for c in cols:
                if int(c) > width:
                    raise MappingSpecError(f"{where}: --map {field}={c}: the first row has only {width} "
                                           "columns (numbers count from 1; numbers mean the file has no header)")
            columns[field] = tuple(int(c) - 1 for c in cols)
        labels = {f: _label(cols, True) for f, cols in explicit.items()}
        _require(columns, [f"{i + 1}: {v[:20]!r}" for i, v in enumerate(first_row)], where, platform,
                 "the first row")
        return Plan(columns, labels, names, width, header=False)

    names = tuple(n.strip().lstrip("\ufeff").strip() for n in first_row)
    index: dict[str, int] = {}
    for i, n in enumerate(names):
        index.setdefault(n, i)
    folded: dict[str, int] = {}
    for i, n in enumerate(names):
        folded.setdefault(n.casefold(), i)

    def find(column: str, field: str) -> int:
        if column in index:
            return index[column]
        if column.strip().casefold() in folded:
            return folded[column.strip().casefold()]
        if is_position(column) and int(column) <= width:
            return int(column) - 1
        raise MappingSpecError(f"{where}: --map {field}={column}: there is no column {column!r}; "
                               f"the columns are {_shown(names)}")

    columns = {}
    labels = {}
    guess = guess_mapping(names)
    for field, cols in guess.items():
        columns[field] = tuple(index[c] for c in cols)
        labels[field] = _label(cols, False)
    for field, cols in explicit.items():
        columns[field] = tuple(find(c, field) for c in cols)
        labels[field] = _label([names[i] for i in columns[field]], False)
    _require(columns, names, where, platform)
    guessed = tuple(f for f in guess if f not in explicit)
    return Plan(columns, labels, names, width, header=True, guessed=guessed)


def plan_for_objects(objects: Sequence[Any], mapping: Mapping[str, str], *, where: str,
                     platform: str | None = None) -> Plan:
    """Resolve a mapping (explicit, laid over the guess) against sample JSON objects of a file.

    A key named explicitly must occur in at least one of the objects sampled.
    """
    explicit = _explicit(mapping)
    dicts = [o for o in objects if isinstance(o, dict)]
    names: list[str] = []
    seen: set[str] = set()
    for obj in dicts:
        for path in leaf_paths(obj):
            if path not in seen:
                seen.add(path)
                names.append(path)
    columns: dict[str, tuple[Any, ...]] = {}
    labels: dict[str, str] = {}
    guess = guess_mapping(names)
    for field, cols in guess.items():
        columns[field] = cols
        labels[field] = _label(cols, False).replace("column", "key")
    for field, cols in explicit.items():
        for c in cols:
            if not any(lookup(o, c) is not MISSING for o in dicts):
                raise MappingSpecError(f"{where}: --map {field}={c}: no object in the first {len(dicts)} has a "
                                       f"key {c!r}; keys found: {_shown(names)}")
        columns[field] = cols
        labels[field] = _label(cols, False).replace("column", "key")
    _require(columns, names, where, platform, "keys")
    guessed = tuple(f for f in guess if f not in explicit)
    return Plan(columns, labels, tuple(names), None, header=True, guessed=guessed, json=True)
