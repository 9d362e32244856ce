"""Campaigns and pilots (lyssna.campaigns, Project.add_campaign / campaign_impact): a real project with
posts that carry planted effects — a spike that decays, a step that lasts, nothing, a market surge that a
control explains, a shift in sentiment — and the verdicts, series, validation and warnings on them."""

from __future__ import annotations

import csv
import math
import shutil
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest

import lyssna
from lyssna.analytics.impact import ImpactError
from lyssna.campaigns import build_series
from lyssna.errors import CampaignError, LyssnaError, NotFound

FIRST = date(2025, 1, 6)  # a Monday
DAYS = 150
START = FIRST + timedelta(days=100)  # 2025-04-16
END = START + timedelta(days=13)  # two weeks
TODAY = FIRST + timedelta(days=DAYS + 30)  # well after the data: every complete day is read
BASE = 15.0

_t = np.arange(DAYS)
_CAMPAIGN = (_t >= 100) & (_t <= 113)


def _spike() -> np.ndarray:
    """×4 during the campaign, then back with a half-life of 3 days."""
    after = np.where(_t > 113, 3.0 * 2.0 ** (-(_t - 113) / 3.0), 0.0)
    return 1.0 + np.where(_CAMPAIGN, 3.0, after)


def _step() -> np.ndarray:
    return np.where(_t >= 100, 2.5, 1.0)


def _market(seed: int) -> np.ndarray:
    """A latent market level (AR(1) on the log scale, sd ≈ 0.5) with a surge ×2.5 from day 100 on."""
    rng = np.random.default_rng(seed)
    level = np.zeros(DAYS)
    for i in range(1, DAYS):
        level[i] = 0.9 * level[i - 1] + rng.normal(0, 0.22)
    return np.exp(level) * _step()


#: word → (daily level relative to BASE, share positive, share negative), per day
def scenario(seed: int = 5, words: tuple[str, ...] | None = None) -> dict[str, tuple[np.ndarray, ...]]:
    market = _market(seed)
    flat = np.ones(DAYS)
    positive = np.where(_t >= 100, 0.6, 0.2)
    negative = np.where(_t >= 100, 0.1, 0.3)
    table = {
        "spikeword": (_spike(), flat * 0.0, flat * 0.0),
        "stepword": (_step(), flat * 0.0, flat * 0.0),
        "flatword": (flat, flat * 0.0, flat * 0.0),
        "brandword": (market, flat * 0.0, flat * 0.0),
        "marketword": (market * 5.0, flat * 0.0, flat * 0.0),
        "echoword": (flat, positive, negative),
    }
    return {w: table[w] for w in (words or table)}


def write_posts(path: Path, seed: int = 5, words: tuple[str, ...] | None = None) -> int:
    """A CSV export (id, author, created_at, text) of Poisson daily posts with a weekly rhythm."""
    rng = np.random.default_rng(seed)
    rows: list[tuple] = []
    n = 0
    for word, (level, pos, neg) in scenario(seed, words).items():
        for i in range(DAYS):
            day = FIRST + timedelta(days=i)
            rate = BASE * level[i] * (0.6 if day.weekday() >= 5 else 1.0)
            for _ in range(rng.poisson(rate)):
                n += 1
                at = datetime(day.year, day.month, day.day, 8, tzinfo=timezone.utc) + timedelta(
                    minutes=int(rng.integers(0, 12 * 60)))
                u = rng.random()
                text = (f"{word} is great, I love it! post {n}" if u < pos[i]
                        else f"{word} is terrible, I hate it. post {n}" if u < pos[i] + neg[i]
                        else f"a post about {word} number {n}")
                rows.append((n, f"user{n % 97}", at.isoformat(), text))
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(("id", "author", "created_at", "text"))
        writer.writerows(rows)
    return n


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A project with every scenario imported and one topic per word (built once per module)."""
    root = tmp_path_factory.mktemp("campaigns")
    write_posts(root / "posts.csv")
    with lyssna.init(root / "project") as project:
        project.import_paths([root / "posts.csv"])
        for word in scenario():
            project.add_topic(word.removesuffix("word"), word)
    return root / "project"


@pytest.fixture
def project(template, tmp_path):
    folder = tmp_path / "project"
    shutil.copytree(template, folder)
    with lyssna.open_project(folder) as p:
        yield p


def _add(project, name: str, topics, controls=(), **kw):
    return project.add_campaign(name, start=START, end=END, topics=list(topics), controls=list(controls), **kw)


# -- verdicts on planted effects -----------------------------------------------------------------------


def test_a_spike_that_decays_is_a_spike_only(project):
    _add(project, "spring push", ["spike"])
    report = project.campaign_impact("spring push", today=TODAY)
    impact = report.impact
    assert report.verdict == "spike only", impact.explanation
    assert impact.campaign.relative_pct is not None and impact.campaign.relative_pct.lower > 150
    assert impact.half_life_days is not None and impact.half_life_days.value < 10
    assert START <= impact.peak_day <= END + timedelta(days=2)
    assert report.series.days[0] == FIRST and report.series.days[-1] == END + timedelta(days=28)


def test_a_step_that_stays_is_a_lasting_change(project):
    _add(project, "new brand", ["step"])
    report = project.campaign_impact("new brand", today=TODAY)
    assert report.verdict == "lasting change", report.impact.explanation
    lasting = report.impact.lasting
    assert lasting is not None and lasting.relative_pct is not None
    assert lasting.relative_pct.lower <= 150 <= lasting.relative_pct.upper
    assert report.warnings == ()


def test_nothing_planted_is_no_detectable_effect(project):
    _add(project, "quiet", ["flat"])
    assert project.campaign_impact("quiet", today=TODAY).verdict == "no detectable effect"


def test_a_market_surge_is_explained_by_a_control(project):
    _add(project, "alone", ["brand"])
    _add(project, "against the market", ["brand"], controls=["market"])
    alone = project.campaign_impact("alone", today=TODAY)
    assert alone.verdict != "no detectable effect", "without the control the surge looks like an effect"
    controlled = project.campaign_impact("against the market", today=TODAY)
    assert controlled.verdict == "no detectable effect", controlled.impact.explanation
    assert list(controlled.series.controls) == ["market"]
    assert "1 control" in controlled.impact.method


def test_net_sentiment_and_negative_share(project):
    _add(project, "kinder", ["echo"], kpi="net_sentiment")
    _add(project, "fewer complaints", ["echo"], kpi="negative_share")
    net = project.campaign_impact("kinder", today=TODAY)
    assert net.verdict == "lasting change", net.impact.explanation
    assert net.impact.transform == "none"
    assert net.impact.lasting is not None and net.impact.lasting.absolute.lower > 0.3  # −0.1 → +0.5
    pre = net.series.treated[: (START - FIRST).days]
    assert -0.25 < np.nanmean(pre) < 0.05
    negative = project.campaign_impact("fewer complaints", today=TODAY)
    assert negative.verdict == "lasting change"
    assert negative.impact.lasting is not None and negative.impact.lasting.absolute.upper < 0


def test_share_of_voice_uses_the_controls_as_the_denominator(project):
    _add(project, "louder", ["step"], controls=["flat"], kpi="share_of_voice")
    report = project.campaign_impact("louder", today=TODAY)
    assert report.series.controls == {}
    before = np.nanmean(report.series.treated[:100])
    after = np.nanmean(report.series.treated[100:])
    assert 0.4 < before < 0.6 and 0.65 < after < 0.8  # 1 : 1, then 2.5 : 1
    assert report.verdict == "lasting change"


def test_topics_together_count_each_post_once(project):
    project.add_topic("spike or step", "spikeword OR stepword")
    _add(project, "both", ["spike", "step", "spike or step"])
    series = build_series(project.store, project.campaign("both"), project.settings.zone, today=TODAY)
    alone = {name: build_series(project.store, _add(project, f"only {name}", [name]), project.settings.zone,
                                today=TODAY).posts for name in ("spike", "step")}
    assert np.array_equal(series.posts, alone["spike"] + alone["step"])


# -- the series' days --------------------------------------------------------------------------------


def test_days_are_local_days_and_the_span_stops_at_complete_data(tmp_path):
    rows = ["id,author,created_at,text"]
    start = date(2025, 3, 1)
    n = 0
    for i in range(60):
        for hour in (9, 12):
            n += 1
            day = start + timedelta(days=i)
            rows.append(f"{n},a,{day.isoformat()}T{hour:02d}:00:00Z,about kiwi {n}")
    rows.append(f"{n + 1},a,2025-04-09T23:30:00Z,late kiwi")  # 01:30 on 10 April in Stockholm
    (tmp_path / "kiwi.csv").write_text("\n".join(rows) + "\n")
    with lyssna.init(tmp_path / "p") as project:
        assert project.settings.timezone == "Europe/Stockholm"
        project.import_paths([tmp_path / "kiwi.csv"])
        project.add_topic("kiwi", "kiwi")
        campaign = project.add_campaign("c", start=date(2025, 4, 8), end=date(2025, 4, 12), topics=["kiwi"])
        zone = project.settings.zone
        series = build_series(project.store, campaign, zone, today=date(2025, 4, 20), after_weeks=4)
        count = dict(zip(series.days, series.posts))
        assert count[date(2025, 4, 9)] == 2 and count[date(2025, 4, 10)] == 3
        assert series.days[0] == start and series.days[-1] == date(2025, 4, 19), "today is not over yet"
        later = build_series(project.store, campaign, zone, today=date(2025, 12, 1), after_weeks=8)
        # the last post is at 14:00 local on 29 April: that day may be partial, so the data ends on the 28th
        assert later.days[-1] == date(2025, 4, 28), "the data ends with the last complete day, not with today"
        short = project.campaign_impact("c", today=date(2025, 4, 16))
        assert short.series.days[-1] == date(2025, 4, 15)
        assert any("only 3 of the 28 days" in w for w in short.warnings)
        running = project.campaign_impact("c", today=date(2025, 4, 11))
        assert running.impact.campaign.end == date(2025, 4, 10)
        assert any("analysed up to 2025-04-10" in w for w in running.warnings)
        with pytest.raises(CampaignError, match="no data from the campaign's start"):
            project.campaign_impact("c", today=date(2025, 4, 8))


def test_too_little_history_is_a_clear_error(project):
    project.add_campaign("early", start=FIRST + timedelta(days=10), end=FIRST + timedelta(days=20),
                         topics=["flat"])
    with pytest.raises(ImpactError, match="at least 28"):
        project.campaign_impact("early", today=TODAY)


# -- a pilot, edits, listing and removing ---------------------------------------------------------------


def test_a_pilot_keeps_its_hypothesis_kpi_and_decision(project):
    saved = _add(project, "dialogue pilot", ["echo"], controls=["flat"], kpi="net_sentiment", pilot=True,
                 hypothesis="answering complaints lifts net sentiment by 0.2", decision_date=date(2025, 6, 1),
                 note="two people, four weeks")
    assert saved.is_pilot and saved.id > 0 and saved.created_at is not None
    again = project.campaign("dialogue pilot")
    assert again == saved
    assert (again.kind, again.kpi, again.topics, again.controls) == ("pilot", "net_sentiment", ("echo",), ("flat",))
    assert again.hypothesis == "answering complaints lifts net sentiment by 0.2"
    assert again.decision_date == date(2025, 6, 1) and again.note == "two people, four weeks"
    before = project.campaign_impact("dialogue pilot", today=date(2025, 5, 31))
    assert before.decision_passed is False and before.decision_text() == "decide on 2025-06-01 (in 1 day)"
    after = project.campaign_impact("dialogue pilot", today=TODAY)
    assert after.decision_passed is True and "passed" in after.decision_text()
    data = after.to_dict()
    assert data["campaign"]["hypothesis"] == saved.hypothesis and data["decision"]["passed"] is True
    assert data["verdict"] == after.verdict and data["impact"]["kpi"] == "net_sentiment"
    assert data["series"]["controls"]["flat"][0] is not None


def _backdate(project, topic: str, version: int, when: datetime) -> None:
    """Pretend that a version of a topic's query took effect at ``when`` (an edit made back then)."""
    project.store.con.execute("UPDATE topic_versions SET valid_from = ? WHERE version = ? AND topic_id = "
                              "(SELECT id FROM topics WHERE name = ?)", [when, version, topic])


def test_an_edit_of_a_topic_inside_the_period_is_a_warning(project):
    _add(project, "edited", ["step"], controls=["flat"])
    project.edit_topic("step", "stepword OR stepp", note="added the campaign's misspelling")
    project.edit_topic("flat", "flatword OR flatt")
    # both edits were made today, after the analysed period: no warning
    assert project.campaign_impact("edited", today=TODAY).warnings == ()
    _backdate(project, "step", 2, datetime(2025, 4, 20, 9, tzinfo=timezone.utc))
    report = project.campaign_impact("edited", today=TODAY)
    assert len(report.warnings) == 1
    warning = report.warnings[0]
    assert "topic 'step' was edited on 2025-04-20" in warning and "version 2" in warning
    assert "misspelling" in warning
    _backdate(project, "flat", 2, datetime(2025, 1, 2, 9, tzinfo=timezone.utc))  # before the data: no warning
    assert len(project.campaign_impact("edited", today=TODAY).warnings) == 1
    _backdate(project, "flat", 2, datetime(2025, 2, 2, 9, tzinfo=timezone.utc))
    warnings = project.campaign_impact("edited", today=TODAY).warnings
    assert len(warnings) == 2 and warnings[0].startswith("the control 'flat' was edited on 2025-02-02")


def test_list_show_and_remove(project):
    _add(project, "b", ["flat"])
    project.add_campaign("a", start=START - timedelta(days=5), end=END, topics=["step"])
    assert [c.name for c in project.campaigns()] == ["a", "b"]
    removed = project.remove_campaign("a")
    assert removed.name == "a" and [c.name for c in project.campaigns()] == ["b"]
    with pytest.raises(NotFound, match="campaigns: b"):
        project.campaign("a")
    assert project.topics() and project.listening.topic("step").matches > 0, "topics stay"


# -- validation -------------------------------------------------------------------------------------


@pytest.mark.parametrize("kw, message", [
    ({"end": START - timedelta(days=1)}, "ends .* before it starts"),
    ({"topics": ["nope"]}, r"no topic named 'nope' \(topics: brand, echo, flat, market, spike, step\)"),
    ({"topics": []}, "at least one topic"),
    ({"controls": ["nope"]}, "no topic named 'nope'"),
    ({"controls": ["flat"]}, "both a topic and a control"),
    ({"kpi": "likes"}, "unknown KPI 'likes'"),
    ({"kpi": "share_of_voice", "controls": []}, "name at least one control"),
    ({"pilot": True}, "a pilot needs a hypothesis"),
    ({"hypothesis": "x"}, "add --pilot"),
    ({"pilot": True, "hypothesis": "x", "decision_date": START - timedelta(days=1)}, "before the pilot starts"),
    ({"name": "  "}, "needs a name"),
])
def test_invalid_campaigns_are_refused_with_a_clear_message(project, kw, message):
    args = {"name": "bad", "start": START, "end": END, "topics": ["flat"], **kw}
    name = args.pop("name")
    with pytest.raises(CampaignError, match=message) as caught:
        project.add_campaign(name, **args)
    assert isinstance(caught.value, LyssnaError) and caught.value.exit_code == 2
    assert project.campaigns() == []


def test_a_name_is_unique(project):
    _add(project, "once", ["flat"])
    with pytest.raises(CampaignError, match="exists already"):
        _add(project, "once", ["step"])


def test_a_removed_topic_is_reported_clearly(project):
    _add(project, "orphan", ["step"], controls=["flat"])
    with pytest.raises(LyssnaError, match="measured by campaign orphan"):
        project.remove_topic("flat")


def test_the_report_is_json_ready(project):
    import json

    _add(project, "j", ["spike"])
    data = project.campaign_impact("j", today=TODAY).to_dict()
    text = json.dumps(data, allow_nan=False)
    assert json.loads(text)["impact"]["verdict"] == "spike only"
    assert len(data["series"]["days"]) == len(data["series"]["treated"]) == (END - FIRST).days + 29
    assert all(isinstance(v, float) and math.isfinite(v) for v in data["series"]["treated"])


# -- topics that appear with the campaign, controls without posts, unfinished campaigns ---------------


def _import_new_tag(project, tmp_path: Path) -> None:
    """Posts with #nytag only during the campaign and a few days after, and #tyst only after it."""
    rows = ["id,author,created_at,text"]
    n = 0
    for i in range((END - START).days + 4):
        day = START + timedelta(days=i)
        for k in range(20 if day <= END else 2):
            n += 1
            rows.append(f"nt{n},a,{day.isoformat()}T10:{k:02d}:00Z,hello #nytag {n}")
    rows.append(f"nt{n + 1},a,{(END + timedelta(days=2)).isoformat()}T10:00:00Z,#tyst")
    (tmp_path / "nytag.csv").write_text("\n".join(rows) + "\n")
    project.import_paths([tmp_path / "nytag.csv"])
    project.add_topic("nytag", "nytag")
    project.add_topic("tyst", "tyst")


def test_a_topic_that_appears_with_the_campaign_is_reported(project, tmp_path):
    _import_new_tag(project, tmp_path)
    _add(project, "new tag", ["nytag"])
    report = project.campaign_impact("new tag", today=TODAY)
    assert report.series.days[0] == FIRST, "the series starts with the store's data, not the topic's"
    assert report.verdict == "spike only", report.impact.explanation
    assert any("no posts before" in w for w in report.warnings)
    _add(project, "new tag sentiment", ["nytag"], kpi="net_sentiment")
    with pytest.raises(CampaignError, match="have no posts before"):
        project.campaign_impact("new tag sentiment", today=TODAY)


def test_a_control_without_posts_before_the_campaign_is_a_warning(project, tmp_path):
    _import_new_tag(project, tmp_path)
    _add(project, "against silence", ["flat"], controls=["tyst"])
    report = project.campaign_impact("against silence", today=TODAY)
    assert any("control 'tyst' has no posts before" in w for w in report.warnings)
    _add(project, "share", ["flat"], controls=["tyst"], kpi="share_of_voice")
    with pytest.raises(ImpactError, match="nothing to build a counterfactual on.*'tyst' has no posts"):
        project.campaign_impact("share", today=TODAY)


def test_a_running_campaign_is_too_early_to_tell(project):
    _add(project, "running", ["flat"])
    report = project.campaign_impact("running", today=START + timedelta(days=5))
    assert report.verdict == "too early to tell"
    assert f"runs until {END}" in report.impact.explanation
