"""Times, numbers and HTML as real exports write them."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, strategies as st

from lyssna.errors import RecordError
from lyssna.formats.values import domain_of, html_to_text, parse_time, to_int

UTC = timezone.utc
STHLM = ZoneInfo("Europe/Stockholm")


@pytest.mark.parametrize("value, expected", [
    ("2023-05-28T12:06:50.000Z", datetime(2023, 5, 28, 12, 6, 50, tzinfo=UTC)),
    ("2021-02-09T08:00:00+01:00", datetime(2021, 2, 9, 7, 0, tzinfo=UTC)),
    ("Tue, 18 Jun 2019 06:00:00 +0200", datetime(2019, 6, 18, 4, 0, tzinfo=UTC)),
    ("Tue, 18 Jun 2019 06:00:00 GMT", datetime(2019, 6, 18, 6, 0, tzinfo=UTC)),
    ("Wed Oct 10 20:19:24 +0000 2018", datetime(2018, 10, 10, 20, 19, 24, tzinfo=UTC)),
    (1539202764, datetime(2018, 10, 10, 20, 19, 24, tzinfo=UTC)),
    ("1539202764", datetime(2018, 10, 10, 20, 19, 24, tzinfo=UTC)),
    (1539202764000, datetime(2018, 10, 10, 20, 19, 24, tzinfo=UTC)),
    (1539202764.5, datetime(2018, 10, 10, 20, 19, 24, 500000, tzinfo=UTC)),
])
def test_formats_with_offsets(value, expected):
    assert parse_time(value) == expected


def test_local_times_use_the_default_zone():
    # Summer and winter time in Stockholm: +02:00 and +01:00
    assert parse_time("2018-09-14 10:31", STHLM) == datetime(2018, 9, 14, 8, 31, tzinfo=UTC)
    assert parse_time("2018-11-13 10:31:05", STHLM) == datetime(2018, 11, 13, 9, 31, 5, tzinfo=UTC)
    assert parse_time("14 september 2018 10:31", STHLM) == datetime(2018, 9, 14, 8, 31, tzinfo=UTC)
    assert parse_time("lördag 3 mars 2018 kl. 21.05", STHLM) == datetime(2018, 3, 3, 20, 5, tzinfo=UTC)
    assert parse_time("2018-09-14 10:31") == datetime(2018, 9, 14, 10, 31, tzinfo=UTC)  # UTC by default


def test_relative_swedish_needs_a_clock():
    now = datetime(2024, 5, 2, 12, 0, tzinfo=UTC)
    assert parse_time("igår 21:15", STHLM, now=now) == datetime(2024, 5, 1, 19, 15, tzinfo=UTC)
    with pytest.raises(RecordError):
        parse_time("igår 21:15", STHLM)


@pytest.mark.parametrize("bad", ["", None, "soon", "32 mars 2018", "2099-01-01T00:00:00Z", "1970-01-02", True, [1]])
def test_bad_times_name_the_problem(bad):
    with pytest.raises(RecordError) as e:
        parse_time(bad, what="pubDate")
    assert "pubDate" in str(e.value)


@given(st.text(max_size=60) | st.integers() | st.floats())
def test_parse_time_only_raises_record_error(value):
    try:
        dt = parse_time(value)
    except RecordError:
        return
    assert dt.tzinfo is not None


def test_to_int():
    assert [to_int(v) for v in ("42", "1,024", 3.0, 7, None, "", " 5 ")] == [42, 1024, 3, 7, None, None, 5]
    for bad in ("many", float("nan"), {}):
        with pytest.raises(RecordError):
            to_int(bad)


def test_html_to_text():
    html = ('<p><span class="h-card"><a href="https://x.social/@anna">@<span>anna</span></a></span> '
            'hej &amp; tack</p><p>rad två<br>rad tre</p><script>alert(1)</script>')
    assert html_to_text(html) == "@anna hej & tack\nrad två\nrad tre"
    assert html_to_text("plain") == "plain" and html_to_text(None) == ""


def test_domain_of():
    assert domain_of("https://www.dn.se/ekonomi/x") == "dn.se"
    assert domain_of("not a url") is None and domain_of(None) is None
