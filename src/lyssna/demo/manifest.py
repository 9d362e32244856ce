"""What :func:`lyssna.demo.generate` returns: the files it wrote and the story's key facts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .scenario import Period

__all__ = ["DemoFile", "DemoManifest", "Period"]


@dataclass(frozen=True, slots=True)
class DemoFile:
    """One file written: its path relative to the folder, the import format that reads it, and how many
    posts the importer should make of it."""

    path: str
    format: str  # the name of the Lyssna format: twitter-v2, mastodon, reddit, feed, csv, webvtt
    platform: str
    posts: int


@dataclass(frozen=True)
class DemoManifest:
    """The generated scenario: where, which files, how many posts, and when the story's events happen.

    ``counts`` is posts per platform as the importers will count them (every tweet, retweet, status,
    boost, Reddit submission and comment, forum post, feed entry and transcript cue). ``own_accounts`` are
    the company's accounts per platform, as each platform writes them (Mastodon: ``user@instance``).
    """

    folder: str
    seed: int
    scale: float
    start: date
    end: date
    company: str
    competitors: tuple[str, ...]
    own_accounts: dict[str, tuple[str, ...]]
    campaign: Period
    campaign_hashtag: str
    dialogue_start: date
    crisis_day: date
    crisis_hashtag: str
    pilot: Period
    pilot_town: str
    pilot_hashtag: str
    counts: dict[str, int]
    total: int
    files: tuple[DemoFile, ...]
