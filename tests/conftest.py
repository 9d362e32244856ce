"""Shared fixtures. Third-party data lives in ../shared/data; tests that use it skip cleanly when absent."""

from __future__ import annotations

from pathlib import Path

import pytest

from lyssna.store.duckdb import DuckStore

from .helpers import FIXTURES, shared_data_dir


@pytest.fixture
def shared_data() -> Path:
    """The folder of third-party data; the test is skipped when it is absent."""
    path = shared_data_dir()
    if not path.is_dir():
        pytest.skip(f"third-party data not found at {path}")
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
