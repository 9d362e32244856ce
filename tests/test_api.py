"""The public API is exactly __all__, each name documented, and it works as the README shows."""

from __future__ import annotations

import inspect

import lyssna

from .helpers import FIXTURES


def test_public_names_are_documented():
    for name in lyssna.__all__:
        obj = getattr(lyssna, name)
        assert inspect.getdoc(obj), f"lyssna.{name} has no docstring"


def test_readme_python_example(tmp_path):
    with lyssna.init(tmp_path / "my-listening") as project:
        report = project.import_paths([FIXTURES / "twitter_v1"])
        assert (report.read, report.imported, report.duplicate, report.quarantined) == (7, 4, 1, 2)
        assert project.stats().by_platform == [("twitter", 4)]
        tree = project.thread("twitter:9002")
        assert tree.native_id == "9001"
    with lyssna.open_project(tmp_path / "my-listening") as again:
        assert again.stats().posts == 4
        assert again.import_paths([FIXTURES / "twitter_v1"]).read == 0


def test_settings_from_toml_and_environment(tmp_path):
    folder = tmp_path / "p"
    lyssna.init(folder).close()
    (folder / "lyssna.toml").write_text('store = "data/store.duckdb"\nbatch_size = 10\n')
    (folder / "data").mkdir()
    with lyssna.open_project(folder, environ={"LYSSNA_TIMEZONE": "UTC"}) as project:
        assert project.settings.batch_size == 10 and project.settings.timezone == "UTC"
        assert project.store.path.endswith("data/store.duckdb")


def test_store_memory_limit_setting(tmp_path):
    import pytest

    from lyssna.errors import ConfigError

    folder = tmp_path / "p"
    lyssna.init(folder).close()
    with lyssna.open_project(folder, environ={"LYSSNA_MEMORY_LIMIT": "300MB"}) as project:
        limit = project.store.con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
        assert limit.replace(" ", "").upper() in ("300.0MB", "286.1MIB", "300MB")
    with pytest.raises(ConfigError, match="memory_limit"):
        lyssna.open_project(folder, environ={"LYSSNA_MEMORY_LIMIT": "1GB'; DROP TABLE posts; --"})
