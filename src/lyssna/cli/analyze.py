"""``lyssna analyze``: the enrichers over a CSV or JSON-lines file (or stdin), records out with what they
found — no project needed."""

from __future__ import annotations

import io
import sys

import click

from ..analyze import AnalyzeError, analyze as run_analysis, open_input, read_records, sniff, write_csv, write_jsonl
from ..config import Settings
from ..plugins import registry
from .context import Problems, err



@click.command("analyze")
@click.argument("file", required=False, default="-", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--text-col", default="text", show_default=True, help="The field or column holding the text.")
@click.option("--title-col", default=None, help="A field or column holding a title, read before the text.")
@click.option("--json", "as_json", is_flag=True, help="Write JSON lines (the default follows the input).")
@click.option("--csv", "as_csv", is_flag=True, help="Write CSV (lists joined with |).")
@click.option("--sentiment-model", envvar="LYSSNA_SENTIMENT_MODEL", default="", metavar="FOLDER",
              help="A Hugging Face sentiment model on disk instead of the built-in sentiment (needs transformers).")
def analyze(file: str, text_col: str, title_col: str | None, as_json: bool, as_csv: bool,
            sentiment_model: str) -> None:
    """Run the enrichers over FILE (CSV or JSON lines; - or nothing reads stdin) and write each record
    back with lang, sentiment (label and score), hashtags, mentions, urls, domains, cashtags, emoji,
    phrases, near-duplicate group and labels (question, complaint, request) added.

    In JSON lines, sentiment is {"label": …, "score": …}; in CSV it is two columns, sentiment and
    sentiment_score. A record's own field is never overwritten: a clashing column is written as
    lyssna_<name>. Bad lines are reported on stderr (file and line) and left out; the rest goes on.

    \b
    Example:
      lyssna analyze tweets.csv --text-col text > enriched.csv
      cat posts.jsonl | lyssna analyze --json | jq .sentiment
    """
    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    source = "stdin" if file == "-" else file
    report = Problems()

    with open_input(file) as stream:
        head = stream.read(4096)
        kind = sniff(head)
        records = read_records(_Rewound(head, stream), kind, text_col, source, report)
        enrichers = registry.enrichers()
        settings = Settings(sentiment_model=sentiment_model)
        for e in enrichers:
            configure = getattr(e, "configure", None)
            if configure is not None:
                configure(settings)
        json_out = as_json or (kind == "jsonl" and not as_csv)
        enriched = run_analysis(records, enrichers, text_col, title_col=title_col, nest=json_out)
        if json_out:
            n = write_jsonl(enriched, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        else:
            n = write_csv(enriched, sys.stdout, report, source="output")
            sys.stdout.flush()
    skipped = report.skipped
    report.print_rest()
    err.print(f"{n:,} records analysed" + (f", {skipped:,} skipped" if skipped else ""))
    if n == 0 and skipped:
        raise AnalyzeError(f"nothing analysed: every record of {source} was skipped (see above)")


class _Rewound:
    """A text stream whose first characters were read already (to sniff its kind), given back first."""

    def __init__(self, head: str, rest):
        self._head = io.StringIO(head)
        self._rest = rest

    def readline(self, limit: int = -1) -> str:
        line = self._head.readline(limit)
        if line.endswith("\n") or (limit > 0 and len(line) >= limit):
            return line
        more = self._rest.readline(limit - len(line) if limit > 0 else -1)
        return line + more

    def read(self, n: int = -1) -> str:
        got = self._head.read(n)
        if n < 0:
            return got + self._rest.read()
        if len(got) < n:
            got += self._rest.read(n - len(got))
        return got

    def __iter__(self):
        while True:
            line = self.readline()
            if not line:
                return
            yield line
