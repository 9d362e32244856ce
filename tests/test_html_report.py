"""The HTML report (lyssna.analytics.html_report and ``lyssna report --html``): one self-contained page
that parses, references nothing outside itself, escapes every string from the data (hostile topic names,
handles, hashtags, URLs, campaign names), draws its charts as SVG with a series per topic and a marker per
topic edit — checked as text, in a real headless browser (the DOM it builds and a screenshot), and
through the CLI on a real project."""

from __future__ import annotations

import shutil
import struct
import subprocess
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from click.testing import CliRunner

import lyssna
from lyssna.analytics import overview as ov
from lyssna.analytics.html_report import render_report
from lyssna.analytics.impact import analyse_impact
from lyssna.campaigns import CampaignReport, CampaignSeries
from lyssna.cli.report import report
from lyssna.models import Campaign
from lyssna.topic_spikes import TopicSpike

from .test_campaigns import END, START, TODAY, write_posts

ZONE = ZoneInfo("Europe/Stockholm")
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
JS_URL = "javascript:alert(1)"
#: Would set the page's title if the browser ever ran it.
PWN = "<img src=x onerror=\"document.title='pwned'\">"
HOSTILE = (SCRIPT, IMG, PWN)


# -- the rows ------------------------------------------------------------------------------------------


def _sections() -> dict[str, list]:
    first = datetime(2025, 6, 1, tzinfo=ZONE)
    starts = [first + timedelta(days=i) for i in range(10)]
    topics = ["volvo", SCRIPT]
    volume = []
    for i, s in enumerate(starts):
        for k, topic in enumerate(topics):
            posts = 1200 + 300 * i if k == 0 else 400 + 50 * (i % 3)
            neg, pos = posts // 5, posts // 3
            volume.append(ov.VolumeRow(s, topic, posts, posts // 2, neg, posts - neg - pos, pos,
                                       (pos - neg) / posts, posts * 3))
    edits = [ov.TopicEdit(SCRIPT, 2, first + timedelta(days=4, hours=12), f"saab OR {IMG}", PWN)]
    sov = [ov.ShareRow("volvo", None, 15000, 0.75), ov.ShareRow(SCRIPT, None, 5000, 0.25)]
    where = [ov.WhereRow("reddit", "r/" + IMG, 900, 0.6), ov.WhereRow("twitter", None, 600, 0.4)]
    authors = [ov.AuthorRow("twitter", "1", PWN, None, 40, 12000, 300),
               ov.AuthorRow("reddit", "2", "anna", "Anna", 12, None, 20)]
    hashtags = [ov.EntityRow("hashtags", SCRIPT, 80, 30, 0.4), ov.EntityRow("hashtags", "elbil", 20, 9, 0.1)]
    urls = [ov.EntityRow("urls", JS_URL, 5, 2, 0.05), ov.EntityRow("urls", "https://example.com/a", 3, 3, 0.03)]
    engagement = [ov.EngagementRow("volvo", 15000, 100, 20, 5, 1, 0, 126, 0.0084, 1_234_567)]
    rising = [ov.RisingTerm(IMG, "phrase", 40, 2, 0.1, 3.0, 10.25, 21.4),
              ov.RisingTerm("#elbil", "hashtag", 10, 3, 0.2, 4.0, 2.2, 2.5)]
    found = first + timedelta(days=12)
    spikes = [TopicSpike(SCRIPT, "volume", first + timedelta(days=7, hours=9), first + timedelta(days=7, hours=10),
                         first + timedelta(days=7, hours=12), 900.0, 40.2, 9.3, "up", found),
              TopicSpike("volvo", "negative", first + timedelta(days=8), first + timedelta(days=8), None, 60.0, 4.0,
                         6.1, "up", found),
              TopicSpike("volvo", "volume", first + timedelta(days=2), first + timedelta(days=2), None, 0.0, 30.0,
                         -5.5, "down", found)]
    return {"volume": volume, "edits": edits, "sov": sov, "where": where, "authors": authors,
            "reach": authors, "hashtags": hashtags, "urls": urls, "engagement": engagement, "rising": rising,
            "spikes": spikes}


def _campaign() -> CampaignReport:
    rng = np.random.default_rng(3)
    days = [date(2025, 3, 1) + timedelta(days=i) for i in range(100)]
    y = rng.poisson(30, 100).astype(float)
    y[60:70] *= 3
    start, end = days[60], days[69]
    impact = analyse_impact(days, y, start, end, after_weeks=2, kpi="volume", draws=200)
    c = Campaign(id=1, name=SCRIPT, kind="pilot", start=start, end=end, topics=(IMG,), hypothesis=PWN,
                 decision_date=days[-1], note=JS_URL)
    series = CampaignSeries("volume", tuple(days), y, {}, y)
    return CampaignReport(c, impact, series, days[-1] + timedelta(days=1), 2, warnings=(f"edited {IMG}",))


@pytest.fixture(scope="module")
def page() -> str:
    return render_report(_sections(), title=f"Report {SCRIPT}", period="2025-06-01 – 2025-06-10",
                         zone="Europe/Stockholm", campaigns=[_campaign()])


# -- the page as text ----------------------------------------------------------------------------------


class _Parsed(HTMLParser):
    """Every start tag with its attributes, and per SVG chart its series paths and edit markers."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.charts: list[dict] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        classes = (a.get("class") or "").split()
        if tag == "svg" and "chart" in classes:
            self.charts.append({"label": a.get("aria-label"), "series": 0, "markers": 0, "bands": 0})
        elif self.charts and tag == "path" and "series" in classes:
            self.charts[-1]["series"] += 1
        elif self.charts and tag == "g" and "edit-marker" in classes:
            self.charts[-1]["markers"] += 1
        elif self.charts and tag == "polygon" and "band" in classes:
            self.charts[-1]["bands"] += 1


def _parse(text: str) -> _Parsed:
    parsed = _Parsed()
    parsed.feed(text)
    parsed.close()
    return parsed


def test_the_page_parses_and_references_nothing_outside_itself(page):
    parsed = _parse(page)
    assert page.startswith("<!DOCTYPE html>") and parsed.tags[0][0] == "html"
    for tag, attrs in parsed.tags:
        assert tag not in ("script", "link", "iframe", "object", "embed", "base"), tag
        assert "href" not in attrs, (tag, attrs)  # URLs from posts are text, never links
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, attrs)
            assert not (value or "").lower().startswith(("http:", "https:", "//", "javascript:")), (tag, attrs)
        assert not (tag == "img"), attrs
    assert "@import" not in page and "url(" not in page
    assert "<link" not in page


def test_every_hostile_string_is_escaped(page):
    for text in (*HOSTILE, "<img"):
        assert text not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    assert "javascript:alert(1)" in page  # shown as text …
    assert 'href="javascript' not in page  # … never as a link
    titles = [a.get("aria-label") or "" for _, a in _parse(page).tags]
    assert any("Report" in t or "alert" in t for t in titles)


def test_charts_have_a_series_per_topic_and_the_edit_markers(page):
    charts = _parse(page).charts
    by_label = {c["label"]: c for c in charts}
    volume = by_label["Posts per bucket, with topic edits and spikes marked"]
    assert volume["series"] == 2 and volume["markers"] == 2  # the edit and the one volume spike upward
    sentiment = by_label["Net sentiment per bucket"]
    assert sentiment["series"] == 2 and sentiment["markers"] == 2
    assert "Share of voice between the topics" in by_label and "Where the posts were said" in by_label
    impact = [c for c in charts if "counterfactual" in (c["label"] or "")]
    assert len(impact) == 1 and impact[0]["series"] == 2 and impact[0]["bands"] == 1
    assert "&lt;script&gt;alert(1)&lt;/script&gt;: observed volume" in impact[0]["label"].replace(
        "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;")
    assert page.count("<details>") >= 4  # the numbers of the charts, as tables


def test_the_spikes_section_lists_spikes_drops_and_surges(page):
    section = page[page.index('id="spikes"'):]
    section = section[:section.index("</section>")]
    for what in ("spike", "drop", "negative surge", "going on"):
        assert what in section
    assert "2025-06-08 10:00" in section and "2025-06-08 12:00" in section  # peak and end, in the zone


def test_no_edit_no_marker_and_thousands_separators():
    sections = _sections()
    sections["edits"] = []
    sections["spikes"] = []
    text = render_report(sections, title="t", period="p", zone="Europe/Stockholm")
    assert 'class="edit-marker"' not in text and "Posts per bucket" in text
    assert "15,000" in text and "1,234,567" in text  # summary and engagement
    assert 'data-summary="share-of-voice"' in text and "75%" in text
    assert "2025-06-01" in text  # dates in the zone
    empty = render_report({"volume": [], "rising": []}, title="t", period="p", zone="UTC")
    assert "Nothing in this selection" in empty and "<svg" not in empty


def test_the_campaign_section_leads_with_its_verdict(page):
    campaign = _campaign()
    section = page[page.index('<section id="campaign-0"'):]
    assert section.index('class="verdict') < section.index("<svg")
    assert html_escape(campaign.impact.explanation) in section
    assert "shade-campaign" in section and "95% interval" in section


def html_escape(text: str) -> str:
    import html
    return html.escape(text, quote=True)


# -- a real browser ------------------------------------------------------------------------------------


def _browser() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


needs_browser = pytest.mark.skipif(_browser() is None, reason="no headless browser (chromium, chromium-browser or "
                                   "google-chrome) is installed; install Debian's chromium to run these")


def _chrome(tmp: Path, *args: str) -> subprocess.CompletedProcess:
    command = [_browser() or "chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
               "--disable-dev-shm-usage", f"--user-data-dir={tmp / 'profile'}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def written(page, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(page, encoding="utf-8")
    return path


@needs_browser
def test_the_browser_builds_the_charts_and_runs_nothing_from_the_data(written):
    result = _chrome(written.parent, "--dump-dom", written.as_uri())
    dom = result.stdout
    assert "<svg" in dom, result.stderr[-2000:]
    assert "pwned" not in _between(dom, "<title>", "</title>")
    assert "Report &lt;script&gt;alert(1)&lt;/script&gt;" in _between(dom, "<title>", "</title>")
    total = sum(r.posts for r in _sections()["volume"])
    assert 'data-summary="posts"' in dom and f"{total:,}" in dom
    assert 'data-summary="rising"' in dom
    assert dom.count('class="series"') == 2 + 2 + 2 and dom.count('class="edit-marker"') == 2 + 2  # edit, spike
    assert "<script" not in dom.replace("&lt;script", "")
    assert "<img" not in dom


def _between(text: str, a: str, b: str) -> str:
    start = text.index(a) + len(a)
    return text[start:text.index(b, start)]


@needs_browser
def test_a_screenshot_is_drawn(written):
    shot = written.parent / "report.png"
    result = _chrome(written.parent, f"--screenshot={shot}", "--window-size=1200,2000", "--hide-scrollbars",
                     written.as_uri())
    assert shot.exists(), result.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1200, 2000)
    assert len(data) > 30_000  # text and charts, not a blank page


# -- the CLI on a real project -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("html-cli")
    write_posts(root / "posts.csv", words=("spikeword", "flatword"))
    with lyssna.init(root / "p") as project:
        project.import_paths([root / "posts.csv"])
        project.add_topic("spike", "spikeword")
        project.add_topic("flat", "flatword")
        project.edit_topic("spike", "spikeword OR spike", note="the short form too")
        project.add_campaign("spring push", start=START, end=END, topics=["spike"])
        # an edit made back then (edits take effect when made; the data is from 2025)
        project.store.con.execute("UPDATE topic_versions SET valid_from = ? WHERE version = 2",
                                  [datetime(2025, 3, 3, 12, tzinfo=ZONE)])
    return root / "p"


def _run(folder: Path, *args: str):
    return CliRunner().invoke(report, list(args), obj={"project": str(folder)})


def test_report_html_writes_the_page(folder, tmp_path):
    target = tmp_path / "out.html"
    result = _run(folder, "-t", "spike", "-t", "flat", "--bucket", "week", "--html", str(target),
                  "--campaign", "spring push")
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    parsed = _parse(text)
    labels = [c["label"] for c in parsed.charts]
    assert "Posts per bucket, with topic edits marked" in labels
    assert [c for c in parsed.charts if c["markers"] == 1]
    impact = [c for c in parsed.charts if "spring push: observed volume" in (c["label"] or "")]
    assert len(impact) == 1 and impact[0]["markers"] == 1 and impact[0]["bands"] == 1  # the edit, marked
    assert "Pilot" not in text and "Campaign: spring push" in text
    assert not list(tmp_path.glob(".out.html.*"))  # the temporary file was renamed
    assert TODAY > END  # the data ends well before today: the campaign's after-period is in it


def test_report_html_to_stdout_and_the_errors(folder):
    result = _run(folder, "-t", "spike", "-s", "sov", "-s", "where", "--html", "-")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("<!DOCTYPE html>") and "Share of voice" in result.stdout
    assert "Volume and sentiment" not in result.stdout and "Topic edits" not in result.stdout
    assert _run(folder, "--html", "-", "--json").exit_code == 2
    unknown = _run(folder, "--html", "-", "--campaign", "nope")
    assert unknown.exit_code == 2 and "no campaign named 'nope'" in unknown.output
    help_text = CliRunner().invoke(report, ["--help"]).output
    assert "--html" in help_text and "--campaign" in help_text


def test_a_campaign_window_without_data_reads_no_data():
    days = [date(2025, 3, 1) + timedelta(days=i) for i in range(100)]
    rng = np.random.default_rng(2)
    y = rng.normal(0.1, 0.05, 100)
    y[60:70] += 0.3
    y[70:] = np.nan  # no posts, so no net sentiment, after the campaign
    impact = analyse_impact(days, y, days[60], days[69], after_weeks=2, kpi="net_sentiment", draws=200)
    assert impact.lasting is not None and impact.lasting.absolute is None
    c = Campaign(id=1, name="pilot", kind="pilot", start=days[60], end=days[69], topics=("t",), kpi="net_sentiment",
                 hypothesis="h", decision_date=days[-1])
    series = CampaignSeries("net_sentiment", tuple(days), y, {}, y)
    page = render_report({}, title="r", period="p", zone="UTC",
                         campaigns=[CampaignReport(c, impact, series, days[-1] + timedelta(days=1), 4)])
    assert "no data" in page
