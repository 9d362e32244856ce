"""The import pipeline's promises: accounting, quarantine, idempotence, resumption, detection."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lyssna.errors import UnknownFormat, UnreadableFile
from lyssna.pipeline import import_paths
from lyssna.store.duckdb import DuckStore

from .helpers import FIXTURES, only

REG = only("lyssna.formats.twitter_v1")
STATUSES = FIXTURES / "twitter_v1" / "statuses.jsonl"


def _status(i: int, reply: int | None = None) -> str:
    return json.dumps({
        "id_str": str(i), "created_at": "Tue Mar 24 10:50:07 +0000 2015", "text": f"post {i} om elpriset",
        "user": {"id_str": str(i % 50), "screen_name": f"user{i % 50}", "followers_count": i % 1000},
        "in_reply_to_status_id_str": str(reply) if reply else None,
    })


def _write_statuses(path: Path, start: int, n: int) -> Path:
    with path.open("a", encoding="utf-8") as f:
        for i in range(start, start + n):
            f.write(_status(i, reply=i - 1 if i % 3 else None) + "\n")
    return path


def test_accounting_and_quarantine(store):
    report = import_paths(store, [STATUSES], reg=REG)
    (f,) = report.files
    assert (f.read, f.imported, f.duplicate, f.quarantined) == (7, 4, 1, 2)
    assert f.read == f.imported + f.duplicate + f.quarantined
    rows = {loc: reason for _src, loc, reason, _raw in store.quarantine()}
    assert set(rows) == {"line 4", "line 6"}
    assert rows["line 4"].startswith("invalid JSON")
    assert "igår någon gång" in rows["line 6"] and "created_at" in rows["line 6"]
    assert all(src == str(STATUSES.resolve()) for src, *_ in store.quarantine())


def test_reimport_changes_nothing(store):
    import_paths(store, [STATUSES], reg=REG)
    before = store.stats()
    again = import_paths(store, [STATUSES], reg=REG)
    assert again.files[0].status == "unchanged" and again.read == 0
    forced = import_paths(store, [STATUSES], reg=REG, force=True)
    assert (forced.imported, forced.duplicate, forced.quarantined) == (0, 5, 2)
    assert store.stats() == before


def test_threads_rebuilt(store):
    import_paths(store, [STATUSES], reg=REG)
    tree = store.thread("twitter:9003")
    assert tree.native_id == "9001" and tree.post.author_handle == "norrsken_kund"
    assert [c.native_id for c in tree.children] == ["9002"]
    assert [c.native_id for c in tree.children[0].children] == ["9003"]
    assert store.get_post("9003").depth == 2 and store.get_post("9003").root_id == "9001"


def test_parents_arriving_after_children(tmp_path, store):
    children = tmp_path / "a.jsonl"
    parents = tmp_path / "b.jsonl"
    children.write_text(_status(3, reply=2) + "\n" + _status(4, reply=3) + "\n")
    parents.write_text(_status(2, reply=1) + "\n")
    import_paths(store, [children], reg=REG)
    assert store.get_post("twitter:4").depth is None  # chain incomplete: depth unknown
    assert store.get_post("twitter:4").root_id == "2"  # anchored at the missing parent
    assert store.stats().orphans == 2
    import_paths(store, [parents], reg=REG)
    assert store.get_post("twitter:4").root_id == "1" and store.get_post("twitter:4").depth is None
    (tmp_path / "c.jsonl").write_text(_status(1) + "\n")
    import_paths(store, [tmp_path / "c.jsonl"], reg=REG)
    assert [store.get_post(f"twitter:{i}").depth for i in (1, 2, 3, 4)] == [0, 1, 2, 3]
    assert {store.get_post(f"twitter:{i}").root_id for i in (1, 2, 3, 4)} == {"1"}
    assert store.stats().orphans == 0


def test_interrupted_import_resumes(tmp_path):
    path = _write_statuses(tmp_path / "big.jsonl", 1, 2500)
    reference = DuckStore(":memory:")
    reference.migrate()
    import_paths(reference, [path], reg=REG, batch_size=100)

    class Interrupt:
        batches = 0

        def start_file(self, *a):
            pass

        def advance(self, *a):
            self.batches += 1
            if self.batches == 7:
                raise KeyboardInterrupt

        def end_file(self, *a):
            pass

    store = DuckStore(tmp_path / "s.duckdb")
    store.migrate()
    with pytest.raises(KeyboardInterrupt):
        import_paths(store, [path], reg=REG, batch_size=100, progress=Interrupt())
    partial = store.count_posts()
    assert 0 < partial < 2500
    report = import_paths(store, [path], reg=REG, batch_size=100)
    (f,) = report.files
    assert f.status == "resumed"
    assert f.duplicate == 0 and f.imported == 2500 - partial  # nothing read twice
    assert store.count_posts() == 2500
    assert store.stats() .max_depth == reference.stats().max_depth
    cursor = store.get_cursors([str(path.resolve())])[str(path.resolve())]
    assert (cursor.state, cursor.read, cursor.imported) == ("done", 2500, 2500)


def test_killed_process_resumes(tmp_path):
    """A real crash (SIGKILL) at any moment: rerunning gives exactly the uninterrupted result."""
    path = _write_statuses(tmp_path / "big.jsonl", 1, 60_000)
    db = tmp_path / "s.duckdb"
    code = (
        "import sys; from lyssna.store.duckdb import DuckStore; from lyssna.pipeline import import_paths;"
        "from lyssna.plugins import Registry;"
        "s = DuckStore(sys.argv[1]); s.migrate();"
        "import_paths(s, [sys.argv[2]], reg=Registry(['lyssna.formats.twitter_v1'], entry_point_group=None),"
        " batch_size=500)"
    )
    proc = subprocess.Popen([sys.executable, "-c", code, str(db), str(path)])
    time.sleep(2.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    store = DuckStore(db)
    store.migrate()
    report = import_paths(store, [path], reg=REG, batch_size=500)
    assert store.count_posts() == 60_000
    assert report.duplicate == 0 or report.files[0].status == "imported"
    cursor = store.get_cursors([str(path.resolve())])[str(path.resolve())]
    assert cursor.state == "done" and cursor.imported == 60_000


def test_appended_file_reads_only_new_lines(tmp_path, store):
    path = _write_statuses(tmp_path / "live.jsonl", 1, 300)
    import_paths(store, [path], reg=REG)
    _write_statuses(path, 301, 50)
    report = import_paths(store, [path], reg=REG)
    (f,) = report.files
    assert f.status == "appended" and (f.read, f.imported, f.duplicate) == (50, 50, 0)
    assert store.count_posts() == 350


def test_changed_file_is_read_again(tmp_path, store):
    path = tmp_path / "x.jsonl"
    path.write_text(_status(1) + "\n")
    import_paths(store, [path], reg=REG)
    path.write_text(_status(7) + "\n" + _status(8) + "\n")
    report = import_paths(store, [path], reg=REG)
    assert report.files[0].status == "imported" and report.imported == 2


def test_unknown_format_named_file_is_an_error(tmp_path, store):
    notes = tmp_path / "notes.txt"
    notes.write_text("just some words\n")
    with pytest.raises(UnknownFormat) as e:
        import_paths(store, [notes], reg=REG)
    assert str(notes) in str(e.value) and "twitter-v1" in str(e.value)
    assert store.count_posts() == 0


def test_unknown_files_in_folder_are_skipped_and_reported(tmp_path, store):
    (tmp_path / "notes.txt").write_text("just some words\n")
    (tmp_path / "empty.json").write_text("")
    (tmp_path / ".hidden.jsonl").write_text(_status(5) + "\n")
    _write_statuses(tmp_path / "posts.jsonl", 1, 3)
    report = import_paths(store, [tmp_path], reg=REG)
    skipped = {Path(f.path).name: f.note for f in report.files if f.status == "skipped"}
    assert set(skipped) == {"notes.txt", "empty.json"}
    assert "empty" in skipped["empty.json"]
    assert report.imported == 3


def test_missing_path_is_an_error(tmp_path, store):
    with pytest.raises(UnreadableFile, match="no such file"):
        import_paths(store, [tmp_path / "nope.jsonl"], reg=REG)


def test_overlong_line_is_quarantined_not_read(tmp_path, store, monkeypatch):
    from lyssna.formats import base

    monkeypatch.setattr(base, "MAX_RECORD_BYTES", 1000)
    path = tmp_path / "long.jsonl"
    path.write_text(_status(1) + "\n" + '{"id_str": "2", "text": "' + "x" * 5000 + '"}\n' + _status(3) + "\n")
    report = import_paths(store, [path], reg=REG)
    assert (report.imported, report.quarantined) == (2, 1)
    (row,) = store.quarantine()
    assert row[1] == "line 2" and "longer than" in row[2] and len(row[3]) < 5000


def test_unreadable_file_in_folder_is_reported_and_the_rest_goes_on(tmp_path, store):
    _write_statuses(tmp_path / "posts.jsonl", 1, 3)
    (tmp_path / "gone.jsonl").symlink_to(tmp_path / "nowhere.jsonl")
    report = import_paths(store, [tmp_path], reg=REG)
    failed = [f for f in report.files if f.status == "failed"]
    assert len(failed) == 1 and failed[0].path.endswith("gone.jsonl") and "cannot read" in failed[0].note
    assert report.imported == 3


def test_fixed_file_leaves_no_stale_quarantine(tmp_path, store):
    path = tmp_path / "x.jsonl"
    path.write_text(_status(1) + "\n{broken\n")
    import_paths(store, [path], reg=REG)
    assert [row[1] for row in store.quarantine()] == ["line 2"]
    path.write_text(_status(1) + "\n" + _status(2) + "\n")
    report = import_paths(store, [path], reg=REG)
    assert (report.imported, report.duplicate, report.quarantined) == (1, 1, 0)
    assert store.quarantine() == []


def test_line_cut_off_by_a_writer_is_read_again_when_the_file_grows(tmp_path, store):
    path = tmp_path / "stream.jsonl"
    whole = _status(3)
    path.write_text(_status(1) + "\n" + _status(2) + "\n" + whole[:40])
    first = import_paths(store, [path], reg=REG)
    assert (first.imported, first.quarantined) == (2, 1)
    (row,) = store.quarantine()
    assert row[1] == "line 3" and "read again" in row[2]
    with path.open("a") as f:
        f.write(whole[40:] + "\n" + _status(4) + "\n")
    second = import_paths(store, [path], reg=REG)
    (f,) = second.files
    assert f.status == "appended" and (f.imported, f.quarantined) == (2, 0)
    assert store.count_posts() == 4 and store.quarantine() == []
    cursor = store.get_cursors([str(path.resolve())])[str(path.resolve())]
    assert (cursor.read, cursor.imported, cursor.quarantined) == (5, 4, 1)  # cumulative over both runs


def _snapshot(store: DuckStore) -> tuple:
    posts = store.con.execute("SELECT platform, native_id, text, root_id, depth, author_id FROM posts "
                              "ORDER BY 1, 2").fetchall()
    quarantine = store.con.execute("SELECT source, locator, reason FROM quarantine ORDER BY 1, 2").fetchall()
    authors = store.con.execute("SELECT * FROM authors ORDER BY 1, 2").fetchall()
    return posts, quarantine, authors


def test_worker_processes_give_exactly_the_single_process_result(tmp_path):
    path = _write_statuses(tmp_path / "big.jsonl", 1, 3000)
    with path.open("a") as f:  # bad records scattered through the chunks, and a repeat
        f.write("{not json\n" + _status(17) + "\n" + '{"id_str": "x", "text": "no date"}\n')
    _write_statuses(path, 3001, 2000)
    results = []
    for workers in (1, 2):
        store = DuckStore(":memory:")
        store.migrate()
        report = import_paths(store, [path], reg=REG, workers=workers, parallel_min_bytes=0, batch_size=700)
        results.append((report.read, report.imported, report.duplicate, report.quarantined, _snapshot(store)))
    assert results[0][:4] == (5003, 5000, 1, 2)
    assert results[1] == results[0]


def test_worker_import_resumes_and_appends(tmp_path, monkeypatch):
    from lyssna import parallel

    monkeypatch.setattr(parallel, "CHUNK_BYTES", 20_000)
    path = _write_statuses(tmp_path / "big.jsonl", 1, 1000)

    class Interrupt:
        def start_file(self, *a):
            pass

        def advance(self, path, done, report):
            if report.read >= 300:
                raise KeyboardInterrupt

        def end_file(self, *a):
            pass

    store = DuckStore(tmp_path / "s.duckdb")
    store.migrate()
    with pytest.raises(KeyboardInterrupt):
        import_paths(store, [path], reg=REG, workers=2, parallel_min_bytes=0, progress=Interrupt())
    partial = store.count_posts()
    assert 0 < partial < 1000
    report = import_paths(store, [path], reg=REG, workers=2, parallel_min_bytes=0)
    assert report.files[0].status == "resumed" and report.duplicate == 0 and store.count_posts() == 1000
    _write_statuses(path, 1001, 500)
    report = import_paths(store, [path], reg=REG, workers=2, parallel_min_bytes=0)
    assert report.files[0].status == "appended" and (report.read, report.imported) == (500, 500)
    reference = DuckStore(":memory:")
    reference.migrate()
    import_paths(reference, [path], reg=REG, workers=1)
    assert _snapshot(store) == _snapshot(reference)
