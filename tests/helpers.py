"""Helpers for tests: where third-party data is, skipping when it is absent, small registries."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lyssna.plugins import Registry

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def shared_data_dir() -> Path:
    """../shared/data beside the checkout (LYSSNA_SHARED_DATA overrides)."""
    return Path(os.environ.get("LYSSNA_SHARED_DATA", REPO.parent / "shared" / "data"))


def need(path: Path) -> Path:
    """Skip the test when a data file or folder is absent."""
    if not path.exists():
        pytest.skip(f"{path} is absent")
    return path


def only(*modules: str) -> Registry:
    """A registry with just these format modules (e.g. only("lyssna.formats.twitter_v1"))."""
    return Registry(modules, entry_point_group=None)
