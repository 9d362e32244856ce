"""Alert rules: a condition on a topic (a spike, a surge of negative posts, a new term rising, any new
post matching a query) and where to send it (the log, a webhook, an e-mail address), with a quiet period so that one
event is one alert.

The flow
--------
1. :func:`add_rule` checks a rule (the topic exists, the query parses, the channels are ``log``, an
   http(s) URL or an e-mail address) and saves it with its first state: what the store held when the
   rule was added is history, learned but never alerted on.
2. :func:`check_rules` (``now`` passed in) evaluates every rule on what has arrived since its last run:

   * ``spike`` / ``negative_surge``: the topic's hourly counts (of posts the sentiment enricher labels
     negative, for a surge) are fed to a :class:`~lyssna.analytics.spikes.SpikeDetector` (upward
     anomalies only) whose numbers are kept per rule as JSON (:func:`detector_state` /
     :func:`restore_detector`; never pickled). Only complete hours are read: hours that ended before
     ``now`` *and* before the newest post in the store — an import of an export brings the past, and an
     hour is complete once posts after it have arrived. An anomaly alerts when it opens.
   * ``rising_term``: the topic's phrases and hashtags rising against their own baseline
     (:func:`lyssna.analytics.overview.rising_terms`: the last 24 hours against the 28 days before, a
     near-duplicate group counted once, at least 5 posts and 3 times what the baseline predicts), judged
     at the end of each complete hour that has arrived (at most one judgement a day through a backlog,
     always the latest). A term alerts when it starts rising; while it stays on the list it is not new
     (kept in the state), and it may alert again once it has dropped off. The alert names the top term
     and lists up to five new ones, with the topic's posts that carry the top term.
   * ``match``: the topic's matches with a post key above the rule's watermark that also match the
     rule's query (the reference evaluator, :func:`lyssna.query.evaluate.compile_test`).

   Quiet period: an event within ``quiet_minutes`` (in event time: the anomaly's hour, the post's time)
   of the rule's previous alert is folded into it — counted in the state (and in the alert's
   ``folded`` while that alert is still being written), not sent again.
3. Every alert is written to the durable outbox, one row per channel, **in the same transaction** as the
   rule's new state, so a crash neither loses an alert nor evaluates an event twice.
4. :func:`deliver` sends the due outbox rows with the senders passed in (:class:`WebhookSender`: HTTP
   POST of the JSON payload, 2xx is success; :class:`SmtpSender`; :class:`LogSender`). A failure
   counts the attempt, keeps the error and waits ``1 min × 2^attempts`` (at most 6 h) before the next
   try; the row is kept until it is delivered. Delivery is at least once: a crash between a
   receiver's 2xx and the row being marked sends that alert again on the next run.

The payload (JSON; untrusted post text stays JSON-encoded, never HTML): ``rule``, ``topic``, ``kind``,
``window`` (start, end), ``observed``, ``expected``, ``score``, ``direction``, ``posts`` (ref, author,
time, text cut to 280 characters), ``folded`` and ``summary`` (one line of English); a rising-term alert
adds ``term`` and ``terms`` (term, kind, recent, baseline, expected, ratio, score).
"""

from __future__ import annotations

import json
import logging
import re
import smtplib
import ssl
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from typing import Any, Callable, Mapping, Sequence
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from .analytics.overview import rising_terms
from .analytics.spikes import Anomaly, SpikeDetector, SpikeParams
from .errors import LyssnaError, NotFound
from .query.analysis import analyse
from .query.evaluate import compile_test
from .query.parser import parse
from .store.base import StoredPost

__all__ = ["AlertError", "AlertRule", "Alert", "KINDS", "add_rule", "rules", "remove_rule", "check_rules",
           "deliver", "Delivery", "WebhookSender", "SmtpSender", "LogSender", "default_senders", "parse_channel",
           "detector_state", "restore_detector", "backoff"]

log = logging.getLogger("lyssna.alerts")

KINDS = ("spike", "negative_surge", "rising_term", "match")
#: What a rising-term rule judges: the recent window against the baseline before it, and the bars a term
#: must clear (posts — near-duplicate groups — in the recent window, and times its expected count).
RISING_RECENT = timedelta(hours=24)
RISING_BASELINE = timedelta(days=28)
RISING_MIN_POSTS = 5
RISING_MIN_RATIO = 3.0
_RISING_STEP = 24 * 3600  # through a backlog, one judgement a day (ending at the latest complete hour)
_RISING_MAX_STEPS = 60
_RISING_KEEP = 500  # terms remembered as rising, at most
_HOUR = 3600
_TEXT_LIMIT = 280
_TOP_POSTS = 5
_EMAIL = re.compile(r"^[^@\s<>,;\"()\[\]\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$")
_STATE_VERSION = 1


class AlertError(LyssnaError):
    """An alert rule is not valid (its topic, kind, query, channels or quiet period)."""

    exit_code = 2


@dataclass(frozen=True, slots=True)
class AlertRule:
    id: int
    name: str
    topic: str
    kind: str
    query: str | None
    channels: tuple[str, ...]  # "log", "webhook:<url>", "smtp:<address>"
    quiet_minutes: int
    created_at: datetime


@dataclass
class Alert:
    """One alert as written to the outbox (once per channel)."""

    rule: AlertRule
    at: datetime  # event time: the anomaly's hour, the post's time
    payload: dict[str, Any] = field(default_factory=dict)


def _rule(row: tuple) -> AlertRule:
    return AlertRule(row[0], row[1], row[2], row[3], row[4], tuple(row[5]), row[6], row[7])


# -- rules ------------------------------------------------------------------------------------------------

def parse_channel(text: str) -> str:
    """``log``, an http(s) URL or an e-mail address as a stored channel (``log``, ``webhook:<url>``,
    ``smtp:<address>``); anything else is an :class:`AlertError`."""
    value = text.strip()
    if value.lower() == "log":
        return "log"
    if any(ord(c) < 32 for c in value):
        raise AlertError(f"{text!r}: a channel cannot hold control characters")
    if "://" in value or value.lower().startswith(("http:", "https:")):
        parts = urlsplit(value)
        if parts.scheme.lower() not in ("http", "https"):
            raise AlertError(f"{value!r}: a webhook URL must start with http:// or https:// (not {parts.scheme}://)")
        if not parts.hostname:
            raise AlertError(f"{value!r}: the webhook URL has no host, e.g. https://hooks.example.com/lyssna")
        return "webhook:" + value
    if "@" in value:
        if not _EMAIL.match(value):
            raise AlertError(f"{value!r} is not an e-mail address, e.g. ops@example.com")
        return "smtp:" + value
    raise AlertError(f"{text!r}: send alerts to `log`, an http(s) webhook URL or an e-mail address")


def add_rule(store, name: str, *, topic: str, kind: str, channels: Sequence[str], query: str | None = None,
             quiet_minutes: int = 60, now: datetime, zone: str | ZoneInfo = "UTC") -> AlertRule:
    """Check and save a rule. What the store holds now is history: the rule alerts on what comes after."""
    if not name or not name.strip() or len(name) > 200 or any(ord(c) < 32 for c in name):
        raise AlertError(f"{name!r} is not a rule name: use 1–200 printable characters")
    if kind not in KINDS:
        raise AlertError(f"unknown kind {kind!r}: use one of {', '.join(KINDS)}")
    try:
        store.topic(topic)
    except NotFound as e:
        raise AlertError(str(e)) from None
    if kind == "match":
        if not query or not query.strip():
            raise AlertError("a 'match' rule needs --query, e.g. --query '\"customer service\" AND (slow OR rude)'")
        parse(query)  # QueryError: the position, a caret and a hint
    elif query:
        raise AlertError(f"--query is for 'match' rules only, not {kind!r}")
    if not channels:
        raise AlertError("say where to send the alerts: --to log, --to https://… or --to someone@example.com")
    stored = list(dict.fromkeys(parse_channel(c) for c in channels))
    if not 0 <= quiet_minutes <= 7 * 24 * 60:
        raise AlertError(f"the quiet period must be 0–10080 minutes (a week), not {quiet_minutes}")
    if any(r[1] == name for r in store.alert_rules()):
        raise AlertError(f"an alert rule named {name!r} exists already; remove it first with `lyssna alert remove`")
    newest = store.newest_post_time()
    state = {"v": _STATE_VERSION, "silent_until": newest.timestamp() if newest else None,
             "last_alert_at": None, "folded": 0, "detector": None}
    upto = store.max_post_key() if kind == "match" else None
    return _rule(store.add_alert_rule(name, topic, kind, query, stored, quiet_minutes, now,
                                      json.dumps(state), upto))


def rules(store) -> list[AlertRule]:
    return [_rule(r) for r in store.alert_rules()]


def remove_rule(store, name: str) -> AlertRule:
    """Delete a rule, its state and its undelivered alerts."""
    return _rule(store.delete_alert_rule(name))


# -- the detector's state ------------------------------------------------------------------------------

def _params() -> SpikeParams:
    return SpikeParams(directions=("up",))


def _anomaly_dict(a: Anomaly | None) -> dict | None:
    if a is None:
        return None
    return {"start": a.start.timestamp(), "peak": a.peak.timestamp(),
            "end": a.end.timestamp() if a.end else None, "peak_value": a.peak_value, "expected": a.expected,
            "score": a.score, "direction": a.direction, "ongoing": a.ongoing}


def detector_state(d: SpikeDetector) -> dict[str, Any]:
    """An hourly :class:`SpikeDetector`'s numbers as JSON-able values (its parameters are not included:
    alerts use fixed ones)."""
    ev = d._events
    return {"origin": d.clock.origin, "n": d._n, "last": d._last, "level": d._level, "daily": list(d._daily),
            "weekly": list(d._weekly), "nd": list(d._nd), "nw": list(d._nw), "phi": d._phi,
            "open": _anomaly_dict(ev.open), "first": ev.first, "last_hit": ev.last_hit, "peak_abs": ev.peak_abs}


def restore_detector(state: Mapping[str, Any] | None, tz: str | ZoneInfo = "UTC",
                     params: SpikeParams | None = None) -> SpikeDetector:
    """A detector (hourly buckets; upward anomalies unless other ``params`` are given) in the state
    :func:`detector_state` gave, or a new one."""
    d = SpikeDetector("hour", tz=tz, params=params or _params())
    if not state:
        return d
    zone = d.clock.zone
    d.clock.origin = state["origin"]
    d._n, d._last, d._level, d._phi = int(state["n"]), int(state["last"]), float(state["level"]), float(state["phi"])
    d._daily, d._weekly = [float(x) for x in state["daily"]], [float(x) for x in state["weekly"]]
    d._nd, d._nw = [int(x) for x in state["nd"]], [int(x) for x in state["nw"]]
    ev = d._events
    ev.first, ev.last_hit, ev.peak_abs = int(state["first"]), int(state["last_hit"]), float(state["peak_abs"])
    o = state["open"]
    if o is not None:
        def t(x):
            return None if x is None else datetime.fromtimestamp(x, zone)
        ev.open = Anomaly(t(o["start"]), t(o["peak"]), t(o["end"]), o["peak_value"], o["expected"], o["score"],
                          o["direction"], o["ongoing"])
    return d


# -- evaluation -----------------------------------------------------------------------------------------

def _post_dict(p: StoredPost) -> dict[str, Any]:
    text = p.text if len(p.text) <= _TEXT_LIMIT else p.text[:_TEXT_LIMIT - 1] + "…"
    return {"ref": f"{p.platform}:{p.native_id}", "author": p.author_handle, "time": p.created_at.isoformat(),
            "text": text, "url": p.url}


def _utc(t: datetime) -> datetime:
    return (t if t.tzinfo else t.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)


def _summary(rule: AlertRule, payload: Mapping[str, Any]) -> str:
    if rule.kind == "match":
        first = payload["posts"][0] if payload["posts"] else {}
        more = f" (+{payload['folded']} more)" if payload["folded"] else ""
        return (f"[{rule.name}] new post in topic {rule.topic} matching {rule.query!r}: "
                f"{first.get('ref')} by {first.get('author')}{more}")
    if rule.kind == "rising_term":
        terms = ", ".join(repr(t["term"]) for t in payload["terms"][:3])
        return (f"[{rule.name}] rising in topic {rule.topic}: {terms}; {payload['term']!r} in "
                f"{payload['observed']} posts in 24 h, {payload['expected']:.1f} expected from its baseline")
    what = "negative surge" if rule.kind == "negative_surge" else "spike"
    return (f"[{rule.name}] {what} in topic {rule.topic} at {payload['window']['start']}: "
            f"{payload['observed']:g} posts in the hour, {payload['expected']:.1f} expected (score {payload['score']:.1f})")


def _fold(rule: AlertRule, state: dict, at: datetime, fresh: list[Alert]) -> bool:
    """Whether an event at ``at`` falls in the quiet period of the rule's previous alert (counted if so)."""
    last = state.get("last_alert_at")
    if last is not None and abs(at.timestamp() - last) < rule.quiet_minutes * 60:
        state["folded"] = state.get("folded", 0) + 1
        if fresh and fresh[-1].at.timestamp() == last:
            fresh[-1].payload["folded"] += 1
        return True
    state["last_alert_at"] = at.timestamp()
    state["folded"] = 0
    return False


def _spike_alerts(store, rule: AlertRule, topic_id: int, state: dict, upto: int | None, now: datetime,
                  zone) -> tuple[list[Alert], int | None]:
    negative = rule.kind == "negative_surge"
    newest = store.newest_post_time()
    if newest is None:
        return [], upto
    end = min(int(now.timestamp()) // _HOUR, int(newest.timestamp()) // _HOUR) * _HOUR  # exclusive
    if upto is None:
        first = store.first_match_time(topic_id)
        if first is None:
            return [], None
        upto = int(first.timestamp()) // _HOUR * _HOUR
    if upto >= end:
        return [], upto
    counts = store.hourly_matches(topic_id, datetime.fromtimestamp(upto, timezone.utc),
                                  datetime.fromtimestamp(end, timezone.utc), negative=negative)
    detector = restore_detector(state.get("detector"), zone)
    silent = state.get("silent_until")
    silent_hour = None if silent is None else int(silent) // _HOUR * _HOUR
    fresh: list[Alert] = []
    hours = sorted(set(counts) | {end - _HOUR})
    for h in hours:
        detector.update(float(h), counts.get(h, 0))
        for a in detector.emitted:
            if not a.ongoing or a.direction != "up":
                continue
            start = _utc(a.start)
            if silent_hour is not None and start.timestamp() < silent_hour:
                continue  # history: it was in the store when the rule was added
            if _fold(rule, state, start, fresh):
                continue
            posts = store.top_matches(topic_id, start, start + timedelta(hours=1), negative=negative,
                                      limit=_TOP_POSTS)
            payload = {"rule": rule.name, "topic": rule.topic, "kind": rule.kind,
                       "window": {"start": start.isoformat(), "end": (start + timedelta(hours=1)).isoformat()},
                       "observed": a.peak_value, "expected": round(a.expected, 2), "score": round(a.score, 2),
                       "direction": a.direction, "posts": [_post_dict(p) for p in posts], "folded": 0}
            fresh.append(Alert(rule, start, payload))
    state["detector"] = detector_state(detector)
    return fresh, end


def _rising_alerts(store, rule: AlertRule, topic_id: int, state: dict, upto: int | None,
                   now: datetime) -> tuple[list[Alert], int | None]:
    newest = store.newest_post_time()
    if newest is None:
        return [], upto
    end = min(int(now.timestamp()) // _HOUR, int(newest.timestamp()) // _HOUR) * _HOUR  # a complete hour's end
    def judge(point: int) -> list:
        return rising_terms(store, [rule.topic], until=datetime.fromtimestamp(point, timezone.utc),
                            recent=RISING_RECENT, baseline=RISING_BASELINE, min_recent=RISING_MIN_POSTS,
                            min_ratio=RISING_MIN_RATIO, limit=_RISING_KEEP)

    if upto is None:  # first run: the hours before the rule was added are history, and so is what rose in them
        silent = state.get("silent_until")
        upto = int(silent) // _HOUR * _HOUR if silent is not None else end - _HOUR
        state["rising"] = {t.term: float(upto) for t in judge(upto)}
    points = list(range(end, upto, -_RISING_STEP))[:_RISING_MAX_STEPS][::-1]
    fresh: list[Alert] = []
    for point in points:
        until = datetime.fromtimestamp(point, timezone.utc)
        found = judge(point)
        known: dict[str, float] = state.get("rising") or {}
        new = [t for t in found if t.term not in known]
        state["rising"] = {t.term: known.get(t.term, float(point)) for t in found}
        if not new or _fold(rule, state, until, fresh):
            continue
        top = new[0]
        since = until - RISING_RECENT
        posts = store.term_matches(topic_id, top.term, since, until, limit=_TOP_POSTS)
        payload = {"rule": rule.name, "topic": rule.topic, "kind": rule.kind,
                   "window": {"start": since.isoformat(), "end": until.isoformat()}, "observed": top.recent,
                   "expected": round(top.expected, 2), "score": round(top.score, 2), "direction": "up",
                   "term": top.term,
                   "terms": [{"term": t.term, "kind": t.kind, "recent": t.recent, "baseline": t.baseline,
                              "expected": round(t.expected, 2), "ratio": round(t.ratio, 2), "score": round(t.score, 2)}
                             for t in new[:_TOP_POSTS]],
                   "posts": [_post_dict(p) for p in posts], "folded": 0}
        fresh.append(Alert(rule, until, payload))
    return fresh, max(end, upto)


def _match_alerts(store, rule: AlertRule, topic_id: int, state: dict, upto: int | None) -> tuple[list[Alert], int | None]:
    after = upto or 0
    keys = store.match_keys_after(topic_id, after)
    if not keys:
        return [], after
    test = compile_test(parse(rule.query or "").tree)
    good = [item.key for item in store.match_inputs_for(keys) if test(analyse(item))]
    posts = sorted(store.posts_by_keys(good), key=lambda p: (p.created_at, p.key))
    fresh: list[Alert] = []
    for p in posts:
        at = _utc(p.created_at)
        if _fold(rule, state, at, fresh):
            if fresh and len(fresh[-1].payload["posts"]) < _TOP_POSTS and fresh[-1].at.timestamp() == state["last_alert_at"]:
                fresh[-1].payload["posts"].append(_post_dict(p))
            continue
        payload = {"rule": rule.name, "topic": rule.topic, "kind": rule.kind,
                   "window": {"start": at.isoformat(), "end": at.isoformat()}, "observed": 1, "expected": None,
                   "score": None, "direction": None, "query": rule.query, "posts": [_post_dict(p)], "folded": 0}
        fresh.append(Alert(rule, at, payload))
    return fresh, max(keys)


def check_rules(store, now: datetime, *, zone: str | ZoneInfo = "UTC",
                names: Sequence[str] | None = None) -> list[Alert]:
    """Evaluate every rule (or those named) on what arrived since its last run; write the alerts to the
    outbox with the rules' new state (one transaction per rule). Matches must be up to date (the caller
    runs the listening catch-up). Returns the alerts written."""
    now = _utc(now)
    topics = {t.name: t.id for t in store.topics()}
    written: list[Alert] = []
    for rule in rules(store):
        if names is not None and rule.name not in names:
            continue
        if rule.topic not in topics:
            log.warning("alert rule %s: its topic %s no longer exists; skipped", rule.name, rule.topic)
            continue
        raw, upto = store.alert_state(rule.id)
        state = json.loads(raw) if raw else {}
        if rule.kind == "match":
            fresh, new_upto = _match_alerts(store, rule, topics[rule.topic], state, upto)
        elif rule.kind == "rising_term":
            fresh, new_upto = _rising_alerts(store, rule, topics[rule.topic], state, upto, now)
        else:
            fresh, new_upto = _spike_alerts(store, rule, topics[rule.topic], state, upto, now, zone)
        if new_upto == upto and not fresh:
            continue
        outbox = []
        for alert in fresh:
            alert.payload["summary"] = _summary(rule, alert.payload)
            body = json.dumps(alert.payload, ensure_ascii=False)
            outbox += [(channel, body) for channel in rule.channels]
        store.save_alert_run(rule.id, json.dumps(state), new_upto, outbox, now)
        written += fresh
    return written


# -- delivery -------------------------------------------------------------------------------------------

def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failure: 1 min × 2^attempts, at most 6 hours."""
    return min(timedelta(minutes=1) * (2 ** min(attempts, 20)), timedelta(hours=6))


class WebhookSender:
    """POST the payload as JSON; a 2xx answer is success, anything else (or no answer) raises."""

    def __init__(self, opener: Callable[..., Any] = urllib.request.urlopen, timeout: float = 10.0):
        self.opener = opener
        self.timeout = timeout

    def __call__(self, url: str, payload: Mapping[str, Any]) -> None:
        request = urllib.request.Request(url, data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
                                         method="POST", headers={"Content-Type": "application/json; charset=utf-8",
                                                                 "User-Agent": "lyssna-alerts"})
        with self.opener(request, timeout=self.timeout) as response:
            status = getattr(response, "status", None) or response.getcode()
            if not 200 <= status < 300:
                raise OSError(f"HTTP {status}")


class SmtpSender:
    """Send the alert as a plain-text e-mail with the payload attached as JSON.

    ``security``: ``none`` (plain SMTP), ``starttls`` (upgrade the connection, usually port 587) or
    ``ssl`` (TLS from the start, usually 465); the server's certificate is verified (``ssl_context``,
    default: the system's authorities). With a ``username`` it logs in, which needs starttls or ssl: a
    password is never sent in the clear."""

    def __init__(self, host: str = "localhost", port: int = 25, sender: str = "lyssna@localhost",
                 smtp: Callable[..., smtplib.SMTP] = smtplib.SMTP, timeout: float = 10.0, *,
                 security: str = "none", username: str = "", password: str = "",
                 ssl_context: ssl.SSLContext | None = None):
        if security not in ("none", "starttls", "ssl"):
            raise ValueError(f"SMTP security must be none, starttls or ssl, not {security!r}")
        if username and security == "none":
            raise ValueError("an SMTP login needs starttls or ssl: a password is never sent unencrypted")
        self.host, self.port, self.sender, self.smtp, self.timeout = host, port, sender, smtp, timeout
        self.security, self.username, self.password = security, username, password
        self.ssl_context = ssl_context

    def _connect(self) -> smtplib.SMTP:
        context = self.ssl_context or ssl.create_default_context()
        if self.security == "ssl":
            return smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        client = self.smtp(self.host, self.port, timeout=self.timeout)
        if self.security == "starttls":
            try:
                client.starttls(context=context)
            except BaseException:
                client.close()
                raise
        return client

    def __call__(self, address: str, payload: Mapping[str, Any]) -> None:
        message = EmailMessage()
        message["Subject"] = f"Lyssna alert: {payload.get('rule')} ({payload.get('kind')}, topic {payload.get('topic')})"
        message["From"] = self.sender
        message["To"] = address
        lines = [str(payload.get("summary", "")), ""]
        for post in payload.get("posts") or []:
            lines.append(f"- {post.get('ref')} by {post.get('author')}: {post.get('text')}")
        if payload.get("folded"):
            lines.append(f"({payload['folded']} more events folded into this alert)")
        message.set_content("\n".join(lines))
        message.add_attachment(json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8"),
                               maintype="application", subtype="json", filename="alert.json")
        with self._connect() as client:
            if self.username:
                client.login(self.username, self.password)
            client.send_message(message)


class LogSender:
    """Write the alert's one-line summary to the ``logging`` module at WARNING."""

    def __init__(self, logger: logging.Logger = log):
        self.logger = logger

    def __call__(self, target: str, payload: Mapping[str, Any]) -> None:
        self.logger.warning("%s", payload.get("summary"))


def default_senders(settings=None) -> dict[str, Callable[[str, Mapping[str, Any]], None]]:
    """One sender per channel kind; SMTP host, port and sender from the project's settings."""
    smtp = (SmtpSender(settings.smtp_host, settings.smtp_port, settings.smtp_from, security=settings.smtp_security,
                       username=settings.smtp_user, password=settings.smtp_password) if settings is not None
            else SmtpSender())
    return {"log": LogSender(), "webhook": WebhookSender(), "smtp": smtp}


@dataclass(frozen=True, slots=True)
class Delivery:
    outbox_id: int
    channel: str
    ok: bool
    error: str | None = None


def deliver(store, now: datetime, senders: Mapping[str, Callable[[str, Mapping[str, Any]], None]]) -> list[Delivery]:
    """Try every due outbox row once; each result is recorded at once (one transaction per row)."""
    now = _utc(now)
    done: list[Delivery] = []
    for outbox_id, _rule_id, channel, body, attempts in store.due_alerts(now):
        kind, _, target = channel.partition(":")
        try:
            sender = senders[kind]
            sender(target, json.loads(body))
        except Exception as e:  # any failure to send is recorded and retried, never raised
            error = f"{type(e).__name__}: {e}"[:1000]
            store.mark_alert(outbox_id, delivered_at=None, attempts=attempts + 1,
                             next_attempt_at=now + backoff(attempts), last_error=error)
            done.append(Delivery(outbox_id, channel, False, error))
            continue
        store.mark_alert(outbox_id, delivered_at=now, attempts=attempts + 1, last_error=None)
        done.append(Delivery(outbox_id, channel, True))
    return done
