"""Mastodon REST API JSON: statuses as the API returns them, bare or as recorded responses.

Understood, as one JSON document or as JSON lines (one of these per line):

* a Status entity, or a list of them (home, public, hashtag and account timelines, bookmarks …);
* a context (``{"ancestors": [...], "descendants": [...]}``);
* a v2 search result or grouped notifications (a ``statuses`` list; accounts and hashtags are passed over);
* notifications (``status``) and conversations (``last_status``); a follow notification or a
  conversation without a last status has no status and is passed over;
* streaming events (``{"event": "update", "payload": "<status JSON>"}``); ``delete`` and other events
  are passed over;
* any of these wrapped as a recorded response ``{"request_method", "request_uri", "status", "body"}``
  (a list of such responses too).

**Keys.** A status ``id`` is local to the instance that served it, and so is ``in_reply_to_id``. To keep
reply links in the same id space as the posts they point to, a post is keyed ``<instance>:<id>`` where
``<instance>`` is the host that served the JSON (``mastodon.social:110446983178245440``), and
``reply_to`` is ``<instance>:<in_reply_to_id>``; the globally unique ActivityPub ``uri`` stays in ``raw``.
The serving instance is the host of ``request_uri`` when the response was recorded with it; otherwise it is
inferred from the document: a local account (``acct`` without ``@``), a local mention or a hashtag link
all live on the serving instance. When nothing tells (a remote status alone, without tags or local
mentions), the host of the status's own ``uri`` is used: right for local statuses, a best guess for
remote ones. The same status fetched through two instances is therefore two posts (one per instance's id
space) — the price of reply links that always resolve. Within one document, a reply whose parent is in the
document is linked to that parent's key whatever its instance.

**Fields.** ``content`` (HTML) becomes plain text, ``spoiler_text`` (the content warning) the title.
``site`` is the author's own instance (where it was said), ``url`` the status page. A boost (``reblog``)
is a post of kind ``repost`` whose text is the boosted status's text; the boosted status is imported too,
as is a quoted status (Mastodon 4.4 ``quote.quoted_status``). Authors are keyed by their full
``user@domain`` acct (the account ``id`` is instance-local too); the handle is that acct. Visibility
(public, unlisted, private, direct) is kept in ``raw``; no status is left out for its visibility. Tags and
mentions stay in ``raw``.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any, Iterable, Iterator, TypeGuard
from urllib.parse import urlsplit

import orjson

from ..errors import RecordError
from ..models import Author, Post
from .base import (
    QUARANTINE_TEXT_CHARS, Cursor, MapContext, Problem, RawRecord, ReadOptions, Sample, iter_json_lines,
    read_document_bytes,
)
from .values import html_to_text, parse_time, to_int

__all__ = ["Mastodon", "instance_hint", "is_status", "map_document", "map_status"]

_STATUS_KEYS = ("id", "created_at", "content", "account")
_STATUS_ENDPOINTS = ("/timelines/", "/statuses", "/search", "/notifications", "/conversations", "/bookmarks",
                     "/favourites", "/trends/statuses")


def is_status(obj: Any) -> TypeGuard[dict]:
    """A Mastodon Status entity (loosely: the fields every version has)."""
    return isinstance(obj, dict) and all(k in obj for k in _STATUS_KEYS) and isinstance(obj["account"], dict)


def _is_response(obj: Any) -> bool:
    return isinstance(obj, dict) and "body" in obj and ("request_uri" in obj or "request_method" in obj)


def _host(url: Any) -> str | None:
    if not isinstance(url, str) or not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host or None


# ---------------------------------------------------------------------------------------------------
# Which instance served a document


def _embedded(status: dict) -> list[tuple[str, Any]]:
    """The statuses a status carries: the one it boosts and the one it quotes (Mastodon 4.4), by key."""
    quote = status.get("quote")
    found = [("reblog", status.get("reblog")),
             ("quote.quoted_status", quote.get("quoted_status") if isinstance(quote, dict) else None)]
    return [(key, inner) for key, inner in found if inner is not None]


def _statuses_in(node: Any, depth: int = 0) -> Iterator[dict]:
    """Every status in a document, boosted and quoted ones included."""
    if depth > 50:
        return
    if is_status(node):
        yield node
        for _, inner in _embedded(node):
            yield from _statuses_in(inner, depth + 1)
    elif isinstance(node, list):
        for item in node:
            yield from _statuses_in(item, depth + 1)
    elif isinstance(node, dict):
        for key in ("ancestors", "descendants", "statuses", "status", "last_status", "body", "payload"):
            if key in node:
                yield from _statuses_in(node[key], depth + 1)


def _str(value: Any) -> str | None:
    """A non-empty string, or None (API fields a post keeps as text)."""
    return value if isinstance(value, str) and value else None


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def instance_hint(doc: Any) -> str | None:
    """The host that served a (bare) document, from what only that host would write, or None."""
    for status in _statuses_in(doc):
        account = status["account"]
        acct = account.get("acct")
        if isinstance(acct, str) and acct and "@" not in acct:
            host = _host(account.get("url")) or _host(status.get("uri"))
            if host:
                return host
        for mention in _list(status.get("mentions")):
            if isinstance(mention, dict) and isinstance(mention.get("acct"), str) and "@" not in mention["acct"]:
                host = _host(mention.get("url"))
                if host:
                    return host
        for tag in _list(status.get("tags")):
            host = _host(tag.get("url")) if isinstance(tag, dict) else None
            if host:
                return host
    return None


# ---------------------------------------------------------------------------------------------------
# One status


def _author(account: dict, instance: str | None) -> Author | None:
    acct = _str(account.get("acct")) or _str(account.get("username"))
    if acct is None:
        return None
    if "@" not in acct:
        domain = instance or _host(account.get("url")) or _host(account.get("uri"))
        if domain:
            acct = f"{acct}@{domain}"
    return Author(
        platform="mastodon", native_id=acct, handle=acct,
        name=_str(account.get("display_name")) or _str(account.get("username")),
        followers=to_int(account.get("followers_count"), what="followers_count"),
        verified=None, url=_str(account.get("url")),
    )


def _local_id(status: dict, what: str = "status") -> str:
    value = status.get("id")
    if value is None or value == "" or isinstance(value, bool) or not isinstance(value, (str, int)):
        raise RecordError(f"{what} has no 'id'")
    return str(value)


def map_status(status: Any, instance: str | None, *, known: dict[str, str] | None = None) -> Post:
    """One Status entity to a :class:`Post`, keyed ``<instance>:<id>`` (see the module docstring).

    ``known`` maps local ids of the statuses in the same document to their keys, so that a reply links to
    a parent in the document whatever instance that parent was keyed under.
    """
    if not isinstance(status, dict):
        raise RecordError(f"a status should be a JSON object, not {type(status).__name__}")
    local = _local_id(status)
    account = status.get("account")
    if not isinstance(account, dict):
        raise RecordError(f"status {local} has no 'account'")
    host = instance or _host(status.get("uri")) or _host(status.get("url"))
    if not host:
        raise RecordError(f"status {local}: cannot tell which instance its id belongs to (no request_uri, "
                          "no uri, no url)")
    created = parse_time(status.get("created_at"), what="created_at")
    known = known or {}
    parent = status.get("in_reply_to_id")
    reply_to = None
    if parent is not None and parent != "":
        if isinstance(parent, bool) or not isinstance(parent, (str, int)):
            raise RecordError(f"status {local}: in_reply_to_id {parent!r} is not an id")
        reply_to = known.get(str(parent), f"{host}:{parent}")
    reblog = status.get("reblog")
    quote = status.get("quote")
    quoted = quote.get("quoted_status") if isinstance(quote, dict) else None
    text_source = reblog if is_status(reblog) else status
    kind = "repost" if is_status(reblog) else "reply" if reply_to else "quote" if is_status(quoted) else "post"
    return Post(
        platform="mastodon", native_id=f"{host}:{local}", created_at=created,
        text=html_to_text(_str(text_source.get("content"))), author=_author(account, instance), kind=kind,
        title=_str(text_source.get("spoiler_text")),
        url=_str(status.get("url")) or _str(status.get("uri")),
        lang=_str(status.get("language")) or (_str(reblog.get("language")) if is_status(reblog) else None),
        site=_host(status.get("uri")) or _host(status.get("url")),
        reply_to=reply_to,
        repost_of=f"{host}:{_local_id(reblog, 'boosted status')}" if is_status(reblog) else None,
        quote_of=f"{host}:{_local_id(quoted, 'quoted status')}" if is_status(quoted) else None,
        likes=to_int(status.get("favourites_count"), what="favourites_count"),
        reposts=to_int(status.get("reblogs_count"), what="reblogs_count"),
        replies=to_int(status.get("replies_count"), what="replies_count"),
        quotes=to_int(status.get("quotes_count"), what="quotes_count"),
        raw=status,
    )


# ---------------------------------------------------------------------------------------------------
# Documents


class _Walk:
    """Collects the statuses of one record, with where each was found, then maps them."""

    def __init__(self) -> None:
        self.found: list[tuple[str, Any, str | None, str | None]] = []  # (locator, status, instance, root)
        self.problems: list[Problem] = []

    def node(self, node: Any, loc: str, instance: str | None, top: bool = False) -> None:
        if _is_response(node):
            host = _host(node.get("request_uri")) or instance
            self.node(node["body"], _join(loc, "body"), host or instance_hint(node["body"]))
            return
        if is_status(node):
            self.found.append((loc or "status", node, instance, None))
            return
        if isinstance(node, list):
            for i, item in enumerate(node):
                self.node(item, f"{loc}[{i}]", instance)
            return
        if isinstance(node, dict):
            if "ancestors" in node or "descendants" in node:
                self.context(node, loc, instance)
                return
            if isinstance(node.get("statuses"), list):
                self.node(node["statuses"], _join(loc, "statuses"), instance)
                return
            if "event" in node and "payload" in node:
                self.event(node, loc, instance)
                return
            if "type" in node and "account" in node:  # a notification
                if node.get("status") is not None:
                    self.node(node["status"], _join(loc, "status"), instance)
                return
            if "last_status" in node:  # a conversation
                if node.get("last_status") is not None:
                    self.node(node["last_status"], _join(loc, "last_status"), instance)
                return
            if any(k in node for k in ("uri", "content", "account", "in_reply_to_id")):
                missing = [k for k in _STATUS_KEYS if k not in node]
                self.problems.append(Problem(loc or "status", f"status is missing {', '.join(map(repr, missing))}",
                                             node))
                return
        what = f"a JSON {type(node).__name__}" if not isinstance(node, dict) else (
            "an object with " + ", ".join(repr(k) for k in list(node)[:6]))
        reason = (f"not a Mastodon status, context, search result, notification or conversation "
                  f"({what})")
        if top:
            raise RecordError(reason)
        self.problems.append(Problem(loc or "item", reason, node))

    def context(self, node: dict, loc: str, instance: str | None) -> None:
        ancestors = node.get("ancestors") or []
        descendants = node.get("descendants") or []
        if not isinstance(ancestors, list) or not isinstance(descendants, list):
            self.problems.append(Problem(loc or "context", "a context's ancestors and descendants should be lists",
                                         node))
            return
        # The thread's root: the first ancestor when it replies to nothing.
        root = None
        if ancestors and is_status(ancestors[0]) and not ancestors[0].get("in_reply_to_id"):
            host = instance or _host(ancestors[0].get("uri"))
            if host and ancestors[0].get("id") not in (None, ""):
                root = f"{host}:{ancestors[0]['id']}"
        for key, items in (("ancestors", ancestors), ("descendants", descendants)):
            for i, item in enumerate(items):
                if is_status(item):
                    self.found.append((f"{_join(loc, key)}[{i}]", item, instance, root))
                else:
                    self.node(item, f"{_join(loc, key)}[{i}]", instance)

    def event(self, node: dict, loc: str, instance: str | None) -> None:
        if node.get("event") not in ("update", "status.update"):
            return  # delete, notification, filters_changed …: not statuses
        payload = node.get("payload")
        if isinstance(payload, str):
            try:
                payload = orjson.loads(payload)
            except orjson.JSONDecodeError as e:
                self.problems.append(Problem(_join(loc, "payload"), f"event payload is not JSON: {e}",
                                             node.get("payload")))
                return
        self.node(payload, _join(loc, "payload"), instance or instance_hint(payload))

    def posts(self) -> list[Post | Problem]:
        known: dict[str, str] = {}  # local id -> key, for the statuses of this document
        for _, status, instance, _ in self.found:
            for s in _statuses_in(status):
                host = instance or _host(s.get("uri")) or _host(s.get("url"))
                if host and isinstance(s["id"], (str, int)) and s["id"] != "":
                    known.setdefault(str(s["id"]), f"{host}:{s['id']}")
        out: list[Post | Problem] = list(self.problems)
        primary: list[Post] = []
        secondary: list[Post] = []
        for loc, status, instance, root in self.found:
            try:
                post = map_status(status, instance, known=known)
            except RecordError as e:
                out.append(Problem(loc, str(e), status))
                continue
            if root and post.native_id != root:
                post = replace(post, conversation_id=root)
            primary.append(post)
            for key, inner in _embedded(status):
                try:
                    secondary.append(map_status(inner, instance, known=known))
                except RecordError as e:
                    out.append(Problem(_join(loc, key), str(e), inner))
        seen: set[str] = set()
        for post in primary + secondary:
            if post.native_id not in seen:
                seen.add(post.native_id)
                out.append(post)
        return out


def _join(loc: str, key: str) -> str:
    return f"{loc}.{key}" if loc else key


def map_document(doc: Any) -> list[Post | Problem]:
    """Every status in one document (see the module docstring); bad statuses become problems."""
    walk = _Walk()
    walk.node(doc, "", None if _is_response(doc) else instance_hint(doc), top=True)
    return walk.posts()


# ---------------------------------------------------------------------------------------------------
# Sniffing


def _has_statuses(node: Any, depth: int = 0) -> bool:
    return next(_statuses_in(node, depth), None) is not None


def _score(value: Any) -> int:
    if _is_response(value):
        body = value["body"]
        if _has_statuses(body):
            return 90
        path = urlsplit(value.get("request_uri") or "").path if isinstance(value.get("request_uri"), str) else ""
        empty = body == [] or (isinstance(body, dict) and not any(body.get(k) for k in ("ancestors", "descendants"))
                               and ("ancestors" in body or "descendants" in body))
        return 50 if empty and path.startswith("/api/") and any(e in path for e in _STATUS_ENDPOINTS) else 0
    if is_status(value):
        return 85
    if isinstance(value, list):
        return max((_score(v) for v in value[:50]), default=0)
    if isinstance(value, dict):
        if "ancestors" in value and "descendants" in value:
            return 85 if _has_statuses(value) or not (value["ancestors"] or value["descendants"]) else 40
        if isinstance(value.get("statuses"), list) and _has_statuses(value["statuses"]):
            return 80
        if "type" in value and "account" in value and is_status(value.get("status")):
            return 80
        if "last_status" in value and "accounts" in value and is_status(value.get("last_status")):
            return 80
        if value.get("event") in ("update", "status.update") and "payload" in value:
            return 80
        if "event" in value and "payload" in value and "stream" in value:
            return 60
    return 0


class Mastodon:
    name = "mastodon"
    platform = "mastodon"
    summary = ("Mastodon API JSON: statuses, timelines, contexts, search results, notifications, "
               "conversations, streaming events; bare, recorded as responses, or JSON lines")
    line_based = True

    def sniff(self, sample: Sample) -> int:
        first = sample.first_line_json
        value = first if first is not None else sample.document_json
        return _score(value)

    def read(self, path: Path, cursor: Cursor, options: ReadOptions) -> Iterator[RawRecord]:
        if Sample.of(path).first_line_json is not None:
            return iter_json_lines(path, cursor)
        return _whole_document(path, cursor)

    def map(self, record: RawRecord, ctx: MapContext) -> Iterable[Post | Problem]:
        return map_document(record.payload)


def _whole_document(path: Path, cursor: Cursor) -> Iterator[RawRecord]:
    """The file as one record: a timeline's statuses are mapped together, so the instance is told once."""
    if cursor.position > 0:
        return
    data = read_document_bytes(path)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError as e:
        yield RawRecord(0, "document", error=f"invalid JSON: {e}", text=data[:QUARANTINE_TEXT_CHARS])
        return
    yield RawRecord(0, "document", payload=doc)


FORMATS = (Mastodon,)
