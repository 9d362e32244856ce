"""Local calendar buckets by integer arithmetic (lyssna.store.localtime) agree with the calendar, in zones
with and without clock changes, half-hour offsets and half-hour clock changes, at every transition."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import duckdb
import pytest

from lyssna.analytics.overview import bucket_start
from lyssna.store import localtime

ZONES = ["Europe/Stockholm", "UTC", "Asia/Kolkata", "Asia/Kathmandu", "Australia/Adelaide", "America/St_Johns",
         "America/Santiago", "Australia/Lord_Howe", "Pacific/Apia", "America/Los_Angeles"]
FIRST = datetime(2012, 1, 1, tzinfo=timezone.utc)
LAST = datetime(2026, 1, 1, tzinfo=timezone.utc)


def _times(tz: ZoneInfo) -> list[datetime]:
    rng = random.Random(tz.key)
    span = int((LAST - FIRST).total_seconds())
    out = [FIRST + timedelta(seconds=rng.randrange(span)) for _ in range(600)]
    for start, _ in localtime.offsets(tz, FIRST, LAST)[1:]:  # around every transition
        at = datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(microseconds=start)
        out += [at - timedelta(microseconds=1), at, at + timedelta(minutes=30), at - timedelta(minutes=61),
                at + timedelta(hours=23, minutes=59)]
    return out


@pytest.mark.parametrize("zone", ZONES)
def test_sql_buckets_match_the_calendar_with_and_without_the_zones_offsets_written_out(zone):
    tz = ZoneInfo(zone)
    con = duckdb.connect()
    con.execute("CREATE TABLE t (c TIMESTAMPTZ)")
    con.executemany("INSERT INTO t VALUES (?)", [[t] for t in _times(tz)])
    for bucket in localtime.BUCKETS:
        for bounds in ((FIRST, LAST), (None, None)):  # offsets written out; DuckDB's own conversion
            sql = localtime.bucket_sql(bucket, "c", tz, *bounds)
            assert ("timezone(" in sql) == (bounds[0] is None)
            wrong = [(c, localtime.bucket_value(v, tz), bucket_start(c, bucket, tz))
                     for c, v in con.execute(f"SELECT c, {sql} FROM t").fetchall()
                     if localtime.bucket_value(v, tz) != bucket_start(c, bucket, tz)
                     or localtime.bucket_value(v, tz).utcoffset() != bucket_start(c, bucket, tz).utcoffset()]
            assert not wrong, (bucket, bounds[0] is not None, wrong[:3])


def test_the_transitions_are_found_to_the_second():
    tz = ZoneInfo("Europe/Stockholm")
    found = localtime.offsets(tz, datetime(2025, 1, 1, tzinfo=tz), datetime(2026, 1, 1, tzinfo=tz))
    hour = 3_600_000_000
    assert found == [(None, hour), (int(datetime(2025, 3, 30, 1, tzinfo=timezone.utc).timestamp()) * 10**6, 2 * hour),
                     (int(datetime(2025, 10, 26, 1, tzinfo=timezone.utc).timestamp()) * 10**6, hour)]
    assert localtime.offsets(ZoneInfo("Asia/Kolkata"), FIRST, LAST) == [(None, 19_800_000_000)]


def test_a_long_period_falls_back_to_duckdbs_conversion_and_agrees():
    tz = ZoneInfo("Europe/Stockholm")
    first, last = datetime(1980, 1, 1, tzinfo=timezone.utc), datetime(2025, 1, 1, tzinfo=timezone.utc)
    assert len(localtime.offsets(tz, first, last)) - 1 > localtime.MAX_TRANSITIONS
    sql = localtime.bucket_sql("day", "c", tz, first, last)
    assert "timezone('Europe/Stockholm'" in sql
    (value,) = duckdb.connect().execute(f"SELECT {sql} FROM (SELECT TIMESTAMPTZ '1999-12-31 23:30:00+00' AS c)").fetchone()
    assert value == date(2000, 1, 1)


def test_only_real_zones_and_known_buckets_are_written_into_sql():
    with pytest.raises(ValueError):
        localtime.zone_name(timezone.utc)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        localtime.bucket_sql("fortnight", "c", ZoneInfo("UTC"))


def test_a_transition_is_placed_exactly_when_the_period_starts_mid_second():
    # Lord Howe Island moves its clocks by half an hour: back from +11:00 to +10:30 at 2025-04-05 15:00 UTC
    tz = ZoneInfo("Australia/Lord_Howe")
    change = datetime(2025, 4, 5, 15, tzinfo=timezone.utc)
    first, last = change - timedelta(milliseconds=750), change + timedelta(milliseconds=500)
    assert localtime.offsets(tz, first, last)[1] == (int(change.timestamp()) * 10**6, int(10.5 * 3600) * 10**6)
    con = duckdb.connect()
    sql = localtime.bucket_sql("hour", "c", tz, first, last)
    for at, start_utc in ((change - timedelta(seconds=1), datetime(2025, 4, 5, 14, tzinfo=timezone.utc)),  # 01:59:59+11
                          (change, datetime(2025, 4, 5, 14, 30, tzinfo=timezone.utc))):  # 01:30+10:30, less 30 min
        (start,) = con.execute(f"SELECT {sql} FROM (SELECT CAST(? AS TIMESTAMPTZ) AS c)", [at]).fetchone()
        # (compared in UTC: Python never finds a time in the repeated half hour equal to one in another zone)
        assert localtime.bucket_value(start, tz).astimezone(timezone.utc) == start_utc
        assert bucket_start(at, "hour", tz).astimezone(timezone.utc) == start_utc


def test_a_stray_ancient_time_does_not_walk_two_thousand_years():
    tz = ZoneInfo("Europe/Stockholm")
    found = localtime.offsets(tz, datetime(1, 1, 2, tzinfo=timezone.utc), datetime(2025, 1, 1, tzinfo=timezone.utc),
                              limit=localtime.MAX_TRANSITIONS)
    assert len(found) - 1 == localtime.MAX_TRANSITIONS + 1  # stopped as soon as it was too many
    assert "timezone(" in localtime.bucket_sql("day", "c", tz, datetime(1, 1, 2, tzinfo=timezone.utc),
                                               datetime(2025, 1, 1, tzinfo=timezone.utc))
