"""Versioned schema migrations of the embedded store. Append only: never edit a released step.

Each step is a list of SQL statements applied in one transaction; ``schema_version`` records which
steps a store has. A store newer than the last step here is refused (:class:`SchemaTooNew`).
"""

from __future__ import annotations

MIGRATIONS: list[list[str]] = [
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
]
