"""Reddit API JSON: Listings, comment trees, single things and bare submission/comment objects.

Understood, as one JSON document or as JSON lines (one of these per line):

* a Listing (``{"kind": "Listing", "data": {"children": [...]}}``: a subreddit's posts, a user's history,
  search results);
* a list of Listings, as the comments endpoint returns it (``[submission listing, comment listing]``);
* a single thing, ``{"kind": "t3" | "t1", "data": {...}}`` (as in the RumourEval 2019 ``source-tweet/``
  and ``replies/`` files);
* bare submission or comment objects (the ``data`` alone, as Pushshift dumps and many collectors write
  them): a comment has ``body`` and ``parent_id``/``link_id``, a submission ``title``.

Comment trees are flattened: every ``t1`` inside a comment's ``replies`` Listing becomes a post, however
deep. ``more`` stubs ("load more comments", "continue this thread") are placeholders for comments that are
not in the file, not malformed records: they are passed over. The submission's ``num_comments`` (its
``replies``) still tells how many there were. Other kinds (accounts ``t2``, messages ``t4``, subreddits
``t5``, awards ``t6``) are not posts and are passed over too.

**Keys.** A post is keyed by its fullname (``t3_8j9s33``, ``t1_dyyqvq6``): ``parent_id`` is a fullname,
so ``reply_to`` links directly, and ``conversation_id`` is the comment's ``link_id`` (the submission). A
submission is its own conversation.

**Fields.** A submission is kind ``post`` with its ``title``; its text is the title, followed by a blank
line and the self text for a self post (a link post's text is its title; the link is in ``raw``). A
comment is kind ``comment`` with ``body`` as text. The API writes ``&``, ``<`` and ``>`` in these as
``&amp;``, ``&lt;`` and ``&gt;``; they are unescaped (the Markdown stays as written). A deleted or
removed body (``[deleted]``, ``[removed]``) becomes empty text and a ``[deleted]`` author no author; the
post stays, since replies hang from it. ``url`` is ``https://www.reddit.com<permalink>``, ``site`` is ``r/<subreddit>``, ``score`` →
likes, ``num_comments`` → replies, ``num_crossposts`` → reposts, ``created_utc`` the time (``created`` is
in the server's local time and is not used). Authors are keyed by user name: names are unique, never
change and are always present, while ``author_fullname`` is missing from older data (RumourEval has none),
so keying on it would split one person in two; it is kept in ``raw``. The ``raw`` of a comment is its
object without its nested ``replies`` (each reply is a post of its own).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..errors import RecordError
from ..models import Author, Post
from .base import Cursor, MapContext, Problem, RawRecord, ReadOptions, Sample, iter_json_records
from .values import parse_time, to_int

__all__ = ["Reddit", "is_bare_comment", "is_bare_submission", "map_comment", "map_document", "map_submission",
           "map_thing"]

_GONE = ("[deleted]", "[removed]")
_NOT_POSTS = ("more", "t2", "t4", "t5", "t6")


def is_bare_comment(obj: Any) -> bool:
    return isinstance(obj, dict) and "body" in obj and ("parent_id" in obj or "link_id" in obj) and (
        "author" in obj or "subreddit" in obj)


def is_bare_submission(obj: Any) -> bool:
    return isinstance(obj, dict) and "title" in obj and "subreddit" in obj and (
        "selftext" in obj or "num_comments" in obj or "is_self" in obj)


def _is_listing(obj: Any) -> bool:
    return (isinstance(obj, dict) and obj.get("kind") == "Listing" and isinstance(obj.get("data"), dict)
            and isinstance(obj["data"].get("children", []), list))


def _is_thing(obj: Any) -> bool:
    return isinstance(obj, dict) and isinstance(obj.get("kind"), str) and isinstance(obj.get("data"), dict) and (
        obj["kind"] in ("t1", "t3") or obj["kind"] in _NOT_POSTS)


def _fullname(data: dict, prefix: str) -> str:
    name = data.get("name")
    if isinstance(name, str) and name.startswith(prefix + "_") and len(name) > 3:
        return name
    native = data.get("id")
    if isinstance(native, str) and native:
        return native if native.startswith(prefix + "_") else f"{prefix}_{native}"
    raise RecordError(f"a {'comment' if prefix == 't1' else 'submission'} without 'name' or 'id'")


def _ref(value: Any, what: str) -> str | None:
    """A fullname field (``parent_id``, ``link_id``), or None."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise RecordError(f"{what} {value!r} is not a fullname")
    return value


def _author(data: dict) -> Author | None:
    name = data.get("author")
    if not isinstance(name, str) or not name or name in _GONE:
        return None
    return Author(platform="reddit", native_id=name, handle=name, name=None, followers=None, verified=None,
                  url=f"https://www.reddit.com/user/{name}")


def _created(data: dict) -> datetime:
    created = data.get("created_utc")
    if created is None:
        raise RecordError("has no 'created_utc'")
    return parse_time(created, what="created_utc")


def _without_replies(data: dict) -> dict:
    if "replies" not in data:
        return data
    return {k: v for k, v in data.items() if k != "replies"}


def _common(data: dict) -> dict[str, Any]:
    subreddit = data.get("subreddit")
    permalink = data.get("permalink")
    return {
        "platform": "reddit", "created_at": _created(data), "author": _author(data),
        "site": f"r/{subreddit}" if isinstance(subreddit, str) and subreddit else None,
        "url": f"https://www.reddit.com{permalink}" if isinstance(permalink, str) and permalink.startswith("/")
        else None,
        "likes": to_int(data.get("score"), what="score"),
        "raw": _without_replies(data),
    }


def _unescape(value: str) -> str:
    """Undo the API's escaping of ``&``, ``<`` and ``>`` (all it escapes in ``body``, ``selftext``, ``title``)."""
    if "&" not in value:
        return value
    return value.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _text(value: Any) -> str:
    if not isinstance(value, str) or value.strip() in _GONE:
        return ""
    return _unescape(value.strip())


def map_submission(data: Any) -> Post:
    """A submission (``t3`` data) to a :class:`Post` of kind ``post``."""
    if not isinstance(data, dict):
        raise RecordError(f"a submission should be a JSON object, not {type(data).__name__}")
    native = _fullname(data, "t3")
    try:
        common = _common(data)
    except RecordError as e:
        raise RecordError(f"submission {native}: {e}") from None
    title = (_unescape(data["title"]).strip() or None) if isinstance(data.get("title"), str) else None
    body = _text(data.get("selftext"))
    text = "\n\n".join(part for part in (title or "", body) if part)
    return Post(native_id=native, kind="post", title=title, text=text, conversation_id=native,
                replies=to_int(data.get("num_comments"), what="num_comments"),
                reposts=to_int(data.get("num_crossposts"), what="num_crossposts"), **common)


def map_comment(data: Any) -> Post:
    """A comment (``t1`` data) to a :class:`Post` of kind ``comment``, linked by ``parent_id``."""
    if not isinstance(data, dict):
        raise RecordError(f"a comment should be a JSON object, not {type(data).__name__}")
    native = _fullname(data, "t1")
    try:
        common = _common(data)
        parent = _ref(data.get("parent_id"), "parent_id")
        link = _ref(data.get("link_id"), "link_id")
    except RecordError as e:
        raise RecordError(f"comment {native}: {e}") from None
    return Post(native_id=native, kind="comment", text=_text(data.get("body")), reply_to=parent or link,
                conversation_id=link, **common)


def map_thing(kind: str, data: Any) -> Post | None:
    """A ``t3`` or ``t1`` thing to a post; None for kinds that are not posts (``more``, accounts …)."""
    if kind == "t3":
        return map_submission(data)
    if kind == "t1":
        return map_comment(data)
    return None


class _Walk:
    """Flattens one record's listings and comment trees into posts and problems, in document order."""

    def __init__(self) -> None:
        self.out: list[Post | Problem] = []

    def node(self, node: Any, loc: str, top: bool = False) -> None:
        # Iterative, so that a very deep comment chain cannot exhaust the recursion limit.
        stack: list[tuple[Any, str, bool]] = [(node, loc, top)]
        while stack:
            item, where, is_top = stack.pop()
            children = self.one(item, where, is_top)
            stack.extend(reversed(children))

    def one(self, item: Any, loc: str, top: bool) -> list[tuple[Any, str, bool]]:
        if isinstance(item, list):
            return [(v, f"{loc}[{i}]", False) for i, v in enumerate(item)]
        if _is_listing(item):
            children = item["data"].get("children") or []
            return [(v, f"{_join(loc, 'children')}[{i}]", False) for i, v in enumerate(children)]
        if _is_thing(item):
            kind, data = item["kind"], item["data"]
            return self.thing(kind, data, loc)
        if is_bare_comment(item):
            return self.thing("t1", item, loc)
        if is_bare_submission(item):
            return self.thing("t3", item, loc)
        what = f"a JSON {type(item).__name__}" if not isinstance(item, dict) else (
            "an object with " + ", ".join(repr(k) for k in list(item)[:6]))
        reason = f"not a Reddit Listing, submission or comment ({what})"
        if top:
            raise RecordError(reason)
        self.out.append(Problem(loc or "item", reason, item))
        return []

    def thing(self, kind: str, data: dict, loc: str) -> list[tuple[Any, str, bool]]:
        name = data.get("name") if isinstance(data.get("name"), str) else None
        if name is None and isinstance(data.get("id"), str) and data["id"]:
            name = data["id"] if data["id"].startswith(kind + "_") else f"{kind}_{data['id']}"
        here = _join(loc, name) if name else loc or kind
        try:
            post = map_thing(kind, data)
        except RecordError as e:
            self.out.append(Problem(here, str(e), _without_replies(data)))
            post = None
        if post is not None:
            self.out.append(post)
        replies = data.get("replies") if kind == "t1" else None
        if isinstance(replies, (dict, list)) and replies:
            return [(replies, _join(here, "replies"), False)]
        return []


def _join(loc: str, key: str) -> str:
    return f"{loc}.{key}" if loc else key


def map_document(doc: Any) -> list[Post | Problem]:
    """Every submission and comment in one record (see the module docstring)."""
    walk = _Walk()
    walk.node(doc, "", top=True)
    return walk.out


def _score(value: Any) -> int:
    if isinstance(value, list):
        return max((_score(v) for v in value[:10]), default=0)
    if _is_listing(value):
        children = value["data"].get("children") or []
        if not children:
            return 40 if "after" in value["data"] or "before" in value["data"] else 0
        kinds = {c.get("kind") for c in children[:20] if _is_thing(c)}
        return 90 if kinds & {"t1", "t3"} else 60 if "more" in kinds else 0
    if _is_thing(value):
        kind = value["kind"]
        if kind in ("t1", "t3"):
            return 90
        # A "more" stub alone (RumourEval keeps them as files): Reddit, but no post in it.
        return 60 if kind == "more" and "parent_id" in value["data"] else 0
    if is_bare_comment(value) or is_bare_submission(value):
        return 70
    return 0


class Reddit:
    name = "reddit"
    platform = "reddit"
    summary = ("Reddit API JSON: Listings, comment pages, single t1/t3 things, bare submissions and "
               "comments; one document or JSON lines")
    line_based = True

    def sniff(self, sample: Sample) -> int:
        first = sample.first_line_json
        return _score(first if first is not None else sample.document_json)

    def read(self, path: Path, cursor: Cursor, options: ReadOptions) -> Iterator[RawRecord]:
        return iter_json_records(path, cursor)

    def map(self, record: RawRecord, ctx: MapContext) -> Iterable[Post | Problem]:
        return map_document(record.payload)


FORMATS = (Reddit,)
