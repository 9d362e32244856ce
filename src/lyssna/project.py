"""The Python API: a Lyssna project is a folder with ``lyssna.toml`` and its embedded store.

>>> import lyssna
>>> project = lyssna.init("my-listening")            # doctest: +SKIP
>>> report = project.import_paths(["exports/"])      # doctest: +SKIP
>>> project.stats().posts                            # doctest: +SKIP

The CLI is a thin layer over these functions.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from . import alerts as _alerts
from . import topic_spikes as _spikes
from .campaigns import CampaignReport, campaign_report, new_campaign
from .config import CONFIG_NAME, Settings, default_toml, load_settings
from .errors import ProjectNotFound
from .formats.base import ReadOptions
from .enrichment import Enrichment, EnrichmentRun
from .listening import Listening, SearchResult, TopicPreview
from .models import Campaign, Topic, TopicVersion
from .pipeline import ImportProgress, ImportReport, import_paths
from .plugins import Registry, registry as default_registry
from .store.base import Stats, StoredPost, ThreadNode
from .store.duckdb import DuckStore
from .themes import PeriodThemes, Theme, find_themes, track_themes

__all__ = ["Project", "DemoRun", "init", "open_project", "find_project", "run_demo"]


def _first_of_groups(rows, part):
    """The first post of each near-duplicate group within the rows (and within each ``part`` of time):
    a copy whose original lies outside the selection still counts, once."""
    seen: set = set()
    out = []
    for row in rows:
        key = (part(row[0]), row[2])
        if key not in seen:
            seen.add(key)
            out.append(row)
    return out


def find_project(start: Path, environ: Mapping[str, str] | None = None) -> Path:
    """The project folder: LYSSNA_PROJECT if set, else ``start`` or the nearest parent with lyssna.toml."""
    environ = os.environ if environ is None else environ
    if environ.get("LYSSNA_PROJECT"):
        folder = Path(environ["LYSSNA_PROJECT"])
        if not (folder / CONFIG_NAME).exists():
            raise ProjectNotFound(f"LYSSNA_PROJECT={folder}: no {CONFIG_NAME} there; run `lyssna init {folder}`")
        return folder
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).exists():
            return folder
    raise ProjectNotFound(f"no Lyssna project in {start} or above it (no {CONFIG_NAME}); "
                          "run `lyssna init` to make one here")


@dataclass
class Project:
    """An open project. Use as a context manager, or call :meth:`close`."""

    folder: Path
    settings: Settings
    store: DuckStore
    registry: Registry = default_registry
    _listening: Listening | None = field(default=None, repr=False)
    _enrichment: Enrichment | None = field(default=None, repr=False)
    #: the clock alerts read when no ``now`` is given (imports evaluate alert rules after each batch)
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(timezone.utc), repr=False)
    #: channel kind → sender used when none are given (default: :func:`lyssna.alerts.default_senders`)
    alert_senders: Mapping[str, Callable] | None = field(default=None, repr=False)

    @property
    def enrichment(self) -> Enrichment:
        """The registered enrichers over this store (run after each import batch)."""
        if self._enrichment is None:
            enrichers = self.registry.enrichers()
            for e in enrichers:  # an enricher with options reads them from the project's settings
                configure = getattr(e, "configure", None)
                if configure is not None:
                    configure(self.settings)
            self._enrichment = Enrichment(self.store, enrichers)
        return self._enrichment

    def enrich(self, progress=None) -> EnrichmentRun:
        """Run the enrichers over every post they have not seen (in this version); imports do this."""
        return self.enrichment.catch_up(progress)

    @property
    def listening(self) -> Listening:
        """Topics, matches and search (the text index is opened on first use)."""
        if self._listening is None:
            path = Path(self.store.path)
            # posts are enriched before they are indexed and matched: `lang:` reads the detected language
            self._listening = Listening(self.store, None if self.store.path == ":memory:"
                                        else path.with_name(path.name + ".index"),
                                        before=lambda: self.enrichment.catch_up())
        return self._listening

    def import_paths(self, paths: Sequence[str | os.PathLike], *, format_name: str | None = None,
                     mapping: dict[str, str] | None = None, platform: str | None = None,
                     delimiter: str | None = None, force: bool = False,
                     progress: ImportProgress | None = None, batch_size: int | None = None,
                     workers: int = 1) -> ImportReport:
        """Import files and folders (any supported format, detected from content). Idempotent; resumes.

        ``workers`` > 1 maps big JSON-lines files in that many processes (see :func:`lyssna.pipeline.import_paths`).
        """
        options = ReadOptions(mapping=dict(mapping or {}), platform=platform, default_tz=self.settings.zone,
                              delimiter=delimiter)
        listening, enrichment = self.listening, self.enrichment

        def after_batch() -> None:  # derived data for the batch just committed: enrichments, index, matches
            enrichment.catch_up()
            listening.catch_up(commit=False)
            self._alerts_after_batch()

        report = import_paths(self.store, paths, reg=self.registry, format_name=format_name, options=options,
                              batch_size=batch_size or self.settings.batch_size, force=force, progress=progress,
                              workers=workers, after_batch=after_batch)
        enrichment.catch_up()
        listening.catch_up()
        self._track_spikes()  # once per import: every topic's detectors read the hours that arrived
        self._alerts_after_batch(deliver=True)  # once per import: a receiver that hangs delays it once
        return report

    # -- listening -----------------------------------------------------------------------------------

    def search(self, query: str, *, since: datetime | None = None, until: datetime | None = None,
               limit: int = 20) -> SearchResult:
        """Posts matching a query in the boolean language, newest first (``until`` exclusive)."""
        return self.listening.search(query, since=since, until=until, limit=limit)

    def test_topic(self, query: str, *, sample: int = 10) -> TopicPreview:
        """How many posts a query would match over the history, with a sample, before saving it."""
        return self.listening.preview(query, sample=sample)

    def add_topic(self, name: str, query: str) -> Topic:
        """Save a topic; its matches over the whole history are stored at once, later ones at ingest."""
        return self.listening.add(name, query)[0]

    def edit_topic(self, name: str, query: str, note: str | None = None) -> Topic:
        """A new version of a topic's query (earlier versions are kept); matches are recomputed."""
        return self.listening.edit(name, query, note)[0]

    def remove_topic(self, name: str) -> Topic:
        return self.listening.remove(name)

    def topics(self) -> list[Topic]:
        return self.listening.topics()

    def topic_history(self, name: str) -> list[TopicVersion]:
        """Every version of a topic's query and when it took effect (a break in its series)."""
        return self.listening.history(name)

    def themes(self, *, topic: str | None = None, since: datetime | None = None, until: datetime | None = None,
               k: int | None = None, once_per_copy_group: bool = True) -> list[Theme]:
        """What the posts (of a topic, in a window) talk about: themes over their keyphrases, largest
        first. A near-duplicate group (reposts, a campaign's copies) counts once unless
        ``once_per_copy_group`` is False. See :mod:`lyssna.themes` for the method."""
        rows = self._phrase_rows(topic, since, until)
        if once_per_copy_group:
            rows = _first_of_groups(rows, lambda created: None)
        return find_themes([phrases for _, phrases, _ in rows], k=k)

    def theme_trends(self, *, by: str = "week", topic: str | None = None, since: datetime | None = None,
                     until: datetime | None = None, k: int | None = None,
                     once_per_copy_group: bool = True) -> list[PeriodThemes]:
        """Themes period by period (``by`` is "week" — ISO weeks, 2025-W23 — or "month", in the
        project's time zone); a theme that carries on keeps its id."""
        if by not in ("week", "month"):
            raise ValueError(f"by must be 'week' or 'month', not {by!r}")
        zone = self.settings.zone

        def period(created: datetime) -> str:
            local = created.astimezone(zone)
            iso = local.isocalendar()
            return f"{iso.year}-W{iso.week:02d}" if by == "week" else f"{local.year}-{local.month:02d}"

        rows = self._phrase_rows(topic, since, until)
        if once_per_copy_group:  # once per group and period: a campaign running for weeks shows in each
            rows = _first_of_groups(rows, period)
        periods: dict[str, list[list[str]]] = {}
        for created, phrases, _ in rows:
            periods.setdefault(period(created), []).append(phrases)
        return track_themes(sorted(periods.items()), k=k)

    def _phrase_rows(self, topic: str | None, since: datetime | None,
                     until: datetime | None) -> list[tuple[datetime, list[str], int]]:
        self.enrichment.catch_up()
        topic_id = None
        if topic is not None:
            self.listening.catch_up()
            topic_id = self.listening.topic(topic).id
        return self.store.phrases_of(topic_id=topic_id, since=since, until=until)

    # -- alerts --------------------------------------------------------------------------------------

    def add_alert_rule(self, name: str, *, topic: str, kind: str, to: Sequence[str], query: str | None = None,
                       quiet_minutes: int = 60, now: datetime | None = None) -> _alerts.AlertRule:
        """Save an alert rule (see :mod:`lyssna.alerts`): what the store holds now is history, the rule
        alerts on what arrives after it. :class:`~lyssna.alerts.AlertError` or ``QueryError`` when invalid."""
        self.listening.catch_up()
        return _alerts.add_rule(self.store, name, topic=topic, kind=kind, channels=to, query=query,
                                quiet_minutes=quiet_minutes, now=now or self.clock(), zone=self.settings.zone)

    def alert_rules(self) -> list[_alerts.AlertRule]:
        return _alerts.rules(self.store)

    def remove_alert_rule(self, name: str) -> _alerts.AlertRule:
        """Delete a rule, its state and its undelivered alerts (delivered ones stay in the outbox)."""
        return _alerts.remove_rule(self.store, name)

    def check_alerts(self, now: datetime | None = None, *, deliver: bool = True,
                     senders: Mapping[str, Callable] | None = None) -> tuple[list[_alerts.Alert], list[_alerts.Delivery]]:
        """Evaluate every alert rule on what arrived since its last run (alerts go to the outbox with the
        rules' state, in one transaction), then, with ``deliver``, send what is due."""
        now = now or self.clock()
        self.listening.catch_up()
        fired = _alerts.check_rules(self.store, now, zone=self.settings.zone)
        sent = self.deliver_alerts(now, senders=senders) if deliver else []
        return fired, sent

    def deliver_alerts(self, now: datetime | None = None, *,
                       senders: Mapping[str, Callable] | None = None) -> list[_alerts.Delivery]:
        """Send the outbox's due alerts (retried with backoff until delivered)."""
        senders = senders or self.alert_senders or _alerts.default_senders(self.settings)
        return _alerts.deliver(self.store, now or self.clock(), senders)

    def alert_outbox(self, rule: str | None = None) -> list[tuple]:
        """Outbox rows, oldest first (see :meth:`DuckStore.alert_outbox`)."""
        rule_id = self.store.alert_rule(rule)[0] if rule is not None else None
        return self.store.alert_outbox(rule_id)

    # -- taking part: the organisation's answers ----------------------------------------------------------

    def responses(self, topics: Sequence[str] | None = None, *, since: datetime | None = None,
                  until: datetime | None = None, bucket: str | None = None) -> Any:
        """How often and how fast the organisation's own accounts (the ``own_accounts`` setting) answered
        the posts addressed to it (see :mod:`lyssna.analytics.dialogue`): one
        :class:`~lyssna.analytics.dialogue.ResponseRow` for the period, or a list of them per ``bucket``
        (hour, day, week, month in the project's time zone)."""
        from .analytics import dialogue

        self.listening.catch_up()
        if bucket is None:
            return dialogue.response_summary(self.store, topics, own_accounts=self.settings.own_accounts,
                                             since=since, until=until)
        return dialogue.responses(self.store, topics, own_accounts=self.settings.own_accounts, since=since,
                                  until=until, tz=self.settings.zone, bucket=bucket)

    # -- every topic's spikes --------------------------------------------------------------------------

    def spikes(self, topics: Sequence[str] | None = None, *, since: datetime | None = None,
               until: datetime | None = None, kinds: Sequence[str] = tuple(_spikes.KINDS)) -> list[_spikes.TopicSpike]:
        """Spikes and drops in the topics' volume and surges of their negative posts (``topics`` None:
        every topic), found by each topic's streaming detectors as posts arrived (see
        :mod:`lyssna.topic_spikes`); those overlapping the period, in time order, in the project's zone.
        :class:`~lyssna.errors.NotFound` for an unknown topic."""
        self.listening.catch_up()
        _spikes.track(self.store, self.clock(), self.settings.zone)
        names = list(topics) if topics else [t.name for t in self.store.topics()]
        for name in names:
            self.store.topic(name)  # NotFound, naming the topics there are
        return _spikes.topic_spikes(self.store, names, since=since, until=until, kinds=kinds, tz=self.settings.zone)

    def _track_spikes(self) -> None:
        """Every topic's detectors after an import; a failure is logged, never fails the import."""
        try:
            _spikes.track(self.store, self.clock(), self.settings.zone)
        except Exception as e:  # noqa: BLE001 - spike tracking must never cost an import
            logging.getLogger("lyssna.spikes").warning("topic spikes not updated after the import: %s", e)

    def _alerts_after_batch(self, *, deliver: bool = False) -> None:
        """Evaluate the alert rules after an import batch (alerts go to the outbox), and with ``deliver``
        send what is due (at the end of an import: a webhook that does not answer delays the import once,
        not every batch). A failure is logged as a warning, never fails the import."""
        try:
            if not self.store.alert_rules():
                return
            now = self.clock()
            _alerts.check_rules(self.store, now, zone=self.settings.zone)
            if deliver:
                self.deliver_alerts(now)
        except Exception as e:  # noqa: BLE001 - an alert must never cost an import
            logging.getLogger("lyssna.alerts").warning("alert rules not evaluated after an import batch: %s", e)

    # -- campaigns and pilots ------------------------------------------------------------------------

    def add_campaign(self, name: str, *, start: date, end: date, topics: Sequence[str],
                     controls: Sequence[str] = (), kpi: str = "volume", pilot: bool = False,
                     hypothesis: str | None = None, decision_date: date | None = None,
                     note: str | None = None) -> Campaign:
        """Save a campaign (or, with ``pilot``, a pilot with its hypothesis and decision date): the days
        ``start``..``end`` in the project's time zone, the topics it should move and the control topics it
        should not. Checked first (see :func:`lyssna.campaigns.new_campaign`): :class:`CampaignError`."""
        self.listening.catch_up()
        return new_campaign(self.store, name, start=start, end=end, topics=topics, controls=controls, kpi=kpi,
                            pilot=pilot, hypothesis=hypothesis, decision_date=decision_date, note=note)

    def campaigns(self) -> list[Campaign]:
        """Every campaign and pilot, by start date."""
        return self.store.campaigns()

    def campaign(self, name: str) -> Campaign:
        return self.store.campaign(name)

    def remove_campaign(self, name: str) -> Campaign:
        """Delete a campaign (its topics and their matches stay)."""
        return self.store.delete_campaign(name)

    def campaign_impact(self, name: str, *, after_weeks: int = 4, today: date | None = None,
                        seed: int = 0, level: float = 0.95) -> CampaignReport:
        """What a campaign changed: lift, peak, half-life and lasting change with intervals, and a verdict
        ("lasting change", "spike only", "no detectable effect", "too early to tell"), against a
        counterfactual from the topics' own history and the controls. ``today`` (default: today in the
        project's time zone) bounds the data: the report reads complete days only. See
        :mod:`lyssna.campaigns` for the series and :mod:`lyssna.analytics.impact` for the method."""
        self.listening.catch_up()
        zone = self.settings.zone
        today = today if today is not None else datetime.now(zone).date()
        return campaign_report(self.store, self.store.campaign(name), zone, today=today,
                               after_weeks=after_weeks, seed=seed, level=level,
                               own_accounts=self.settings.own_accounts)

    def topic_matches(self, name: str, limit: int = 20) -> list[StoredPost]:
        """A topic's latest matches, newest first."""
        return self.listening.matches(name, limit)

    def stats(self) -> Stats:
        return self.store.stats()

    def post(self, ref: str) -> StoredPost:
        """One post by ``platform:native_id`` (or its native id, or its store key)."""
        return self.store.get_post(ref)

    def thread(self, ref: str, limit: int = 2000) -> ThreadNode:
        """The reply tree that a post belongs to."""
        return self.store.thread(ref, limit=limit)

    def quarantine(self, limit: int = 100) -> list[tuple[str, str, str, str]]:
        """Records that could not be imported: (file, position, reason, raw text)."""
        return self.store.quarantine(limit)

    def close(self) -> None:
        try:
            if self._listening is not None:
                self._listening.close()
        finally:
            self.store.close()

    def __enter__(self) -> "Project":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def init(folder: str | os.PathLike = ".", environ: Mapping[str, str] | None = None, *,
         settings: Mapping[str, object] | None = None) -> Project:
    """Make (or reopen) a project in ``folder``: write lyssna.toml if missing (with ``settings`` in place of
    the defaults they name), create and migrate the store."""
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    config = path / CONFIG_NAME
    if not config.exists():
        config.write_text(default_toml(settings), encoding="utf-8")
    return _open(path, environ)


def open_project(folder: str | os.PathLike | None = None, environ: Mapping[str, str] | None = None) -> Project:
    """Open the project in ``folder`` (or found from the current folder upwards); migrates its store."""
    path = Path(folder) if folder is not None else find_project(Path.cwd(), environ)
    if not (path / CONFIG_NAME).exists():
        raise ProjectNotFound(f"{path}: no {CONFIG_NAME}; run `lyssna init {path}`")
    return _open(path, environ)


def _open(folder: Path, environ: Mapping[str, str] | None) -> Project:
    settings = load_settings(folder, environ)
    store_path = Path(settings.store)
    if not store_path.is_absolute():
        store_path = folder / store_path
    store = DuckStore(store_path, memory_limit=settings.memory_limit)
    try:
        store.migrate()
    except BaseException:
        store.close()
        raise
    return Project(folder=folder, settings=settings, store=store)


@dataclass(frozen=True)
class DemoRun:
    """What :func:`run_demo` made: the scenario's manifest, the import report and the store's stats."""

    folder: Path
    manifest: Any
    report: ImportReport
    stats: Stats
    example_thread: str | None  # a post deep in a reply thread, to try `lyssna thread` on
    topics: list[Topic] = field(default_factory=list)  # the scenario's listening topics, with their matches
    campaigns: list[CampaignReport] = field(default_factory=list)  # what the scenario's interventions changed
    #: the company's answers to the posts addressed to it, before and since the dialogue opened
    responses: dict[str, Any] = field(default_factory=dict)


def run_demo(folder: str | os.PathLike = "lyssna-demo", *, seed: int = 7, scale: float = 1.0,
             progress: ImportProgress | None = None, environ: Mapping[str, str] | None = None) -> DemoRun:
    """Generate the demo scenario into ``folder/exports`` (real export formats), make a project in
    ``folder``, import the exports through the ordinary importers and save the scenario's listening
    topics (:data:`lyssna.demo.topics.DEMO_TOPICS`). Running it again changes nothing."""
    from .demo import generate
    from .demo.topics import DEMO_TOPICS, demo_campaigns

    root = Path(folder)
    manifest = generate(root / "exports", seed=seed, scale=scale)
    own = [f"{platform}:{handle}" for platform, handles in manifest.own_accounts.items() for handle in handles]
    with init(root, environ, settings={"own_accounts": own}) as project:
        report = project.import_paths([root / "exports"], progress=progress)
        existing = {t.name: t for t in project.topics()}
        for name, query in DEMO_TOPICS:
            if name not in existing:
                project.add_topic(name, query)
            elif existing[name].query != query:
                project.edit_topic(name, query, note="the demo's query changed")
        order = {name: i for i, (name, _) in enumerate(DEMO_TOPICS)}
        topics = sorted((t for t in project.topics() if t.name in order), key=lambda t: order[t.name])
        known = {c.name for c in project.campaigns()}
        reports = []
        for spec in demo_campaigns(manifest):
            if spec["name"] not in known:
                project.add_campaign(**spec)
            # the day after the scenario ends: its last day counts whole
            reports.append(project.campaign_impact(spec["name"], today=manifest.end + timedelta(days=1)))
        opened = datetime.combine(manifest.dialogue_start, datetime.min.time(), project.settings.zone)
        responses = {period: project.responses([manifest.company], **window) for period, window in
                     (("before the dialogue", {"until": opened}), ("since the dialogue", {"since": opened}))}
        return DemoRun(root, manifest, report, project.stats(), project.store.deepest_reply(), topics, reports,
                       responses)
