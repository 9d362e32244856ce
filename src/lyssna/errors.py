"""The exception tree. Every error Lyssna raises on purpose is a :class:`LyssnaError`; the CLI prints
its message (never a traceback) and exits with its ``exit_code``.

::

    LyssnaError
    ├── ConfigError            lyssna.toml or LYSSNA_* settings are wrong
    ├── ProjectNotFound        no lyssna.toml here or above; run `lyssna init`
    ├── StoreError             the embedded store cannot be opened or used
    │   ├── StoreBusy          another Lyssna process holds the store for writing
    │   └── SchemaTooNew       the store was written by a newer Lyssna
    ├── ImportError_           a file cannot be imported at all
    │   ├── UnknownFormat      the content is none of the supported formats
    │   └── UnreadableFile     the file cannot be opened or read
    ├── RecordError            one record is malformed (quarantined, never raised to the user)
    ├── MappingSpecError       a --map column mapping is malformed or names missing columns
    ├── QueryError             a topic or search query is malformed (position, caret and hint)
    ├── CampaignError          a campaign or pilot is not valid (dates, topics, KPI) or cannot be reported
    ├── NotFound               a post, thread or other object asked for does not exist
    │
    │   defined beside the code that raises them:
    ├── EnricherError          an enricher is declared wrongly (lyssna.enrichers.base)
    ├── AnalyzeError           `lyssna analyze`/`spikes` input cannot be read at all (lyssna.analyze)
    ├── ImpactError            an impact analysis cannot be made, e.g. too little history (lyssna.analytics.impact)
    └── AlertError             an alert rule is not valid (lyssna.alerts)
"""

from __future__ import annotations

__all__ = [
    "LyssnaError",
    "ConfigError",
    "ProjectNotFound",
    "StoreError",
    "StoreBusy",
    "SchemaTooNew",
    "ImportError_",
    "UnknownFormat",
    "UnreadableFile",
    "RecordError",
    "MappingSpecError",
    "NotFound",
    "QueryError",
    "CampaignError",
    "caret",
]


class LyssnaError(Exception):
    """Base of every error Lyssna raises on purpose."""

    exit_code = 1


class ConfigError(LyssnaError):
    """The settings (lyssna.toml, LYSSNA_* variables) are wrong."""

    exit_code = 2


class ProjectNotFound(LyssnaError):
    """No Lyssna project in this folder or above it."""

    exit_code = 2


class StoreError(LyssnaError):
    """The embedded store cannot be opened or used."""


class StoreBusy(StoreError):
    """Another process has the store open for writing (DuckDB allows one writer process)."""


class SchemaTooNew(StoreError):
    """The store's schema is newer than this version of Lyssna understands."""


class ImportError_(LyssnaError):  # trailing underscore: do not shadow the builtin ImportError
    """A whole file cannot be imported."""


class UnknownFormat(ImportError_):
    """The file's content matches none of the supported formats."""


class UnreadableFile(ImportError_):
    """The file cannot be opened or read."""


class RecordError(LyssnaError):
    """One record is malformed. Raised by mappers; the pipeline quarantines the record with this reason."""


class MappingSpecError(LyssnaError):
    """A column mapping (``--map text=...,created_at=...``) is malformed."""

    exit_code = 2


class NotFound(LyssnaError):
    """What was asked for does not exist."""


class CampaignError(LyssnaError):
    """A campaign or pilot is not valid (its dates, topics, controls or KPI), or cannot be reported yet."""

    exit_code = 2


class QueryError(LyssnaError):
    """A query in the boolean language is malformed. ``position`` is the character offset in ``query``;
    the message shows the query with a caret under that position, and a hint."""

    exit_code = 2

    def __init__(self, message: str, query: str, position: int, hint: str = ""):
        self.message = message
        self.query = query
        self.position = max(0, min(position, len(query)))
        self.hint = hint
        super().__init__(self.render())

    def caret(self) -> str:
        """The query's line holding the position, and a caret under it."""
        return caret(self.query, self.position)

    def render(self) -> str:
        text = f"{self.message} (at position {self.position + 1})\n{self.caret()}"
        return text + (f"\nHint: {self.hint}" if self.hint else "")


def caret(text: str, position: int) -> str:
    """The line of ``text`` holding ``position`` and a caret under that character (tabs kept in the indent,
    so the caret lines up however a terminal shows them)."""
    position = max(0, min(position, len(text)))
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    line = text[start:end if end >= 0 else None]
    indent = "".join(ch if ch == "\t" else " " for ch in line[:position - start])
    return f"  {line}\n  {indent}^"
