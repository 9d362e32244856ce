"""A topic a campaign measures (as a topic or a control) cannot be removed while the campaign exists."""

from __future__ import annotations

from datetime import date

import pytest

import lyssna
from lyssna.errors import StoreError

from .test_lang_detected import SWEDISH, _write


def test_a_topic_a_campaign_measures_cannot_be_removed(tmp_path):
    _write(tmp_path / "posts.csv", [("1", "a", "2025-06-01T10:00:00+02:00", SWEDISH, "")])
    with lyssna.init(tmp_path / "p") as project:
        project.import_paths([tmp_path / "posts.csv"])
        project.add_topic("el", "kvarteret")
        project.add_topic("annat", "timmar")
        project.add_campaign("sommar", start=date(2025, 6, 1), end=date(2025, 6, 30), topics=["el"],
                             controls=["annat"])
        for name in ("el", "annat"):
            with pytest.raises(StoreError, match="measured by campaign sommar"):
                project.remove_topic(name)
        project.remove_campaign("sommar")
        project.remove_topic("el")
