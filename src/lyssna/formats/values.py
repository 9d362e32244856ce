"""Pure helpers that mappers share: times in the formats real exports use, numbers written as strings,
HTML to plain text. Each raises :class:`RecordError` with a reason a person can act on.
"""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from dateutil import parser as _dateutil_parser

from ..errors import RecordError

__all__ = ["parse_time", "to_int", "html_to_text", "domain_of", "STOCKHOLM"]

STOCKHOLM = ZoneInfo("Europe/Stockholm")

_EPOCH = re.compile(r"^-?\d{9,13}(\.\d+)?$")
_SWEDISH_MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "mars": 3, "mar": 3, "april": 4, "apr": 4,
    "maj": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augusti": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
_SWEDISH_DATE = re.compile(
    r"^(?:(?:måndag|tisdag|onsdag|torsdag|fredag|lördag|söndag),?\s+)?(\d{1,2})\s+([a-zåäö]+)\.?\s+(\d{4})"
    r"(?:,?\s+(?:kl\.?\s*)?(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?$",
    re.IGNORECASE,
)
_RELATIVE_SV = re.compile(r"^(idag|igår|i går)\s*,?\s*(?:kl\.?\s*)?(\d{1,2})[:.](\d{2})$", re.IGNORECASE)
# 2018-09-14 or 2018-09-14 10:31[:00] (Flashback, Swedish exports) without an offset
_LOCAL_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?$")

_MIN = datetime(1990, 1, 1, tzinfo=timezone.utc)
_MAX_AHEAD = timedelta(days=2)


def parse_time(value: object, default_tz: tzinfo | None = None, *, what: str = "time",
               now: datetime | None = None) -> datetime:
    """Parse a timestamp from any of the formats real exports use, into an aware UTC datetime.

    Understood: ISO 8601 with or without offset (``2023-05-28T12:06:50.000Z``), RFC 2822
    (``Tue, 18 Jun 2019 06:00:00 +0200``), Twitter v1.1 (``Wed Oct 10 20:19:24 +0000 2018``), epoch
    seconds or milliseconds (number or string), and Swedish local dates (``14 september 2018 10:31``,
    ``2018-09-14 10:31``). A time without an offset is read in ``default_tz`` (UTC when None).
    """
    dt: datetime | None = None
    if value.__class__ is str and len(value) == 30:  # the fast path: Twitter's own format, millions of times
        dt = _twitter_v1(value)
        if dt is not None:
            return _checked(dt, what, now)
    tz = default_tz or timezone.utc
    if value is None or value == "":
        raise RecordError(f"{what} is missing")
    if isinstance(value, bool):
        raise RecordError(f"{what} {value!r} is not a time")
    if isinstance(value, (int, float)):
        dt = _from_epoch(float(value), what)
    elif isinstance(value, datetime):
        dt = value if value.tzinfo else value.replace(tzinfo=tz)
    elif isinstance(value, str):
        s = value.strip()
        if _EPOCH.match(s):
            dt = _from_epoch(float(s), what)
        else:
            dt = _parse_string(s, tz, now)
        if dt is None:
            raise RecordError(f"{what} {_short(value)!r} is not a time format Lyssna knows "
                              "(ISO 8601, RFC 2822, epoch seconds, Twitter's or Swedish dates)")
    else:
        raise RecordError(f"{what} {_short(value)!r} is not a time")
    return _checked(dt, what, now)


def _checked(dt: datetime, what: str, now: datetime | None) -> datetime:
    """``dt`` in UTC, refused when before 1990 or more than two days ahead of ``now`` (the clock)."""
    if dt.tzinfo is not timezone.utc:
        dt = dt.astimezone(timezone.utc)
    latest = now.astimezone(timezone.utc) + _MAX_AHEAD if now else _latest_allowed()
    if dt < _MIN or dt > latest:
        raise RecordError(f"{what} {dt.isoformat()} is out of range (before 1990 or in the future)")
    return dt


_latest_cache: list[float | datetime] = [0.0, _MIN]


def _latest_allowed() -> datetime:
    """The clock plus two days, read from the clock at most once a minute."""
    t = time.time()
    if t - _latest_cache[0] > 60:
        _latest_cache[:] = [t, datetime.fromtimestamp(t, timezone.utc) + _MAX_AHEAD]
    return _latest_cache[1]  # type: ignore[return-value]


def _short(value: object, n: int = 60) -> str:
    s = str(value)
    return s if len(s) <= n else s[:n] + "…"


def _from_epoch(x: float, what: str) -> datetime:
    if abs(x) > 1e11:  # milliseconds
        x /= 1000.0
    try:
        return datetime.fromtimestamp(x, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        raise RecordError(f"{what} {x!r} is not a valid epoch time") from None


_MONTH_ABBR = {m: i for i, m in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1)}
_OFFSETS: dict[str, tzinfo] = {"+0000": timezone.utc}


def _twitter_v1(s: str) -> datetime | None:
    """``Wed Oct 10 20:19:24 +0000 2018`` without strptime (20 times faster; imports read millions)."""
    if len(s) != 30 or s[3] != " " or s[7] != " " or s[10] != " " or s[19] != " " or s[25] != " ":
        return None
    month = _MONTH_ABBR.get(s[4:7])
    offset = s[20:25]
    tz = _OFFSETS.get(offset)
    if tz is None:
        if offset[0] not in "+-" or not offset[1:].isdigit():
            return None
        minutes = int(offset[1:3]) * 60 + int(offset[3:5])
        tz = _OFFSETS.setdefault(offset, timezone(timedelta(minutes=-minutes if offset[0] == "-" else minutes)))
    try:
        return datetime(int(s[26:30]), month, int(s[8:10]), int(s[11:13]), int(s[14:16]), int(s[17:19]),
                        tzinfo=tz) if month else None
    except ValueError:
        return None


def _parse_string(s: str, tz: tzinfo, now: datetime | None) -> datetime | None:
    # Twitter v1.1 first: dateutil would get it right too, but slowly.
    dt = _twitter_v1(s)
    if dt is not None:
        return dt
    if s[:4].isdigit() and len(s) >= 10 and s[4] == "-":
        if _LOCAL_ISO.match(s):
            try:
                return datetime.fromisoformat(s).replace(tzinfo=tz)
            except ValueError:
                return None
        try:
            dt = datetime.fromisoformat(s.replace("Z", "+00:00").replace("z", "+00:00"))
            return dt if dt.tzinfo else dt.replace(tzinfo=tz)
        except ValueError:
            pass
    if "," in s[:5] or re.search(r"[+-]\d{4}$|\b(GMT|UTC|UT|[ECMP][SD]T)$", s):
        try:
            dt = parsedate_to_datetime(s)
            if dt is not None:
                return dt if dt.tzinfo else dt.replace(tzinfo=tz)
        except (TypeError, ValueError, IndexError):
            pass
    m = _SWEDISH_DATE.match(s)
    if m and m.group(2).lower() in _SWEDISH_MONTHS:
        d, mon, y, hh, mm, ss = m.groups()
        try:
            return datetime(int(y), _SWEDISH_MONTHS[mon.lower()], int(d), int(hh or 0), int(mm or 0),
                            int(ss or 0), tzinfo=tz)
        except ValueError:
            return None
    m = _RELATIVE_SV.match(s)
    if m and now is not None:
        base = now.astimezone(tz)
        if m.group(1).lower() != "idag":
            base -= timedelta(days=1)
        return base.replace(hour=int(m.group(2)), minute=int(m.group(3)), second=0, microsecond=0)
    try:
        dt = _dateutil_parser.parse(s, dayfirst=False)
    except (ValueError, OverflowError, TypeError):
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=tz)


def to_int(value: object, *, what: str = "number") -> int | None:
    """An integer from an int, a float without a fraction or a string of digits ("42", "1,024"); None stays None."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise RecordError(f"{what} {value!r} is not a number")
        return int(value)
    if isinstance(value, str):
        s = value.strip().replace(",", "").replace("\u00a0", "").replace(" ", "")
        try:
            return int(s)
        except ValueError:
            try:
                f = float(s)
            except ValueError:
                raise RecordError(f"{what} {_short(value)!r} is not a number") from None
            return to_int(f, what=what)
    raise RecordError(f"{what} {_short(value)!r} is not a number")


class _TextExtractor(HTMLParser):
    _BLOCK = {"p", "div", "br", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "pre"}
    _SKIP = {"script", "style"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        if tag in self._SKIP:
            self._skip += 1
        elif tag in self._BLOCK and self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")

    def handle_endtag(self, tag):  # noqa: ANN001
        if tag in self._SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in self._BLOCK and tag != "br":
            self.parts.append("\n")

    def handle_data(self, data):  # noqa: ANN001
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str | None) -> str:
    """Plain text of an HTML fragment: tags dropped, entities decoded, paragraphs kept as lines."""
    if not html:
        return ""
    if "<" not in html and "&" not in html:
        return html.strip()
    p = _TextExtractor()
    p.feed(html)
    p.close()
    text = "".join(p.parts)
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def domain_of(url: str | None) -> str | None:
    """``https://www.dn.se/x`` → ``dn.se``; None when there is no host."""
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host
