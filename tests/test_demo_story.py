"""The demo tells its story through the ordinary analytics: the summer campaign was a spike that died,
the dialogue that followed left a lasting change (the difference the product exists to show)."""

from __future__ import annotations

import lyssna


def test_the_demo_campaign_is_a_spike_and_the_dialogue_lasts(tmp_path):
    run = lyssna.run_demo(tmp_path / "demo")
    verdicts = {c.campaign.name: c.impact.verdict for c in run.campaigns}
    assert verdicts["Summer campaign"] == "spike only"
    assert verdicts["Dialogue"] == "lasting change"
    assert set(verdicts) == {"Summer campaign", "Dialogue", "Pilot Sundsvall"}
    again = lyssna.run_demo(tmp_path / "demo")  # running it again changes nothing
    assert {c.campaign.name: c.impact.verdict for c in again.campaigns} == verdicts
