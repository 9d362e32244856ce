"""Bluesky / AT Protocol JSON: post views, threads, feeds, repository records and Jetstream events.

Understood, as one JSON document or as JSON lines (one of these per line):

* a thread (``app.bsky.feed.getPostThread``: ``{"thread": <threadViewPost>}``), walked up through its
  ``parent`` chain and down through its ``replies``;
* a feed (``getTimeline``, ``getAuthorFeed``, ``getFeed``: ``{"feed": [{"post", "reply", "reason"}]}``) —
  the ``reply.root`` and ``reply.parent`` post views of a feed item are imported too;
* post views (``getPosts``, ``searchPosts``, ``getQuotes``: ``{"posts": [...]}``, or a bare list);
* repository records with their URI (``com.atproto.repo.getRecord`` ``{"uri", "cid", "value"}`` and
  ``listRecords`` ``{"records": [...]}``) whose value is an ``app.bsky.feed.post``;
* Jetstream events (``{"did", "time_us", "kind": "commit", "commit": {...}}``): post creations are posts;
  likes, follows, deletions, identity and account events are not posts and are passed over.

**Keys.** A post is keyed by its ``at://`` URI (``at://did:plc:…/app.bsky.feed.post/<rkey>``), which is
globally unique. ``reply_to`` is ``record.reply.parent.uri`` and ``conversation_id`` is
``record.reply.root.uri``, both in the same id space. A bare post record (``{"$type":
"app.bsky.feed.post", "text", "createdAt"}``) carries no URI of its own, and its CID is computed outside
it, so it cannot be keyed: it is quarantined with that reason rather than given an invented key.

**Fields.** The author is keyed by DID, with handle, display name and (when the view has it) followers.
``url`` is ``https://bsky.app/profile/<handle or DID>/post/<rkey>``; ``site`` is ``bsky.app``; ``lang``
the first of ``record.langs``. A post embedding another post (``app.bsky.embed.record`` or
``recordWithMedia``) is a ``quote`` with ``quote_of`` its URI, and the quoted post's view is imported as
well. A feed item reposted by someone (``reason`` ``reasonRepost``) is a post of kind ``repost`` when the
reason names the repost record's URI (newer AppViews do); older ones do not, and then only the original
is imported. Placeholders (``notFoundPost``, ``blockedPost``) hold no post and are passed over.
Anything else — like records, follows, DID documents, feed generators, custom record types — is not
claimed by this format.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Iterator, TypeGuard

from ..errors import RecordError
from ..models import Author, Post
from .base import Cursor, MapContext, Problem, RawRecord, ReadOptions, Sample, iter_json_records
from .values import parse_time, to_int

__all__ = ["Bluesky", "is_post_view", "map_document", "map_post_view", "post_url"]

POST_TYPE = "app.bsky.feed.post"
_POST_COLLECTION = "/app.bsky.feed.post/"
_PLACEHOLDERS = ("app.bsky.feed.defs#notFoundPost", "app.bsky.feed.defs#blockedPost",
                 "app.bsky.embed.record#viewNotFound", "app.bsky.embed.record#viewBlocked",
                 "app.bsky.embed.record#viewDetached")


def _is_post_uri(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("at://") and _POST_COLLECTION in value


def _is_post_record(value: Any) -> TypeGuard[dict]:
    return isinstance(value, dict) and value.get("$type") == POST_TYPE


def is_post_view(obj: Any) -> TypeGuard[dict]:
    """An ``app.bsky.feed.defs#postView`` (or an embed's ``viewRecord``) of a post."""
    return (isinstance(obj, dict) and _is_post_uri(obj.get("uri")) and isinstance(obj.get("author"), dict)
            and (_is_post_record(obj.get("record")) or _is_post_record(obj.get("value"))))


def _is_uri_record(obj: Any) -> bool:
    """``{"uri", "cid", "value"}`` as getRecord/listRecords return it, for a post."""
    return isinstance(obj, dict) and _is_post_uri(obj.get("uri")) and _is_post_record(obj.get("value"))


def _is_jetstream(obj: Any) -> bool:
    return isinstance(obj, dict) and "time_us" in obj and "did" in obj and obj.get("kind") in (
        "commit", "identity", "account")


def _is_placeholder(obj: Any) -> bool:
    return isinstance(obj, dict) and (obj.get("$type") in _PLACEHOLDERS or obj.get("notFound") is True
                                      or obj.get("blocked") is True)


def _did_and_rkey(uri: str) -> tuple[str, str]:
    """``at://did:plc:x/app.bsky.feed.post/3k…`` → (``did:plc:x``, ``3k…``)."""
    rest = uri[len("at://"):]
    did, _, tail = rest.partition("/")
    rkey = tail.rsplit("/", 1)[-1]
    if not did or not rkey or "/" not in tail:
        raise RecordError(f"{uri!r} is not an at:// URI of a post")
    return did, rkey


def post_url(uri: str, handle: str | None = None) -> str:
    """The bsky.app page of a post: by handle when known (and valid), else by DID."""
    did, rkey = _did_and_rkey(uri)
    who = handle if handle and handle != "handle.invalid" else did
    return f"https://bsky.app/profile/{who}/post/{rkey}"


def _str(value: Any) -> str | None:
    """A non-empty string, or None."""
    return value if isinstance(value, str) and value else None


def _dig(value: Any, *keys: str) -> Any:
    """``value[k1][k2]…``, or None where a step is not an object."""
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _author(profile: Any, did: str) -> Author:
    if not isinstance(profile, dict):
        return Author(platform="bluesky", native_id=did, url=f"https://bsky.app/profile/{did}")
    handle = _str(profile.get("handle")) if profile.get("handle") != "handle.invalid" else None
    native = _str(profile.get("did")) or did
    return Author(
        platform="bluesky", native_id=native, handle=handle, name=_str(profile.get("displayName")),
        followers=to_int(profile.get("followersCount"), what="followersCount"), verified=None,
        url=f"https://bsky.app/profile/{handle or native}",
    )


def _quoted_uri(record: dict) -> str | None:
    embed = record.get("embed")
    if not isinstance(embed, dict):
        return None
    kind = embed.get("$type")
    ref = embed.get("record")
    if kind == "app.bsky.embed.recordWithMedia" and isinstance(ref, dict):
        ref = ref.get("record")
    elif kind != "app.bsky.embed.record":
        return None
    uri = ref.get("uri") if isinstance(ref, dict) else None
    return uri if _is_post_uri(uri) else None


def _map(uri: Any, record: Any, profile: Any, *, counts: dict | None = None, raw: Any = None) -> Post:
    """A post from its URI, its record (the ``app.bsky.feed.post`` value) and its author's profile."""
    if not _is_post_uri(uri):
        raise RecordError(f"post has no at:// URI of a post (uri: {uri!r})")
    if not _is_post_record(record):
        raise RecordError(f"{uri}: its record is not an {POST_TYPE}")
    did, _ = _did_and_rkey(uri)
    author = _author(profile, did)
    created = parse_time(record.get("createdAt") or (counts or {}).get("indexedAt"), what="createdAt")
    reply_to = _str(_dig(record, "reply", "parent", "uri"))
    conversation = _str(_dig(record, "reply", "root", "uri"))
    quote_of = _quoted_uri(record)
    langs = record.get("langs")
    text = record.get("text")
    if text is not None and not isinstance(text, str):
        raise RecordError(f"{uri}: text is a JSON {type(text).__name__}, not a string")
    counts = counts or {}
    return Post(
        platform="bluesky", native_id=uri, created_at=created, text=text or "", author=author,
        kind="reply" if reply_to else "quote" if quote_of else "post",
        url=post_url(uri, author.handle), lang=langs[0] if isinstance(langs, list) and langs and
        isinstance(langs[0], str) else None, site="bsky.app",
        reply_to=reply_to, conversation_id=conversation, quote_of=quote_of,
        likes=to_int(counts.get("likeCount"), what="likeCount"),
        reposts=to_int(counts.get("repostCount"), what="repostCount"),
        replies=to_int(counts.get("replyCount"), what="replyCount"),
        quotes=to_int(counts.get("quoteCount"), what="quoteCount"),
        raw=raw,
    )


def map_post_view(view: Any) -> Post:
    """A ``postView`` (``record``) or an embed's ``viewRecord`` (``value``) to a :class:`Post`."""
    if not isinstance(view, dict):
        raise RecordError(f"a post view should be a JSON object, not {type(view).__name__}")
    record = view.get("record") if "record" in view else view.get("value")
    return _map(view.get("uri"), record, view.get("author"), counts=view, raw=view)


def _text_of(view: dict) -> str:
    record = view.get("record") if "record" in view else view.get("value")
    text = record.get("text") if isinstance(record, dict) else None
    return text if isinstance(text, str) else ""


def _embedded_view(view: dict) -> dict | None:
    """The quoted post's ``viewRecord`` inside a post view's ``embed``, when it is a post."""
    embed = view.get("embed")
    if not isinstance(embed, dict):
        return None
    ref = embed.get("record")
    if isinstance(ref, dict) and str(embed.get("$type") or "").startswith("app.bsky.embed.recordWithMedia"):
        ref = ref.get("record")
    return ref if is_post_view(ref) else None


class _Walk:
    """Collects the posts of one record: primary ones first, then the ones they refer to."""

    def __init__(self) -> None:
        self.out: list[Problem] = []
        self.primary: list[Post] = []
        self.secondary: list[Post] = []

    def view(self, view: Any, loc: str, primary: bool = True) -> None:
        try:
            post = map_post_view(view)
        except RecordError as e:
            self.out.append(Problem(loc, str(e), view))
            return
        (self.primary if primary else self.secondary).append(post)
        quoted = _embedded_view(view)
        if quoted is not None:
            self.view(quoted, f"{loc}.embed", primary=False)

    def node(self, node: Any, loc: str, top: bool = False) -> None:
        if _is_placeholder(node):
            return
        if is_post_view(node):
            self.view(node, loc or "post")
            return
        if isinstance(node, list):
            for i, item in enumerate(node):
                self.node(item, f"{loc}[{i}]")
            return
        if isinstance(node, dict):
            if "post" in node:  # a threadViewPost or a feed item
                self.thread_or_item(node, loc)
                return
            if "thread" in node:
                self.node(node["thread"], _join(loc, "thread"))
                return
            for key in ("feed", "posts", "records"):
                if isinstance(node.get(key), list):
                    self.node(node[key], _join(loc, key))
                    return
            if _is_uri_record(node):
                try:
                    self.primary.append(_map(node["uri"], node["value"], None, raw=node))
                except RecordError as e:
                    self.out.append(Problem(loc or "record", str(e), node))
                return
            if _is_post_record(node):
                self.problem(loc or "record", "a post record without its at:// URI cannot be keyed (export "
                             "it with getRecord or listRecords, which give the URI)", node, top)
                return
            if _is_jetstream(node):
                self.jetstream(node, loc)
                return
            if "$type" in node and not top:
                return  # another record type inside a list (a like, a follow …): not a post
        what = f"a JSON {type(node).__name__}" if not isinstance(node, dict) else (
            "an object with " + ", ".join(repr(k) for k in list(node)[:6]))
        self.problem(loc or "item", f"not a Bluesky post, thread, feed or post record ({what})", node, top)

    def thread_or_item(self, node: dict, loc: str) -> None:
        post = node.get("post")
        if isinstance(post, dict) and not _is_placeholder(post):
            self.view(post, _join(loc, "post"))
        elif not _is_placeholder(post):
            self.out.append(Problem(_join(loc, "post"), f"a post view should be a JSON object, not "
                                    f"{type(post).__name__}", post))
        # A thread: its parent chain and its replies.
        parent = node.get("parent")
        depth, where = 0, _join(loc, "parent")
        while isinstance(parent, dict) and depth < 10_000:
            if _is_placeholder(parent):
                break
            if not isinstance(parent.get("post"), dict):
                self.out.append(Problem(where, "a thread's parent holds no post view", parent))
                break
            self.view(parent["post"], _join(where, "post"), primary=False)
            parent, where, depth = parent.get("parent"), _join(where, "parent"), depth + 1
        replies = node.get("replies")
        if isinstance(replies, list):
            stack = [(r, f"{_join(loc, 'replies')}[{i}]") for i, r in enumerate(replies)]
            while stack:
                reply, where = stack.pop(0)
                if _is_placeholder(reply):
                    continue
                if not isinstance(reply, dict) or not isinstance(reply.get("post"), dict):
                    self.out.append(Problem(where, "a thread's reply holds no post view", reply))
                    continue
                self.view(reply["post"], _join(where, "post"))
                more = reply.get("replies")
                if isinstance(more, list):
                    stack.extend((r, f"{_join(where, 'replies')}[{i}]") for i, r in enumerate(more))
        # A feed item: the posts it replies to, and who reposted it.
        ref = node.get("reply")
        if isinstance(ref, dict):
            for key in ("root", "parent"):
                if is_post_view(ref.get(key)):
                    self.view(ref[key], _join(loc, f"reply.{key}"), primary=False)
        reason = node.get("reason")
        if (isinstance(reason, dict) and reason.get("$type") == "app.bsky.feed.defs#reasonRepost"
                and is_post_view(post)):
            self.repost(reason, post, _join(loc, "reason"))

    def repost(self, reason: dict, post: dict, loc: str) -> None:
        uri = reason.get("uri")
        if not isinstance(uri, str) or not uri.startswith("at://"):
            return  # older AppViews do not name the repost record: nothing to key it by
        by = reason.get("by") if isinstance(reason.get("by"), dict) else {}
        try:
            did = uri[len("at://"):].partition("/")[0]
            author = _author(by, did)
            self.primary.append(Post(
                platform="bluesky", native_id=uri, kind="repost",
                created_at=parse_time(reason.get("indexedAt"), what="indexedAt"),
                text=_text_of(post), author=author, site="bsky.app", repost_of=post["uri"], raw=reason))
        except RecordError as e:
            self.out.append(Problem(loc, str(e), reason))

    def jetstream(self, event: dict, loc: str) -> None:
        commit = event.get("commit")
        if event.get("kind") != "commit" or not isinstance(commit, dict):
            return
        if commit.get("collection") != POST_TYPE or commit.get("operation") != "create":
            return  # likes, reposts, follows, updates and deletions: not new posts
        uri = f"at://{event['did']}/{POST_TYPE}/{commit.get('rkey')}"
        try:
            self.primary.append(_map(uri, commit.get("record"), None, raw=event))
        except RecordError as e:
            self.out.append(Problem(loc or "event", str(e), event))

    def problem(self, loc: str, reason: str, raw: Any, top: bool) -> None:
        if top:
            raise RecordError(reason)
        self.out.append(Problem(loc, reason, raw))

    def results(self) -> list[Post | Problem]:
        out: list[Post | Problem] = list(self.out)
        seen: set[str] = set()
        for post in self.primary + self.secondary:
            if post.native_id not in seen:
                seen.add(post.native_id)
                out.append(post)
        return out


def _join(loc: str, key: str) -> str:
    return f"{loc}.{key}" if loc else key


def map_document(doc: Any) -> list[Post | Problem]:
    """Every post in one record (see the module docstring); bad parts become problems."""
    walk = _Walk()
    walk.node(doc, "", top=True)
    return walk.results()


def _score(value: Any) -> int:
    if isinstance(value, list):
        return max((_score(v) for v in value[:50]), default=0)
    if not isinstance(value, dict):
        return 0
    if is_post_view(value) or is_post_view(value.get("post")):
        return 90
    if isinstance(value.get("thread"), dict):
        thread = value["thread"]
        return 90 if is_post_view(thread.get("post")) or str(thread.get("$type", "")).startswith(
            "app.bsky.feed.defs#") else 0
    for key in ("feed", "posts", "records"):
        items = value.get(key)
        if isinstance(items, list):
            if any(is_post_view(i) or (isinstance(i, dict) and is_post_view(i.get("post"))) or _is_uri_record(i)
                   for i in items[:50]):
                return 90
            if not items and set(value) <= {key, "cursor", "hitsTotal"}:
                return 40  # an empty page of posts
            return 0
    if _is_uri_record(value):
        return 85
    if _is_jetstream(value):
        return 75
    if _is_post_record(value):
        return 60  # claimed so that it is quarantined with a reason, not skipped as unknown
    return 0


class Bluesky:
    name = "bluesky"
    platform = "bluesky"
    summary = ("Bluesky/AT Protocol JSON: threads, feeds, post views, post records with their URI, "
               "Jetstream events; one document or JSON lines")
    line_based = True

    def sniff(self, sample: Sample) -> int:
        first = sample.first_line_json
        return _score(first if first is not None else sample.document_json)

    def read(self, path: Path, cursor: Cursor, options: ReadOptions) -> Iterator[RawRecord]:
        return iter_json_records(path, cursor)

    def map(self, record: RawRecord, ctx: MapContext) -> Iterable[Post | Problem]:
        return map_document(record.payload)


FORMATS = (Bluesky,)
