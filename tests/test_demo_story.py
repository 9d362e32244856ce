"""The demo tells its story through the ordinary analytics: the summer campaign was a spike that died,
the dialogue that followed left a lasting change (the difference the product exists to show)."""

from __future__ import annotations

import pytest

import lyssna
from lyssna.errors import CampaignError


def test_the_demo_campaign_is_a_spike_and_the_dialogue_lasts(tmp_path):
    run = lyssna.run_demo(tmp_path / "demo")
    verdicts = {c.campaign.name: c.impact.verdict for c in run.campaigns}
    assert verdicts["Summer campaign"] == "spike only"
    assert verdicts["Dialogue"] == "lasting change"
    assert set(verdicts) == {"Summer campaign", "Dialogue", "Pilot Sundsvall"}
    again = lyssna.run_demo(tmp_path / "demo")  # running it again changes nothing
    assert {c.campaign.name: c.impact.verdict for c in again.campaigns} == verdicts
    # the dialogue, seen in the company's own answers: rare and slow before, most and fast since
    before, since = run.responses["before the dialogue"], run.responses["since the dialogue"]
    assert before.response_rate < 0.15 and before.median_minutes > 10 * 60
    assert since.response_rate > 0.4 and since.median_minutes < 60
    assert again.responses == run.responses
    with lyssna.open_project(tmp_path / "demo") as project:
        dialogue = project.campaign("Dialogue")
        project.add_campaign("Dialogue answers", start=dialogue.start, end=dialogue.end, topics=list(dialogue.topics),
                             kpi="response_rate")
        report = project.campaign_impact("Dialogue answers", today=run.manifest.end)
        assert report.impact.verdict == "lasting change" and report.impact.campaign.absolute.value > 0.3
        # answering time has no daily value on most days of the megaphone years: refused, with the advice
        project.add_campaign("Dialogue answer time", start=dialogue.start, end=dialogue.end,
                             topics=list(dialogue.topics), kpi="response_time")
        with pytest.raises(CampaignError, match="too little history.*Measure response_rate instead"):
            project.campaign_impact("Dialogue answer time", today=run.manifest.end)
