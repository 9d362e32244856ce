"""Entities on Twitter's own conformance suite: the share of ``extract.yml`` cases Lyssna gets exactly right.

    python -m bench.entities_eval [--data DIR]

Each case of ``../shared/data/twitter_text_conformance/extract.yml`` (238 cases: mentions, lists, replies,
URLs with and without indices, t.co parameters, hashtags including non-Latin and astral ones, cashtags) is
run through the function of its kind and compared with the expected value as a whole (every entity, its
text and indices). Needs PyYAML (installed with the test extra).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

_REPO = Path(__file__).resolve().parents[1]
if __package__ in (None, ""):
    sys.path.insert(0, str(_REPO))

from lyssna.enrichers.entities import (  # noqa: E402
    cashtag_entities,
    extract_cashtags,
    extract_hashtags,
    extract_mentions,
    extract_reply,
    extract_urls,
    hashtag_entities,
    mention_entities,
    url_entities,
)

__all__ = ["KINDS", "measure", "render", "main"]

DEFAULT_DATA = _REPO.parent / "shared" / "data"

#: The kinds of extract.yml and what each runs; a kind not listed here fails rather than passing unseen.
KINDS = {
    "mentions": extract_mentions,
    "mentions_with_indices": lambda t: [{"screen_name": e.text, "indices": [e.start, e.end]}
                                        for e in mention_entities(t) if e.kind == "mention"],
    "mentions_or_lists_with_indices": lambda t: [{"screen_name": e.text, "list_slug": e.list_slug or "",
                                                  "indices": [e.start, e.end]} for e in mention_entities(t)],
    "replies": extract_reply,
    "urls": extract_urls,
    "urls_with_indices": lambda t: [{"url": e.text, "indices": [e.start, e.end]} for e in url_entities(t)],
    "urls_with_directional_markers": lambda t: [{"url": e.text, "indices": [e.start, e.end]}
                                                for e in url_entities(t)],
    "tco_urls_with_params": extract_urls,
    "hashtags": extract_hashtags,
    "hashtags_from_astral": extract_hashtags,
    "hashtags_with_indices": lambda t: [{"hashtag": e.text, "indices": [e.start, e.end]}
                                        for e in hashtag_entities(t)],
    "cashtags": extract_cashtags,
    "cashtags_with_indices": lambda t: [{"cashtag": e.text, "indices": [e.start, e.end]}
                                        for e in cashtag_entities(t)],
}




def measure(data: Path = DEFAULT_DATA) -> dict:
    """kind → [passed, cases], and the failures' descriptions."""
    import yaml

    suite = yaml.safe_load((data / "twitter_text_conformance" / "extract.yml").read_text(encoding="utf-8"))["tests"]
    kinds: dict[str, list[int]] = {}
    failed: list[str] = []
    for kind, cases in suite.items():
        run = KINDS.get(kind)
        passed = 0
        for case in cases:
            ok = run is not None and run(case["text"]) == case["expected"]
            passed += ok
            if not ok:
                failed.append(f"{kind}: {case['description']}")
        kinds[kind] = [passed, len(cases)]
    return {"kinds": kinds, "failed": failed}


def render(r: dict) -> str:
    passed = sum(p for p, _ in r["kinds"].values())
    total = sum(n for _, n in r["kinds"].values())
    lines = ["## Entities (Twitter conformance suite, extract.yml)", "",
             f"{passed} of {total} cases exactly right ({100 * passed / max(1, total):.1f} %).", "",
             "| kind | right | cases |", "|---|---|---|"]
    lines += [f"| {k} | {p} | {n} |" for k, (p, n) in r["kinds"].items()]
    lines += [f"- failed: {f}" for f in r["failed"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = ap.parse_args(argv)
    if not (args.data / "twitter_text_conformance" / "extract.yml").exists():
        print("the conformance suite is absent: nothing to measure")
        return 0
    print(render(measure(args.data)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
