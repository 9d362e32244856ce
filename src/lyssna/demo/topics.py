"""The demo's listening topics: what the company in the scenario listens for — itself, its competitors,
its campaign, its pilot and the storm — written as a customer would write them in the query language."""

from __future__ import annotations

__all__ = ["DEMO_TOPICS", "demo_campaigns"]

#: (name, query). "Norrsken" alone is also the Swedish word for the northern lights, so the company's
#: topic asks for the name, its handles and hashtags, or the word near something about electricity.
DEMO_TOPICS: tuple[tuple[str, str], ...] = (
    ("Norrsken Energi",
     '"norrsken energi" OR norrskenenergi OR @norrskenenergi OR @norrskenhjalp OR #norrskensommar '
     "OR (norrsken NEAR/6 (el OR elavtal* OR elpris* OR faktura* OR kundtjänst OR kundservice OR avtal*)) "
     "<<<the company: its name, handles and hashtags>>>"),
    ("Fjällkraft", "fjällkraft OR #fjällkraft OR @fjallkraft"),
    ("Vindö El", '"vindö el" OR vindöel OR #vindöel'),
    ("Campaign #NorrskenSommar", "#norrskensommar OR norrskensommar"),
    ("Pilot Sundsvall", "#laddasmartsundsvall OR (sundsvall NEAR/8 (laddning* OR laddbox* OR laddar* OR pilot*))"),
    ("Storm Vidar", "#stormenvidar OR (storm* NEAR/4 vidar) OR (strömavbrott AND norrsken)"),
)


def demo_campaigns(manifest) -> list[dict]:
    """The scenario's interventions as the company would register them (keyword arguments of
    :meth:`lyssna.project.Project.add_campaign`): the summer campaign against the competitors, the dialogue
    it opened afterwards (measured on net sentiment over its first eight weeks) and the Sundsvall pilot."""
    from datetime import timedelta

    dialogue = manifest.dialogue_start
    return [
        dict(name="Summer campaign", start=manifest.campaign.start, end=manifest.campaign.end,
             topics=["Norrsken Energi"], controls=["Fjällkraft", "Vindö El"]),
        dict(name="Dialogue", start=dialogue, end=dialogue + timedelta(weeks=8), topics=["Norrsken Energi"],
             controls=["Fjällkraft"], kpi="net_sentiment", note="answering people instead of broadcasting"),
        dict(name="Pilot Sundsvall", start=manifest.pilot.start, end=manifest.pilot.end,
             topics=["Pilot Sundsvall"], pilot=True,
             hypothesis="smart charging at home gets Sundsvall talking about charging, and it lasts",
             decision_date=manifest.pilot.end + timedelta(weeks=4)),
    ]
