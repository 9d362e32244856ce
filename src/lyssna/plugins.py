"""The registry of import formats and enrichers (and, later, store backends).

Built-ins are registered exactly as a third party's would be (STYLE.md habit 1): each module in
:data:`BUILTIN_FORMAT_MODULES` defines ``FORMATS``, a tuple of format classes, and each module in
:data:`BUILTIN_ENRICHER_MODULES` defines ``ENRICHERS``, a tuple of enricher classes. A package outside
Lyssna registers its own through the ``lyssna.formats`` and ``lyssna.enrichers`` entry point groups,
naming a module that defines them. Nothing is imported until the registry is first asked; an import
error is raised, never swallowed.
"""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points
from typing import Iterable

from .formats.base import Format

__all__ = ["BUILTIN_FORMAT_MODULES", "BUILTIN_ENRICHER_MODULES", "Registry", "registry"]

BUILTIN_FORMAT_MODULES = (
    "lyssna.formats.twitter_v2",
    "lyssna.formats.twitter_archive",
    "lyssna.formats.twitter_v1",
    "lyssna.formats.mastodon",
    "lyssna.formats.bluesky",
    "lyssna.formats.reddit",
    "lyssna.formats.feeds",
    "lyssna.formats.transcripts",
    "lyssna.formats.tabular",
)

BUILTIN_ENRICHER_MODULES = ("lyssna.enrichers.builtin",)


class Registry:
    """Formats by name, in registration order (which also breaks ties when sniffing)."""

    def __init__(self, modules: Iterable[str] = BUILTIN_FORMAT_MODULES, *, entry_point_group: str | None =
                 "lyssna.formats", enricher_modules: Iterable[str] = BUILTIN_ENRICHER_MODULES,
                 enricher_group: str | None = "lyssna.enrichers"):
        self._modules = tuple(modules)
        self._group = entry_point_group
        self._formats: dict[str, Format] | None = None
        self._enricher_modules = tuple(enricher_modules)
        self._enricher_group = enricher_group
        self._enrichers: list | None = None

    def enrichers(self) -> list:
        """Every registered enricher, built-ins first: a new instance of each ``ENRICHERS`` class on each
        call (an enricher may keep state for the store it is attached to, like near-duplicates)."""
        if self._enrichers is None:
            modules = list(self._enricher_modules)
            if self._enricher_group:
                modules += [ep.value for ep in entry_points(group=self._enricher_group)]
            self._enrichers = [cls for name in modules for cls in getattr(importlib.import_module(name),
                                                                            "ENRICHERS", ())]
        return [cls() for cls in self._enrichers]

    def register(self, fmt: Format) -> None:
        formats = self._load()
        if fmt.name in formats:
            raise ValueError(f"a format named {fmt.name!r} is registered already")
        formats[fmt.name] = fmt

    def _load(self) -> dict[str, Format]:
        if self._formats is None:
            self._formats = {}
            modules = list(self._modules)
            if self._group:
                modules += [ep.value for ep in entry_points(group=self._group)]
            for name in modules:
                module = importlib.import_module(name)
                for cls in getattr(module, "FORMATS", ()):
                    fmt = cls()
                    if fmt.name in self._formats:
                        raise ValueError(f"{name}: a format named {fmt.name!r} is registered already")
                    self._formats[fmt.name] = fmt
        return self._formats

    def formats(self) -> list[Format]:
        return list(self._load().values())

    def get(self, name: str) -> Format:
        formats = self._load()
        try:
            return formats[name]
        except KeyError:
            from .errors import UnknownFormat

            raise UnknownFormat(f"no format named {name!r}; known: {', '.join(formats)}") from None


registry = Registry()
