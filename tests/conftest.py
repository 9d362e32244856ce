"""Shared fixtures. Third-party data lives in ../shared/data (LYSSNA_SHARED_DATA overrides); tests that
use it skip cleanly when it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lyssna.plugins import Registry
from lyssna.store.duckdb import DuckStore

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def shared_data_dir() -> Path:
    return Path(os.environ.get("LYSSNA_SHARED_DATA", REPO.parent / "shared" / "data"))


@pytest.fixture
def shared_data() -> Path:
    """The folder of third-party data; the test is skipped when it is absent."""
    path = shared_data_dir()
    if not path.is_dir():
        pytest.skip(f"third-party data not found at {path}")
    return path


def need(path: Path) -> Path:
    """Skip the test when one data file or folder is absent."""
    if not path.exists():
        pytest.skip(f"{path} is absent")
    return path


@pytest.fixture
def store():
    """A migrated in-memory store."""
    s = DuckStore(":memory:")
    s.migrate()
    yield s
    s.close()


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


def only(*modules: str) -> Registry:
    """A registry with just these format modules (e.g. only("lyssna.formats.twitter_v1"))."""
    return Registry(modules, entry_point_group=None)
