"""Local calendar buckets of stored times in SQL, by integer arithmetic.

DuckDB turns a ``TIMESTAMPTZ`` into a zone's local time through ICU, one value at a time: measured on a
year of 1M matches, that conversion alone took 58 ms and a ``date_trunc`` as much again, while the same
buckets by integer arithmetic took 7 ms. A zone's offset only changes at its transitions (twice a year
where clocks change), so the offsets in force over the period are found once here, in Python, from the
zone's rules (:mod:`zoneinfo`), and the local time of a row is its epoch microseconds plus a ``CASE`` over
those transitions. Over a very long period (more than :data:`MAX_TRANSITIONS` transitions) the SQL falls
back to DuckDB's own conversion; both give the same buckets.

The buckets are the calendar's in the zone: a local day, an ISO week (from Monday) or a month, returned
as a ``DATE`` (the local date it starts on); an hour as the epoch microseconds of the instant it starts
(the time less the local minutes and seconds), so that the hour repeated when clocks go back stays two
buckets, and a zone whose offset is not whole hours (India, Nepal, South Australia) still gets its own
hours. Times before the year 768 are out of range (posts are not that old).

Only integers and the checked IANA name of the zone are written into the SQL.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

__all__ = ["MAX_TRANSITIONS", "BUCKETS", "offsets", "local_us_sql", "bucket_sql", "bucket_value", "zone_name"]

BUCKETS: tuple[str, ...] = ("hour", "day", "week", "month")
#: The most transitions written into one ``CASE`` (32 years of clock changes); beyond, ICU converts.
MAX_TRANSITIONS = 64
_HOUR = 3_600_000_000
_DAY = 86_400_000_000
#: Days added before a floor division so that it never meets a negative number (a multiple of 7, so that
#: weekdays are unchanged): 999,999 days reach back to the year 768.
_SHIFT_DAYS = 999_999
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_STEP = timedelta(hours=12)  # no zone changes its offset twice within 12 hours
_ZONE_NAME = re.compile(r"[A-Za-z0-9_+\-]+(/[A-Za-z0-9_+\-]+)*")


def zone_name(tz: ZoneInfo) -> str:
    """The zone's IANA name, checked to be one (it may be written into SQL as a literal)."""
    name = getattr(tz, "key", None)
    if not name or not _ZONE_NAME.fullmatch(name):
        raise ValueError(f"time zone {tz!r} has no IANA name; pass a zoneinfo.ZoneInfo")
    ZoneInfo(name)  # a real zone, or ZoneInfoNotFoundError
    return name


def _us(t: datetime) -> int:
    return (t - _EPOCH) // timedelta(microseconds=1)


def _offset_us(tz: ZoneInfo, t: datetime) -> int:
    return t.astimezone(tz).utcoffset() // timedelta(microseconds=1)


def offsets(tz: ZoneInfo, first: datetime, last: datetime,
            limit: int | None = None) -> list[tuple[int | None, int]]:
    """The zone's UTC offsets in force from ``first`` to ``last`` (aware), as (from epoch µs — None for the
    first —, offset µs), in time order; each change found to the second (zones change on whole seconds).
    With ``limit``, it stops once more than ``limit`` changes are found (the caller falls back then)."""
    first, last = first.astimezone(timezone.utc), last.astimezone(timezone.utc)
    out: list[tuple[int | None, int]] = [(None, _offset_us(tz, first))]
    t = first
    while t < last:
        nxt = min(t + _STEP, last)
        after = _offset_us(tz, nxt)
        if after != out[-1][1]:
            # whole seconds: the offset at second ``lo`` is the old one, at ``hi`` the new one
            lo, hi = _us(t) // 1_000_000, -(-_us(nxt) // 1_000_000)
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if _offset_us(tz, _EPOCH + timedelta(seconds=mid)) == after:
                    hi = mid
                else:
                    lo = mid
            out.append((hi * 1_000_000, after))
            if limit is not None and len(out) - 1 > limit:
                break
        t = nxt
    return out


def local_us_sql(column: str, tz: ZoneInfo, first: datetime | None, last: datetime | None) -> str:
    """SQL for the local wall-clock time of ``column`` (a TIMESTAMPTZ) in ``tz`` as epoch microseconds,
    correct for the rows between ``first`` and ``last``; DuckDB's own conversion when they are not known or
    the period holds more than :data:`MAX_TRANSITIONS` transitions."""
    name = zone_name(tz)
    if first is not None and last is not None and first <= last:
        found = offsets(tz, first, last, limit=MAX_TRANSITIONS)
        if len(found) - 1 <= MAX_TRANSITIONS:
            us = f"epoch_us({column})"
            if len(found) == 1:
                return f"({us} + {found[0][1]})"
            cases = " ".join(f"WHEN {us} < {start} THEN {before}"
                             for (_, before), (start, _) in zip(found, found[1:]))
            return f"({us} + CASE {cases} ELSE {found[-1][1]} END)"
    return f"epoch_us(timezone('{name}', {column}))"


def bucket_sql(bucket: str, column: str, tz: ZoneInfo, first: datetime | None = None,
               last: datetime | None = None) -> str:
    """SQL for the bucket of ``column`` in ``tz``: a DATE for days, weeks and months, the epoch µs of the
    hour's start for hours (see the module's notes); ``first`` and ``last`` bound the rows' times."""
    if bucket not in BUCKETS:
        raise ValueError(f"bucket must be one of {', '.join(BUCKETS)}, not {bucket!r}")
    local = local_us_sql(column, tz, first, last)
    shift = _SHIFT_DAYS * _DAY
    if bucket == "hour":
        return f"(epoch_us({column}) - ({local} + {shift}) % {_HOUR})"
    days = f"(({local} + {shift}) // {_DAY})"  # shifted days: never negative
    if bucket == "day":
        return f"(DATE '1970-01-01' + CAST({days} - {_SHIFT_DAYS} AS INTEGER))"
    if bucket == "week":  # 1970-01-01 was a Thursday: a Monday's shifted day is 4 mod 7
        return f"(DATE '1970-01-01' + CAST({days} - ({days} + 3) % 7 - {_SHIFT_DAYS} AS INTEGER))"
    return f"CAST(date_trunc('month', DATE '1970-01-01' + CAST({days} - {_SHIFT_DAYS} AS INTEGER)) AS DATE)"


def bucket_value(value: date | int, tz: ZoneInfo) -> datetime:
    """The aware start of a bucket as :func:`bucket_sql` gives it."""
    if isinstance(value, datetime):  # an aware instant
        return value.astimezone(tz)
    if isinstance(value, date):  # a local date: its midnight
        return datetime.combine(value, time(), tz)
    return (_EPOCH + timedelta(microseconds=int(value))).astimezone(tz)
