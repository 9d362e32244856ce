"""Versioned schema migrations of the embedded store. Append only: never edit a released step.

Each step is a list of SQL statements (or functions given the connection, where a step depends on what
the store holds) applied in one transaction; ``schema_version`` records which steps a store has. A store
newer than the last step here is refused (:class:`SchemaTooNew`). A step's SQL is written out in it, not
shared with the live code: a released step must mean the same whatever the code around it becomes.
"""

from __future__ import annotations

from typing import Any, Callable, Union

Step = Union[str, Callable[[Any], None]]


def _matches_carry_facts(con: Any) -> None:
    """Step 6: each match carries its post's author (a stable 64-bit hash of platform and id, also kept in
    ``authors.key``), sentiment (-1, 0, 1; NULL where the sentiment enricher has not labelled the post) and
    engagement, and the table is rewritten in (topic, time) order: a topic's overview then reads ``matches``
    alone (measured at 10M posts: about 10 times faster than joining ``posts`` and ``enrichments``)."""
    has_sentiment = con.execute(
        "SELECT count(*) FROM information_schema.columns WHERE table_name = 'enrichments' "
        "AND column_name = 'sentiment'").fetchone()[0]
    sentiment = ("CASE e.sentiment WHEN 'negative' THEN -1 WHEN 'neutral' THEN 0 WHEN 'positive' THEN 1 END"
                 if has_sentiment else "NULL")
    join = "LEFT JOIN enrichments e ON e.post_key = m.post_key" if has_sentiment else ""
    con.execute("""
        CREATE TABLE matches_v6 (
            topic_id    INTEGER NOT NULL,
            post_key    BIGINT NOT NULL,
            created_at  TIMESTAMPTZ NOT NULL,
            author      UBIGINT,
            sentiment   TINYINT,
            engagement  BIGINT
        )""")
    con.execute(f"""
        INSERT INTO matches_v6
        SELECT m.topic_id, m.post_key, m.created_at,
               CASE WHEN p.author_id IS NOT NULL THEN md5_number_lower(p.platform || ':' || p.author_id) END,
               {sentiment},
               coalesce(p.likes, 0) + coalesce(p.reposts, 0) + coalesce(p.replies, 0) + coalesce(p.quotes, 0)
        FROM matches m LEFT JOIN posts p ON p.key = m.post_key {join}
        ORDER BY m.topic_id, m.created_at, m.post_key""")
    con.execute("DROP TABLE matches")
    con.execute("ALTER TABLE matches_v6 RENAME TO matches")


MIGRATIONS: list[list[Step]] = [
    # 1: posts, authors, quarantine, import cursors
    [
        "CREATE SEQUENCE post_key_seq START 1",
        """
        CREATE TABLE posts (
            key             BIGINT NOT NULL DEFAULT nextval('post_key_seq'),
            platform        VARCHAR NOT NULL,
            native_id       VARCHAR NOT NULL,
            kind            VARCHAR NOT NULL,
            created_at      TIMESTAMPTZ NOT NULL,
            author_id       VARCHAR,
            author_handle   VARCHAR,
            text            VARCHAR NOT NULL,
            title           VARCHAR,
            url             VARCHAR,
            lang            VARCHAR,
            site            VARCHAR,
            reply_to        VARCHAR,
            conversation_id VARCHAR,
            quote_of        VARCHAR,
            repost_of       VARCHAR,
            likes           BIGINT,
            reposts         BIGINT,
            replies         BIGINT,
            quotes          BIGINT,
            views           BIGINT,
            media_start_ms  BIGINT,
            media_end_ms    BIGINT,
            source          VARCHAR,
            root_id         VARCHAR,
            depth           INTEGER,
            raw             VARCHAR,
            imported_at     TIMESTAMPTZ NOT NULL,
            UNIQUE (platform, native_id)
        )
        """,
        """
        CREATE TABLE authors (
            platform   VARCHAR NOT NULL,
            native_id  VARCHAR NOT NULL,
            handle     VARCHAR,
            name       VARCHAR,
            followers  BIGINT,
            verified   BOOLEAN,
            url        VARCHAR,
            PRIMARY KEY (platform, native_id)
        )
        """,
        "CREATE SEQUENCE quarantine_seq START 1",
        """
        CREATE TABLE quarantine (
            id       BIGINT NOT NULL DEFAULT nextval('quarantine_seq'),
            source   VARCHAR NOT NULL,
            locator  VARCHAR NOT NULL,
            reason   VARCHAR NOT NULL,
            raw      VARCHAR,
            quarantined_at TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (source, locator)
        )
        """,
        """
        CREATE TABLE import_files (
            path         VARCHAR PRIMARY KEY,
            format       VARCHAR NOT NULL,
            size         BIGINT NOT NULL,
            head_hash    VARCHAR NOT NULL,
            position     BIGINT NOT NULL,
            byte_offset  BIGINT,
            state        VARCHAR NOT NULL,
            read         BIGINT NOT NULL,
            imported     BIGINT NOT NULL,
            duplicate    BIGINT NOT NULL,
            quarantined  BIGINT NOT NULL,
            started_at   TIMESTAMPTZ NOT NULL,
            finished_at  TIMESTAMPTZ
        )
        """,
    ],
    # 2: listening topics (with their versions), matches, and how far derived data has come
    [
        "CREATE SEQUENCE topic_id_seq START 1",
        """
        CREATE TABLE topics (
            id          INTEGER PRIMARY KEY DEFAULT nextval('topic_id_seq'),
            name        VARCHAR NOT NULL UNIQUE,
            query       VARCHAR NOT NULL,
            version     INTEGER NOT NULL,
            created_at  TIMESTAMPTZ NOT NULL,
            updated_at  TIMESTAMPTZ NOT NULL
        )
        """,
        """
        CREATE TABLE topic_versions (
            topic_id    INTEGER NOT NULL,
            version     INTEGER NOT NULL,
            query       VARCHAR NOT NULL,
            note        VARCHAR,
            valid_from  TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (topic_id, version)
        )
        """,
        # One row per (topic, post); the post's time is repeated so that series need no join.
        """
        CREATE TABLE matches (
            topic_id    INTEGER NOT NULL,
            post_key    BIGINT NOT NULL,
            created_at  TIMESTAMPTZ NOT NULL
        )
        """,
        "CREATE TABLE watermarks (name VARCHAR PRIMARY KEY, upto BIGINT NOT NULL)",
        "ALTER TABLE posts ADD COLUMN country VARCHAR",
    ],
    # 3: what enrichers add to posts (columns are added as enrichers declare them), and how far each has come
    [
        "CREATE TABLE enrichments (post_key BIGINT PRIMARY KEY)",
        "CREATE TABLE enricher_state (name VARCHAR PRIMARY KEY, version INTEGER NOT NULL, upto BIGINT NOT NULL)",
    ],
    # 4: campaigns and pilots (topics and controls by name; dates are days in the project's time zone)
    [
        "CREATE SEQUENCE campaign_id_seq START 1",
        """
        CREATE TABLE campaigns (
            id             INTEGER PRIMARY KEY DEFAULT nextval('campaign_id_seq'),
            name           VARCHAR NOT NULL UNIQUE,
            kind           VARCHAR NOT NULL CHECK (kind IN ('campaign', 'pilot')),
            start_date     DATE NOT NULL,
            end_date       DATE NOT NULL,
            topics         VARCHAR[] NOT NULL,
            controls       VARCHAR[] NOT NULL,
            kpi            VARCHAR NOT NULL,
            hypothesis     VARCHAR,
            decision_date  DATE,
            created_at     TIMESTAMPTZ NOT NULL,
            note           VARCHAR,
            CHECK (end_date >= start_date)
        )
        """,
    ],
    # 5: alert rules, each rule's evaluation state, and the durable outbox of alerts to deliver
    [
        "CREATE SEQUENCE alert_rule_id_seq START 1",
        """
        CREATE TABLE alert_rules (
            id             INTEGER PRIMARY KEY DEFAULT nextval('alert_rule_id_seq'),
            name           VARCHAR NOT NULL UNIQUE,
            topic          VARCHAR NOT NULL,
            kind           VARCHAR NOT NULL CHECK (kind IN ('spike', 'negative_surge', 'match')),
            query          VARCHAR,
            channels       VARCHAR[] NOT NULL,
            quiet_minutes  INTEGER NOT NULL CHECK (quiet_minutes >= 0),
            created_at     TIMESTAMPTZ NOT NULL
        )
        """,
        # state: JSON (a spike detector's numbers, the last alert's time, the folded count); upto: the
        # next hour to evaluate (epoch seconds) for spikes, the last post key seen for 'match'
        """
        CREATE TABLE alert_state (
            rule_id  INTEGER PRIMARY KEY,
            state    VARCHAR NOT NULL,
            upto     BIGINT
        )
        """,
        "CREATE SEQUENCE alert_outbox_id_seq START 1",
        """
        CREATE TABLE alert_outbox (
            id               BIGINT PRIMARY KEY DEFAULT nextval('alert_outbox_id_seq'),
            rule_id          INTEGER NOT NULL,
            channel          VARCHAR NOT NULL,
            payload          VARCHAR NOT NULL,
            created_at       TIMESTAMPTZ NOT NULL,
            attempts         INTEGER NOT NULL DEFAULT 0,
            next_attempt_at  TIMESTAMPTZ NOT NULL,
            delivered_at     TIMESTAMPTZ,
            last_error       VARCHAR
        )
        """,
    ],
    # 6: the facts an overview needs, carried by each match (see _matches_carry_facts); rising-term alerts;
    # every topic's spikes
    [
        "ALTER TABLE authors ADD COLUMN key UBIGINT",
        "UPDATE authors SET key = md5_number_lower(platform || ':' || native_id)",
        _matches_carry_facts,
        # and alert rules may watch for rising terms (a CHECK cannot be altered: the table is copied)
        """
        CREATE TABLE alert_rules_v6 (
            id             INTEGER PRIMARY KEY DEFAULT nextval('alert_rule_id_seq'),
            name           VARCHAR NOT NULL UNIQUE,
            topic          VARCHAR NOT NULL,
            kind           VARCHAR NOT NULL CHECK (kind IN ('spike', 'negative_surge', 'rising_term', 'match')),
            query          VARCHAR,
            channels       VARCHAR[] NOT NULL,
            quiet_minutes  INTEGER NOT NULL CHECK (quiet_minutes >= 0),
            created_at     TIMESTAMPTZ NOT NULL
        )
        """,
        "INSERT INTO alert_rules_v6 SELECT * FROM alert_rules",
        "DROP TABLE alert_rules",
        "ALTER TABLE alert_rules_v6 RENAME TO alert_rules",
        # every topic's spike detectors (kind 'volume' or 'negative'): their state as JSON and the next hour
        # to read (epoch seconds), and the anomalies they found (one row per event, updated when it ends)
        """
        CREATE TABLE topic_spike_state (
            topic_id  INTEGER NOT NULL,
            kind      VARCHAR NOT NULL,
            state     VARCHAR NOT NULL,
            upto      BIGINT NOT NULL,
            PRIMARY KEY (topic_id, kind)
        )
        """,
        """
        CREATE TABLE topic_spikes (
            topic_id     INTEGER NOT NULL,
            kind         VARCHAR NOT NULL,
            start        TIMESTAMPTZ NOT NULL,
            peak         TIMESTAMPTZ NOT NULL,
            "end"        TIMESTAMPTZ,
            peak_value   DOUBLE NOT NULL,
            expected     DOUBLE NOT NULL,
            score        DOUBLE NOT NULL,
            direction    VARCHAR NOT NULL,
            found_at     TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (topic_id, kind, start)
        )
        """,
    ],
]
