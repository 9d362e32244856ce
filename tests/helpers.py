"""Helpers for tests: where third-party data is, skipping when it is absent, small registries."""

from __future__ import annotations

import copy
import os
from pathlib import Path

import pytest
from hypothesis import strategies as st

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


def balanced(report) -> None:
    """Every record read is accounted for, in total and per file."""
    assert report.read == report.imported + report.duplicate + report.quarantined
    for f in report.files:
        assert f.read == f.imported + f.duplicate + f.quarantined


#: Any JSON value, for damaging documents in property tests.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8)


TEXT_FIELDS = ("native_id", "text", "title", "url", "lang", "site", "reply_to", "conversation_id", "quote_of",
                "repost_of")
INT_FIELDS = ("likes", "reposts", "replies", "quotes", "views")


def json_paths(node, prefix=()):
    """Every path into a JSON document (the empty path first)."""
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from json_paths(value, prefix + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from json_paths(value, prefix + (i,))


def replaced(doc, path, value):
    """A copy of ``doc`` with the value at ``path`` replaced."""
    doc = copy.deepcopy(doc)
    if not path:
        return value
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return doc
