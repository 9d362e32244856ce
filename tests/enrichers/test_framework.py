"""Enrichers as plugins: declared, ordered by what they require, run once per version, resumable."""

from __future__ import annotations

import pytest

from lyssna.enrichers.base import Column, EnricherError, chain
from lyssna.enrichment import Enrichment
from lyssna.testing import make_post, memory_store


class Length:
    name = "length"
    version = 1
    requires: tuple[str, ...] = ()
    provides = (Column("chars", "BIGINT"),)
    calls = 0

    def enrich(self, posts, given):
        Length.calls += 1
        return {"chars": [len(p.text) for p in posts]}


class Shout:
    name = "shout"
    version = 1
    requires = ("chars",)
    provides = (Column("loud", "BOOLEAN"), Column("words", "VARCHAR[]"))

    def enrich(self, posts, given):
        return {"loud": [p.text.isupper() and n > 3 for p, n in zip(posts, given["chars"])],
                "words": [p.text.split() for p in posts]}


def _store(texts):
    store = memory_store()
    store.write_batch([make_post(str(i), text=t, minutes=i) for i, t in enumerate(texts, 1)])
    return store


def test_chain_orders_by_requirements_and_refuses_bad_declarations():
    assert [e.name for e in chain([Shout(), Length()])] == ["length", "shout"]
    with pytest.raises(EnricherError, match="requires 'chars'"):
        chain([Shout()])
    with pytest.raises(EnricherError, match="both provide 'chars'"):
        chain([Length(), type("L2", (Length,), {"name": "other"})()])
    with pytest.raises(EnricherError, match="cycle"):
        a = type("A", (), {"name": "a", "version": 1, "requires": ("y",), "provides": (Column("x", "BIGINT"),)})()
        b = type("B", (), {"name": "b", "version": 1, "requires": ("x",), "provides": (Column("y", "BIGINT"),)})()
        chain([a, b])
    with pytest.raises(EnricherError, match="column name"):
        Column("Bad Name", "VARCHAR")
    with pytest.raises(EnricherError, match="type"):
        Column("ok", "BLOB")


def test_enrichment_adds_columns_and_runs_each_post_once():
    store = _store(["hej", "HEJ ALLA", "ok då"])
    enrichment = Enrichment(store, [Shout(), Length()])
    run = enrichment.catch_up()
    assert run.posts == 3 and run.runs == {"length": 3, "shout": 3}
    assert store.enrichments_of(2) == {"chars": 8, "loud": True, "words": ["HEJ", "ALLA"]}
    assert enrichment.catch_up().posts == 0, "nothing twice"
    store.write_batch([make_post("9", text="NY POST", minutes=99)])
    assert enrichment.catch_up().posts == 1 and enrichment.backlog() == 0


def test_a_new_version_runs_over_the_history_again():
    store = _store(["a", "bb"])
    Enrichment(store, [Length(), Shout()]).catch_up()
    newer = type("Length2", (Length,), {"version": 2})()
    run = Enrichment(store, [newer, Shout()]).catch_up()
    assert run.posts == 2 and run.runs == {"length": 2, "shout": 0}
    assert store.enricher_state()["length"][0] == 2


def test_an_interrupted_enrichment_resumes():
    store = _store(["a", "b", "c", "d", "e"])
    broken = type("Broken", (Length,), {})()
    calls = []

    def enrich(posts, given):
        calls.append(len(posts))
        if len(calls) == 2:
            raise KeyboardInterrupt
        return {"chars": [len(p.text) for p in posts]}

    broken.enrich = enrich
    with pytest.raises(KeyboardInterrupt):
        Enrichment(store, [broken], batch=2).catch_up()
    assert store.enricher_state()["length"][1] == 2  # the first batch was committed
    run = Enrichment(store, [Length()], batch=2).catch_up()
    assert run.runs == {"length": 3}
    assert [store.enrichments_of(k)["chars"] for k in range(1, 6)] == [1, 1, 1, 1, 1]
