"""RSS 0.9x, 1.0 (RDF) and 2.0 and Atom feeds — blogs and news — read with feedparser.

One :class:`RawRecord` per entry (``entry 1``, ``entry 2`` …), one :class:`Post` per record: platform
``web``, kind ``article``.

**Reading untrusted feeds.** The file's bytes are handed to feedparser inside a ``BytesIO``: never as a
URL, a path or a bare ``bytes`` object (feedparser's ``parse`` tries ``open()`` on a bare ``bytes`` value
first, so a tiny file holding a path would make it read that other file). Its strict parser has external
entities switched off and expat refuses entity amplification; the loose parser does not expand entities
it was not told about. Nothing is fetched.

**Broken feeds.** feedparser reads what it can and sets ``bozo`` with the reason. A bozo feed that still
has entries is imported; the reason is kept in every entry's raw payload (``raw["feed"]["bozo"]``). A
file from which no entry can be got yields a single record with ``error`` naming the reason (locator
``feed``), so it shows in the quarantine. A well-formed feed with no entries yields nothing: it is empty,
not broken.

**Fields.**

* ``native_id``: the entry's id (Atom ``id``, RSS ``guid``). An id that is an absolute URI (``https:``,
  ``tag:``, ``urn:`` …) is used as it is; any other id (``123``, ``/t3_42tizy``, a bare UUID) is only
  unique within its feed, so it is scoped by the feed's domain: ``reddit.com#/t3_42tizy``. Without an
  id, the entry's link. Without either, ``sha256:`` and the first 32 hex digits of a SHA-256 over the
  feed's link (or title), the entry's title, its date as written and, when it has no title, its text —
  stable across re-imports of the same feed.
* ``title``: plain text. ``text``: the content (``content:encoded``, Atom ``content``) as plain text,
  else the summary/description; an entry with neither gets its title as text so that it can still be
  found. Both are bounded (:data:`MAX_TEXT_CHARS`, :data:`MAX_TITLE_CHARS`).
* ``created_at``: the entry's published date, else its updated date; dates that feedparser and
  :func:`~lyssna.formats.values.parse_time` cannot read but that are RFC 822 dates with day and month
  names in another language (``Seg, 24 Set 2018 19:42:40 -0300``, ``tis, 9 feb 2021 …``) are read too.
  **An entry without any date takes the feed's own date** (``lastBuildDate``/``updated``, else
  ``pubDate``/``published``): the entry existed when the feed was built, so this is the time it was
  first seen — what a feed reader shows too. ``raw["time_from"]`` says ``"feed"`` then (``"entry"``
  otherwise). When the feed has no date either, the entry is quarantined: "entry has no date".
* ``author``: ``dc:creator``/``author`` (name, else e-mail) as an :class:`Author` of platform ``web``
  whose ``native_id`` is ``<site>:<name>`` (a name says little outside its site).
* ``url``: the entry's link (a relative one made absolute against the feed's link). ``site``: the link's
  domain, else the feed's. ``lang``: the language the entry or feed declares (``sv-se`` → ``sv``).
  ``source``: the feed's title, else its URL, else the file.
* ``raw``: ``{"entry": …, "feed": {title, link, language, date, version, bozo}, "time_from": …}`` with
  feedparser's parsed times written as ISO 8601 strings.
"""

from __future__ import annotations

import calendar
import hashlib
import io
import re
import time
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable, Iterator
from urllib.parse import urljoin, urlsplit

import feedparser

from ..errors import RecordError
from ..models import Author, Post
from .base import Cursor, MapContext, Problem, RawRecord, ReadOptions, Sample, read_document_bytes
from .values import domain_of, html_to_text, parse_time

__all__ = ["Feed", "parse_feed", "map_entry", "MAX_TEXT_CHARS", "MAX_TITLE_CHARS"]

#: An entry's text is cut here (a long blog post is some 30,000 characters; this leaves room).
MAX_TEXT_CHARS = 100_000
MAX_TITLE_CHARS = 1_000

# -- sniffing ---------------------------------------------------------------------------------------

# What may come before the root element: XML declaration, processing instructions, comments, a DOCTYPE
# (with an internal subset), and white space.
_PROLOG = re.compile(r"\A(?:\s|<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[.*?\])*>)*", re.DOTALL | re.IGNORECASE)
_ROOT = re.compile(r"<(?:([A-Za-z_][\w.-]*):)?([A-Za-z_][\w.-]*)([^>]*)>?", re.DOTALL)
_ATOM_NS = ("http://www.w3.org/2005/Atom", "http://purl.org/atom/ns#")
_RSS1_NS = ("http://purl.org/rss/1.0/", "http://my.netscape.com/rdf/simple/0.9/",
            "http://channel.netscape.com/rdf/simple/0.9/")


def root_element(text: str) -> tuple[str | None, str, str] | None:
    """(prefix, local name, the rest of the start tag) of the first element after the prolog, or None."""
    prolog = _PROLOG.match(text)
    m = _ROOT.match(text, prolog.end() if prolog else 0)
    if not m:
        return None
    return m.group(1), m.group(2), m.group(3)


# -- reading ----------------------------------------------------------------------------------------


def _iso(value: Any) -> str | None:
    """feedparser's parsed time (a UTC ``struct_time``) as ISO 8601."""
    if isinstance(value, time.struct_time):
        try:
            return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(calendar.timegm(value)))
        except (OverflowError, ValueError):
            return None
    return None


def _plain(value: Any) -> Any:
    """feedparser's dicts and lists as plain JSON-able values (parsed times become ISO strings)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in dict.items(value)}
    if isinstance(value, time.struct_time):
        return _iso(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _bozo_reason(result: Any) -> str | None:
    if not result.get("bozo"):
        return None
    exc = result.get("bozo_exception")
    if exc is None:
        return "malformed feed"
    return f"{type(exc).__name__}: {exc}"


def _feed_info(result: Any) -> dict[str, Any]:
    # Plain keys only: feedparser's dict maps a missing "updated" to "published" (with a warning).
    feed = {str(k): v for k, v in dict.items(result.get("feed") or {})}
    self_link = next((link.get("href") for link in feed.get("links", ()) or ()
                      if isinstance(link, dict) and link.get("rel") == "self" and link.get("href")), None)
    info: dict[str, Any] = {
        "title": html_to_text(feed.get("title")) or None,
        "link": feed.get("link") or None,
        "self": self_link,
        "language": feed.get("language") or None,
        "updated": feed.get("updated") or None,
        "updated_parsed": _iso(feed.get("updated_parsed")),
        "published": feed.get("published") or None,
        "published_parsed": _iso(feed.get("published_parsed")),
        "version": result.get("version") or None,
    }
    bozo = _bozo_reason(result)
    if bozo:
        info["bozo"] = bozo
    return info


def parse_feed(data: bytes) -> tuple[dict[str, Any], list[dict[str, Any]], str | None]:
    """Parse a feed's bytes without touching the network: (feed info, entries as plain dicts, bozo reason)."""
    # A stream, never bytes or str: feedparser would treat those as a URL or a path to open.
    result = feedparser.parse(io.BytesIO(data), resolve_relative_uris=False, sanitize_html=True)
    info = _feed_info(result)
    entries = [_plain(entry) for entry in result.get("entries", ())]
    return info, entries, info.get("bozo")


class Feed:
    """RSS and Atom feeds (see the module docstring)."""

    name = "feed"
    platform = "web"
    summary = "RSS 0.9x/1.0/2.0 and Atom feeds (blogs, news): one post per entry"
    line_based = False

    def sniff(self, sample: Sample) -> int:
        root = root_element(sample.text)
        if root is None:
            return 0
        prefix, local, attrs = root
        if local == "rss" and not prefix:
            return 90
        if local == "RDF":
            return 90 if any(ns in attrs for ns in _RSS1_NS) else 0
        if local == "feed":
            if any(ns in attrs for ns in _ATOM_NS):
                return 95
            return 50 if "<entry" in sample.text else 0
        return 0

    def read(self, path: Path, cursor: Cursor, options: ReadOptions) -> Iterator[RawRecord]:
        data = read_document_bytes(path)
        try:
            info, entries, bozo = parse_feed(data)
        except Exception as e:  # a third-party parser on untrusted input: quarantine, never crash the import
            yield RawRecord(0, "feed", error=f"feedparser could not read this file ({type(e).__name__}: {e})",
                            text=data[:4000])
            return
        if not entries:
            if bozo:
                yield RawRecord(0, "feed", error=f"not a readable feed, no entries found ({bozo})", text=data[:4000])
            return
        for i, entry in enumerate(entries):
            if i < cursor.position:
                continue
            yield RawRecord(i, f"entry {i + 1}", payload={"entry": entry, "feed": info})

    def map(self, record: RawRecord, ctx: MapContext) -> Iterable[Post | Problem]:
        payload = record.payload if isinstance(record.payload, dict) else {}
        return [map_entry(payload.get("entry"), payload.get("feed") or {}, ctx.options, source=ctx.source)]


# -- mapping ----------------------------------------------------------------------------------------


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", limit - 200, limit)
    return text[: cut if cut > 0 else limit].rstrip() + " …"


def _as_text(value: Any, detail: Any) -> str:
    """A feedparser text construct as plain text (HTML only when it says it is HTML)."""
    if not isinstance(value, str) or not value:
        return ""
    kind = detail.get("type") if isinstance(detail, dict) else None
    if kind in ("text/plain", "text") and "<" not in value:
        return value.strip()
    return html_to_text(value)


def _body(entry: dict[str, Any]) -> str:
    for content in entry.get("content") or ():
        if isinstance(content, dict):
            text = _as_text(content.get("value"), content)
            if text:
                return text
    return _as_text(entry.get("summary"), entry.get("summary_detail"))


def _lang(entry: dict[str, Any], feed: dict[str, Any]) -> str | None:
    candidates = [c.get("language") for c in entry.get("content") or () if isinstance(c, dict)]
    for key in ("summary_detail", "title_detail"):
        detail = entry.get(key)
        if isinstance(detail, dict):
            candidates.append(detail.get("language"))
    candidates.append(feed.get("language"))
    for tag in candidates:
        if isinstance(tag, str):
            primary = re.split(r"[-_]", tag.strip(), maxsplit=1)[0].lower()
            if 2 <= len(primary) <= 3 and primary.isalpha():
                return primary
    return None


# Month names in RFC 822 dates written in another language than English (only tried when nothing else
# understood the date). Keys are lower-case abbreviations; a name is looked up whole, by 4 and by 3 letters.
_MONTHS = {
    1: ("jan", "ene", "gen", "janv"),
    2: ("feb", "fev", "fév", "févr"),
    3: ("mar", "mär", "mrz", "mrt", "mars"),
    4: ("apr", "abr", "avr"),
    5: ("may", "mai", "maj", "mag", "mei"),
    6: ("jun", "giu", "juin"),
    7: ("jul", "lug", "juil"),
    8: ("aug", "ago", "aoû", "août"),
    9: ("sep", "set", "sept"),
    10: ("oct", "okt", "out", "ott"),
    11: ("nov",),
    12: ("dec", "dez", "dic", "des", "déc"),
}
_MONTH_OF = {name: n for n, names in _MONTHS.items() for name in names}
_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_LOCAL_RFC822 = re.compile(
    r"^(?:[^\W\d_]+\.?,?\s+)?(\d{1,2})\.?\s+([^\W\d_]+)\.?,?\s+(\d{2}|\d{4}),?\s+(\d{1,2}:\d{2}(?::\d{2})?)"
    r"\s*([+-]\d{4}|[A-Za-z]{1,5})?\s*$")


def _localised_rfc822(value: str) -> str | None:
    """``Seg, 24 Set 2018 19:42:40 -0300`` → ``24 Sep 2018 19:42:40 -0300``; None when it is not one."""
    m = _LOCAL_RFC822.match(value.strip())
    if not m:
        return None
    day, month, year, clock, zone = m.groups()
    word = month.lower()
    number = _MONTH_OF.get(word) or _MONTH_OF.get(word[:4]) or _MONTH_OF.get(word[:3])
    if number is None:
        return None
    return f"{day} {_EN_MONTHS[number - 1]} {year} {clock}" + (f" {zone}" if zone else "")


def _time_of(obj: dict[str, Any], keys: tuple[str, ...], options: ReadOptions, what: str) -> datetime | None:
    """The first of ``keys`` that reads as a time; None when none is present; RecordError when present but bad."""
    error: RecordError | None = None
    for key in keys:
        value = obj.get(key)
        parsed = obj.get(f"{key}_parsed")
        if not value and not parsed:
            continue
        attempts = [value] if isinstance(value, str) and value.strip() else []
        if attempts:
            local = _localised_rfc822(attempts[0])
            if local:
                attempts.append(local)
        if parsed:
            attempts.append(parsed)  # feedparser's own reading, in UTC
        for attempt in attempts:
            try:
                return parse_time(attempt, options.default_tz, what=f"{what} {key}")
            except RecordError as e:
                error = error or e
    if error is not None:
        raise error
    return None


def _native_id(entry: dict[str, Any], feed: dict[str, Any], title: str, text: str, date_written: str) -> str:
    entry_id = entry.get("id")
    if isinstance(entry_id, str) and entry_id.strip():
        entry_id = entry_id.strip()
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S", entry_id):
            return entry_id
        scope = domain_of(feed.get("link")) or domain_of(feed.get("self")) or domain_of(entry.get("link"))
        return f"{scope}#{entry_id}" if scope else entry_id
    link = entry.get("link")
    if isinstance(link, str) and link.strip():
        return link.strip()
    basis = "\x1f".join([feed.get("link") or feed.get("self") or feed.get("title") or "", title, date_written,
                         "" if title else text])
    return "sha256:" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:32]


def _author(entry: dict[str, Any], site: str | None) -> Author | None:
    detail = entry.get("author_detail")
    detail = detail if isinstance(detail, dict) else {}

    def text(value: Any) -> str:
        return value.strip()[:200] if isinstance(value, str) else ""

    name = text(detail.get("name")) or text(entry.get("author"))
    who = name or text(detail.get("email"))
    if not who:
        return None
    href = text(detail.get("href")) or None
    return Author(platform="web", native_id=f"{site}:{who}" if site else who, name=name or None, url=href)


def _absolute(link: Any, feed: dict[str, Any]) -> str | None:
    """The entry's link, made absolute against the feed's own link when it is relative (``/a/b``)."""
    if not isinstance(link, str) or not link.strip():
        return None
    link = link.strip()
    if not urlsplit(link).scheme:
        base = feed.get("link") or feed.get("self")
        if isinstance(base, str) and urlsplit(base).scheme in ("http", "https"):
            return urljoin(base, link)
    return link


def map_entry(entry: Any, feed: dict[str, Any], options: ReadOptions | None = None, *,
              source: str | None = None) -> Post:
    """One feed entry (as :func:`parse_feed` gives it) to a :class:`Post`. Raises :class:`RecordError`.

    ``source`` is used when the feed has neither a title nor a URL (the importer passes the file).
    """
    options = options or ReadOptions()
    if not isinstance(entry, dict):
        raise RecordError(f"a feed entry should be an object, not {type(entry).__name__}")
    title = _clip(_as_text(entry.get("title"), entry.get("title_detail")), MAX_TITLE_CHARS)
    body = _clip(_body(entry), MAX_TEXT_CHARS)
    link = _absolute(entry.get("link"), feed)
    if not (title or body or link or entry.get("id")):
        raise RecordError("entry has no id, link, title or text")

    time_from = "entry"
    created = _time_of(entry, ("published", "updated", "created"), options, "entry")
    if created is None:
        created = _time_of(feed, ("updated", "published"), options, "feed")
        time_from = "feed"
    if created is None:
        raise RecordError("entry has no date (neither published nor updated), nor has the feed")
    date_written = next((entry[k] for k in ("published", "updated", "created") if isinstance(entry.get(k), str)), "")

    site = domain_of(link) or domain_of(feed.get("link")) or domain_of(feed.get("self"))
    return Post(
        platform="web",
        native_id=_native_id(entry, feed, title, body, date_written),
        created_at=created,
        text=body or title,
        author=_author(entry, site),
        kind="article",
        title=title or None,
        url=link,
        lang=_lang(entry, feed),
        site=site,
        source=feed.get("title") or feed.get("self") or feed.get("link") or source,
        raw={"entry": entry, "feed": feed, "time_from": time_from},
    )


FORMATS = (Feed,)
