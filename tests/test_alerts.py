"""Alert rules (lyssna.alerts, Project.add_alert_rule / check_alerts / deliver_alerts, `lyssna alert`):
a real project with ten days of hourly posts, then planted bursts imported later; alerts delivered to a
real local HTTP server and a real local SMTP server (aiosmtpd), and kept in the outbox while a receiver
is down."""

from __future__ import annotations

import csv
import json
import logging
import shutil
import socket
import ssl
import subprocess
import threading
from datetime import datetime, timedelta, timezone
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import lyssna
import lyssna.errors
from lyssna.alerts import (AlertError, LogSender, SmtpSender, WebhookSender, backoff, default_senders,
                           detector_state, restore_detector)
from lyssna.analytics.spikes import SpikeDetector, SpikeParams
from lyssna.cli.alerts import alert
from lyssna.config import load_settings
from lyssna.errors import QueryError

FIRST = datetime(2025, 3, 3, tzinfo=timezone.utc)  # a Monday
DAYS = 10
END = FIRST + timedelta(days=DAYS)  # the history ends here; new posts come after
RATE = 6.0


def _hours(rng, start: datetime, hours: int, n0: int, *, burst: dict[int, tuple[int, str]] | None = None,
           extra: list[tuple[datetime, str]] = ()) -> list[tuple]:
    """Poisson(RATE) posts per hour about brandword (a tenth of them negative), plus ``burst``:
    hour index → (more posts, their text), plus ``extra`` posts."""
    rows, n = [], n0
    for h in range(hours):
        at = start + timedelta(hours=h)
        texts = [("brandword is terrible, I hate it." if rng.random() < 0.1 else "a post about brandword")
                 for _ in range(rng.poisson(RATE))]
        if burst and h in burst:
            texts += [burst[h][1]] * burst[h][0]
        for text in texts:
            n += 1
            rows.append((n, f"user{n % 97}", (at + timedelta(seconds=int(rng.integers(0, 3600)))).isoformat(),
                         f"{text} {n}"))
    for at, text in extra:
        n += 1
        rows.append((n, f"user{n % 97}", at.isoformat(), f"{text} {n}"))
    return rows


def _write(path: Path, rows) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(("id", "author", "created_at", "text"))
        w.writerows(rows)
    return path


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("alerts")
    rows = _hours(np.random.default_rng(1), FIRST, DAYS * 24, 0,
                  extra=[(FIRST + timedelta(days=2), "brandword refund please")])
    _write(root / "history.csv", rows)
    with lyssna.init(root / "project") as project:
        project.import_paths([root / "history.csv"])
        project.add_topic("brand", "brandword")
    return root / "project"


@pytest.fixture
def project(template, tmp_path):
    folder = tmp_path / "project"
    shutil.copytree(template, folder)
    p = lyssna.open_project(folder)
    p.clock = lambda: END + timedelta(days=2)
    p.alert_senders = {"log": LogSender()}
    yield p
    p.close()


def _import(project, tmp_path: Path, rows, name: str) -> None:
    project.import_paths([_write(tmp_path / name, rows)])


def _new(hours: int = 12, **kw) -> list[tuple]:
    return _hours(np.random.default_rng(2), END, hours, 100_000, **kw)


# -- real receivers --------------------------------------------------------------------------------------

class Receiver:
    """A real HTTP server on 127.0.0.1 that records each POST (and answers ``status``)."""

    def __init__(self, port: int = 0, status: int = 204):
        self.posts: list[tuple[str, dict, dict]] = []
        self.status = status
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.posts.append((self.path, dict(self.headers), json.loads(body)))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- spikes ------------------------------------------------------------------------------------------------

def test_a_spike_fires_once_to_the_webhook_with_its_json(project, tmp_path, receiver):
    project.alert_senders = {"log": LogSender(), "webhook": WebhookSender()}
    project.add_alert_rule("brand spike", topic="brand", kind="spike", to=[receiver.url, "log"])
    _import(project, tmp_path, _new(burst={5: (80, "brandword is everywhere today")}), "burst.csv")
    assert len(receiver.posts) == 1  # evaluated and delivered after the import batch
    path, headers, payload = receiver.posts[0]
    assert path == "/hook" and headers["Content-Type"].startswith("application/json")
    assert payload["rule"] == "brand spike" and payload["topic"] == "brand" and payload["kind"] == "spike"
    assert payload["window"]["start"] == (END + timedelta(hours=5)).isoformat()
    assert payload["observed"] >= 80 and payload["expected"] < 15 and payload["score"] >= 5
    assert payload["direction"] == "up" and payload["folded"] == 0
    assert 1 <= len(payload["posts"]) <= 5
    assert all(len(p["text"]) <= 280 and ":" in p["ref"] and p["author"] for p in payload["posts"])
    assert "spike in topic brand" in payload["summary"]
    # checking again, later, and after a restart: nothing new
    fired, _ = project.check_alerts(END + timedelta(days=3))
    assert fired == [] and len(receiver.posts) == 1
    folder = project.folder
    project.close()
    with lyssna.open_project(folder) as again:
        again.alert_senders = {"log": LogSender(), "webhook": WebhookSender()}
        fired, _ = again.check_alerts(END + timedelta(days=4))
        assert fired == []
        rows = again.alert_outbox("brand spike")
    assert len(receiver.posts) == 1
    assert len(rows) == 2 and all(r[7] is not None for r in rows)  # webhook and log, both delivered


def test_a_flat_series_never_fires(project, tmp_path):
    project.add_alert_rule("brand spike", topic="brand", kind="spike", to=["log"])
    _import(project, tmp_path, _new(hours=48), "flat.csv")
    fired, _ = project.check_alerts(END + timedelta(days=3))
    assert fired == [] and project.alert_outbox() == []


def test_the_quiet_period_folds_a_second_burst(project, tmp_path):
    project.add_alert_rule("quiet", topic="brand", kind="spike", to=["log"], quiet_minutes=600)
    project.add_alert_rule("loud", topic="brand", kind="spike", to=["log"], quiet_minutes=60)
    text = "brandword is everywhere today"
    _import(project, tmp_path, _new(hours=16, burst={3: (80, text), 8: (80, text)}), "bursts.csv")
    project.check_alerts(END + timedelta(days=3))
    assert len(project.alert_outbox("quiet")) == 1
    assert len(project.alert_outbox("loud")) == 2
    state = json.loads(project.store.alert_state(project.store.alert_rule("quiet")[0])[0])
    assert state["folded"] == 1


def test_the_history_does_not_fire_and_only_complete_hours_are_read(project, tmp_path):
    project.add_alert_rule("brand spike", topic="brand", kind="spike", to=["log"])
    # the burst is in the newest hour of the store: not complete yet
    _import(project, tmp_path, _new(hours=6, burst={5: (80, "brandword now")}), "partial.csv")
    assert project.alert_outbox() == []
    _import(project, tmp_path, _hours(np.random.default_rng(3), END + timedelta(hours=6), 2, 200_000), "more.csv")
    assert len(project.alert_outbox()) == 1


def test_a_negative_surge_fires_on_negative_posts(project, tmp_path, caplog):
    project.add_alert_rule("angry", topic="brand", kind="negative_surge", to=["log"])
    with caplog.at_level(logging.WARNING, logger="lyssna.alerts"):
        _import(project, tmp_path, _new(burst={4: (40, "brandword is terrible, I hate it, the worst")}), "neg.csv")
    rows = project.alert_outbox("angry")
    assert len(rows) == 1 and rows[0][7] is not None
    payload = json.loads(rows[0][3])
    assert payload["kind"] == "negative_surge" and payload["observed"] >= 40
    assert any("negative surge in topic brand" in r.getMessage() for r in caplog.records)


# -- rising terms ----------------------------------------------------------------------------------------

_OUTAGE = ["#strömavbrott igen i hela Malmö, brandword svarar inte", "brandword: är det #Strömavbrott hos er också?",
           "Tredje #strömavbrott den här veckan, tack brandword", "brandword kundtjänst om #strömavbrott: vänta",
           "Hela kvarteret mörkt, #strömavbrott och brandword tiger", "#strömavbrott i Lund nu, brandword hjälp",
           "Ingen el sedan morgonen #strömavbrott brandword", "brandword varför blir det #strömavbrott varje vinter"]


def test_a_rising_term_alerts_once_when_it_starts_rising(project, tmp_path, receiver):
    project.alert_senders = {"log": LogSender(), "webhook": WebhookSender()}
    project.add_alert_rule("new words", topic="brand", kind="rising_term", to=[receiver.url])
    # eight different posts with a hashtag the topic never had, among twelve ordinary hours
    extra = [(END + timedelta(hours=2, minutes=7 * i), text) for i, text in enumerate(_OUTAGE)]
    _import(project, tmp_path, _new(hours=12, extra=extra), "rising.csv")
    assert len(receiver.posts) == 1
    payload = receiver.posts[0][2]
    assert payload["kind"] == "rising_term" and payload["term"] == "#strömavbrott"
    assert payload["observed"] == 8 and payload["expected"] == 0 and payload["direction"] == "up"
    assert payload["terms"][0]["term"] == "#strömavbrott" and payload["terms"][0]["baseline"] == 0
    assert payload["window"]["end"] == (END + timedelta(hours=11)).isoformat()  # the last complete hour
    assert 1 <= len(payload["posts"]) <= 5 and all("#strömavbrott" in p["text"].lower() for p in payload["posts"])
    assert "rising in topic brand: '#strömavbrott'" in payload["summary"]
    # the next day it is still rising: not new, no second alert; ordinary hours alone never alert
    more = [(END + timedelta(hours=14, minutes=9 * i), text + " (igen)") for i, text in enumerate(_OUTAGE[:3])]
    _import(project, tmp_path, _hours(np.random.default_rng(3), END + timedelta(hours=12), 12, 300_000, extra=more),
            "more.csv")
    assert len(receiver.posts) == 1
    state = json.loads(project.store.alert_state(project.store.alert_rule("new words")[0])[0])
    assert "#strömavbrott" in state["rising"]


def test_ordinary_days_raise_no_rising_term(project, tmp_path):
    project.add_alert_rule("new words", topic="brand", kind="rising_term", to=["log"])
    _import(project, tmp_path, _new(hours=48), "flat.csv")
    assert project.alert_outbox("new words") == []


# -- match rules -----------------------------------------------------------------------------------------

def test_a_match_rule_fires_for_new_posts_only(project, tmp_path):
    project.add_alert_rule("refunds", topic="brand", kind="match", query="refund", to=["log"])
    at = END + timedelta(hours=1)
    _import(project, tmp_path, [(900_001, "ann", at.isoformat(), "brandword refund now <b>please</b>"),
                                (900_002, "bob", (at + timedelta(minutes=5)).isoformat(), "brandword hello"),
                                (900_003, "cid", (at + timedelta(minutes=10)).isoformat(), "refund without the word")],
            "match.csv")
    rows = project.alert_outbox("refunds")
    assert len(rows) == 1
    payload = json.loads(rows[0][3])
    assert [p["author"] for p in payload["posts"]] == ["ann"]
    assert payload["posts"][0]["text"].startswith("brandword refund now <b>please</b>")  # stays text in JSON
    # a second match within the quiet period is folded, one after it is a new alert
    _import(project, tmp_path, [(900_004, "dan", (at + timedelta(minutes=30)).isoformat(), "brandword refund?"),
                                (900_005, "eve", (at + timedelta(hours=3)).isoformat(), "brandword refund!")],
            "match2.csv")
    rows = project.alert_outbox("refunds")
    assert [json.loads(r[3])["posts"][0]["author"] for r in rows] == ["ann", "eve"]


# -- delivery ----------------------------------------------------------------------------------------------

def test_a_webhook_that_is_down_keeps_the_alert_until_it_is_back(project, tmp_path):
    port = _free_port()
    url = f"http://127.0.0.1:{port}/hook"
    project.add_alert_rule("refunds", topic="brand", kind="match", query="refund", to=[url])
    senders = project.alert_senders = {"webhook": WebhookSender(timeout=2)}
    t0 = project.clock()
    # the import evaluates the rule and tries to send: refused, kept
    _import(project, tmp_path, [(900_001, "ann", (END + timedelta(hours=1)).isoformat(), "brandword refund")], "m.csv")
    assert project.check_alerts(t0) == ([], [])  # nothing new, nothing due
    (row,) = project.alert_outbox()
    assert row[5] == 1 and row[7] is None and row[6] == t0 + timedelta(minutes=1) and "Connection" in row[8]
    assert project.deliver_alerts(t0 + timedelta(seconds=30), senders=senders) == []  # not due yet
    assert not project.deliver_alerts(t0 + timedelta(minutes=1), senders=senders)[0].ok
    (row,) = project.alert_outbox()
    assert row[5] == 2 and row[6] == t0 + timedelta(minutes=3)
    back = Receiver(port)
    try:
        sent = project.deliver_alerts(t0 + timedelta(minutes=5), senders=senders)
        assert [d.ok for d in sent] == [True]
        assert project.deliver_alerts(t0 + timedelta(hours=7), senders=senders) == []
        assert len(back.posts) == 1 and back.posts[0][2]["posts"][0]["author"] == "ann"
    finally:
        back.close()
    (row,) = project.alert_outbox()
    assert row[5] == 3 and row[7] == t0 + timedelta(minutes=5) and row[8] is None


def test_a_webhook_answering_an_error_is_retried(project, tmp_path):
    bad = Receiver(status=500)
    try:
        project.alert_senders = {"webhook": WebhookSender(timeout=2)}
        project.add_alert_rule("refunds", topic="brand", kind="match", query="refund", to=[bad.url])
        _import(project, tmp_path, [(900_001, "ann", (END + timedelta(hours=1)).isoformat(), "brandword refund")],
                "m.csv")
        (row,) = project.alert_outbox()
        assert len(bad.posts) == 1 and row[7] is None and row[5] == 1 and "500" in row[8]
    finally:
        bad.close()


def test_backoff_doubles_up_to_six_hours():
    assert [backoff(a) for a in range(4)] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert backoff(9) == timedelta(hours=6) and backoff(500) == timedelta(hours=6)


def test_an_email_alert_reaches_a_real_smtp_server(project, tmp_path):
    from aiosmtpd.controller import Controller

    class Handler:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            self.messages.append(envelope)
            return "250 OK"

    handler = Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        settings = load_settings(project.folder, {"LYSSNA_SMTP_HOST": "127.0.0.1",
                                                  "LYSSNA_SMTP_PORT": str(controller.port),
                                                  "LYSSNA_SMTP_FROM": "alerts@lyssna.test"})
        project.alert_senders = default_senders(settings)
        project.add_alert_rule("refunds", topic="brand", kind="match", query="refund", to=["ops@example.com"])
        _import(project, tmp_path, [(900_001, "ann", (END + timedelta(hours=1)).isoformat(), "brandword refund")],
                "m.csv")
    finally:
        controller.stop()
    (envelope,) = handler.messages
    assert envelope.mail_from == "alerts@lyssna.test" and envelope.rcpt_tos == ["ops@example.com"]
    message = message_from_bytes(envelope.content)
    assert message["Subject"].startswith("Lyssna alert: refunds")
    parts = {p.get_content_type(): p for p in message.walk()}
    assert "new post in topic brand" in parts["text/plain"].get_payload(decode=True).decode()
    assert json.loads(parts["application/json"].get_payload(decode=True))["posts"][0]["author"] == "ann"
    assert project.alert_outbox()[0][7] is not None


# -- the detector's state -------------------------------------------------------------------------------

def test_the_detector_state_round_trips_through_json():
    rng = np.random.default_rng(4)
    counts = rng.poisson(5, 24 * 12).astype(float)
    counts[200] += 60
    counts[230:240] = 0
    start = FIRST.timestamp()
    whole = SpikeDetector("hour", params=SpikeParams(directions=("up",)))
    expected = []
    for i, c in enumerate(counts):
        whole.update(start + i * 3600, c)
        expected += whole.emitted
    got, state = [], None
    for i, c in enumerate(counts):
        d = restore_detector(json.loads(json.dumps(state)) if state else None)
        d.update(start + i * 3600, c)
        got += d.emitted
        state = detector_state(d)
    assert got == expected and any(a.ongoing for a in expected)


# -- validation ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kw, message", [
    (dict(topic="nope", kind="spike", to=["log"]), "no topic named 'nope'"),
    (dict(topic="brand", kind="spike", to=["ftp://example.com/x"]), "http:// or https://"),
    (dict(topic="brand", kind="spike", to=["not an@address"]), "not an e-mail address"),
    (dict(topic="brand", kind="spike", to=["somewhere"]), "`log`, an http(s) webhook URL"),
    (dict(topic="brand", kind="spike", to=[]), "where to send"),
    (dict(topic="brand", kind="match", to=["log"]), "needs --query"),
    (dict(topic="brand", kind="spike", query="x", to=["log"]), "for 'match' rules only"),
    (dict(topic="brand", kind="trend", to=["log"]), "unknown kind"),
    (dict(topic="brand", kind="spike", to=["log"], quiet_minutes=-1), "quiet period"),
])
def test_invalid_rules_are_refused_clearly(project, kw, message):
    with pytest.raises(AlertError, match=None) as e:
        project.add_alert_rule("r", **kw)
    assert message in str(e.value)
    assert project.alert_rules() == []


def test_a_bad_query_and_a_taken_name_are_refused(project):
    with pytest.raises(QueryError) as e:
        project.add_alert_rule("r", topic="brand", kind="match", query="refund AND (", to=["log"])
    assert e.value.position is not None
    project.add_alert_rule("r", topic="brand", kind="spike", to=["log"])
    with pytest.raises(AlertError, match="exists already"):
        project.add_alert_rule("r", topic="brand", kind="spike", to=["log"])


# -- the CLI -----------------------------------------------------------------------------------------------

def test_the_cli_adds_lists_checks_and_removes(project, tmp_path):
    folder = str(project.folder)
    project.close()

    def invoke(*args):
        return CliRunner().invoke(alert, list(args), obj={"project": folder})

    r = invoke("add", "refunds", "--topic", "brand", "--kind", "match", "--query", "refund", "--to", "log",
               "--to", "https://hooks.example.com/x", "--quiet", "30")
    assert r.exit_code == 0, r.output
    r = invoke("list", "--json")
    assert json.loads(r.stdout)[0]["to"] == ["log", "https://hooks.example.com/x"]
    assert invoke("check", "--no-deliver").exit_code == 0
    r = invoke("remove", "refunds")
    assert r.exit_code == 0 and "Removed" in r.stdout
    assert json.loads(invoke("list", "--json").stdout) == []
    for command in ("add", "list", "remove", "check", "deliver", "outbox"):
        assert "Example" in invoke(command, "--help").stdout
    assert "Example" in CliRunner().invoke(alert, ["--help"]).stdout


def test_the_outbox_shows_what_waits_and_why(project, tmp_path):
    down = f"http://127.0.0.1:{_free_port()}/hook"  # nobody listens there
    project.alert_senders = {"log": LogSender(), "webhook": WebhookSender(timeout=2)}
    project.add_alert_rule("refunds", topic="brand", kind="match", query="refund", to=[down, "log"])
    _import(project, tmp_path, [(900_001, "ann", (END + timedelta(hours=1)).isoformat(), "brandword refund")], "m.csv")
    folder = str(project.folder)
    project.close()

    def invoke(*args):
        return CliRunner().invoke(alert, list(args), obj={"project": folder})

    waiting = json.loads(invoke("outbox", "--pending", "--json").stdout)
    assert [(w["rule"], w["channel"], w["attempts"], w["delivered_at"]) for w in waiting] == [
        ("refunds", down, 1, None)]
    assert "Connection" in waiting[0]["last_error"] and waiting[0]["next_attempt_at"] is not None
    assert waiting[0]["payload"]["posts"][0]["author"] == "ann"
    everything = json.loads(invoke("outbox", "--rule", "refunds", "--json").stdout)
    assert sorted(w["channel"] for w in everything) == sorted([down, "log"])
    table = invoke("outbox")
    assert table.exit_code == 0 and "refunds" in table.stdout and "new post in topic brand" in table.stdout


def test_a_failing_rule_never_fails_an_import(project, tmp_path, caplog):
    project.add_alert_rule("refunds", topic="brand", kind="match", query="refund", to=["log"])
    project.store.con.execute("UPDATE alert_state SET state = 'not json'")
    with caplog.at_level(logging.WARNING, logger="lyssna.alerts"):
        _import(project, tmp_path, [(900_001, "ann", (END + timedelta(hours=1)).isoformat(), "brandword refund")],
                "m.csv")
    assert project.store.count_posts() > DAYS * 24 * RATE * 0.8
    assert any("alert rules not evaluated after an import batch" in r.getMessage() for r in caplog.records)


# -- e-mail over TLS, with a login ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, made with the openssl command."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    return cert, key


def _tls_server(certificate, *, implicit: bool):
    """A real aiosmtpd server that requires TLS (STARTTLS, or TLS from the start) and a login."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    cert, key = certificate
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert, key)

    class Handler:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            self.messages.append((session.authenticated, envelope))
            return "250 OK"

    def authenticator(server, session, envelope, mechanism, auth_data):
        return AuthResult(success=(auth_data.login, auth_data.password) == (b"lyssna", b"s3cret"))

    handler = Handler()
    options = dict(authenticator=authenticator, auth_require_tls=True)
    if implicit:
        # (aiosmtpd counts only STARTTLS as TLS for auth_require_tls; here the whole connection is TLS)
        controller = Controller(handler, hostname="127.0.0.1", port=_free_port(), ssl_context=server_context,
                                **{**options, "auth_require_tls": False})
    else:
        controller = Controller(handler, hostname="127.0.0.1", port=_free_port(), tls_context=server_context,
                                require_starttls=True, **options)
    controller.start()
    return controller, handler


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_an_email_alert_goes_over_tls_with_a_login(project, tmp_path, certificate, security):
    controller, handler = _tls_server(certificate, implicit=security == "ssl")
    trust = ssl.create_default_context(cafile=str(certificate[0]))
    try:
        good = SmtpSender("127.0.0.1", controller.port, "alerts@lyssna.test", security=security,
                          username="lyssna", password="s3cret", ssl_context=trust)
        project.alert_senders = {"smtp": good}
        project.add_alert_rule("refunds", topic="brand", kind="match", query="refund", to=["ops@example.com"])
        _import(project, tmp_path, [(900_001, "ann", (END + timedelta(hours=1)).isoformat(), "brandword refund")],
                "m.csv")
        assert len(handler.messages) == 1 and handler.messages[0][0] is True, project.alert_outbox()[0][8]  # logged in
        # a wrong password, or a certificate nobody vouches for: not sent, kept with the reason, retried
        # (aiosmtpd answers a failed login by going quiet: the sender's timeout ends the attempt)
        wrong_password = SmtpSender("127.0.0.1", controller.port, "a@lyssna.test", security=security,
                                    username="lyssna", password="wrong", ssl_context=trust, timeout=2)
        untrusted = SmtpSender("127.0.0.1", controller.port, "a@lyssna.test", security=security,
                               username="lyssna", password="s3cret")  # the system's authorities only
        for i, (sender, reason) in enumerate([(wrong_password, "SMTP"),
                                              (untrusted, "CERTIFICATE_VERIFY_FAILED")]):
            project.alert_senders = {"smtp": sender}
            _import(project, tmp_path, [(900_100 + i, "bob", (END + timedelta(hours=5 + 4 * i)).isoformat(),
                                         f"brandword refund {reason}")], f"m-{reason}.csv")
            row = project.alert_outbox()[-1]
            assert row[7] is None and reason.lower() in (row[8] or "").lower(), row[8]
            project.store.con.execute("DELETE FROM alert_outbox WHERE id = ?", [row[0]])
    finally:
        controller.stop()
    assert len(handler.messages) == 1


def test_a_login_without_tls_is_refused():
    with pytest.raises(ValueError, match="never sent unencrypted"):
        SmtpSender("127.0.0.1", 25, security="none", username="u", password="p")
    with pytest.raises(lyssna.errors.ConfigError, match="smtp_security"):
        load_settings(Path("."), {"LYSSNA_SMTP_USER": "u"})


def test_a_term_already_rising_when_the_rule_is_added_is_history(project, tmp_path):
    # the hashtag rises in the last hours before the rule exists
    extra = [(END - timedelta(hours=3, minutes=-7 * i), text) for i, text in enumerate(_OUTAGE)]
    _import(project, tmp_path, _hours(np.random.default_rng(5), END - timedelta(hours=1), 1, 400_000, extra=extra),
            "before.csv")
    project.add_alert_rule("new words", topic="brand", kind="rising_term", to=["log"])
    _import(project, tmp_path, _new(hours=3), "after.csv")
    assert project.alert_outbox("new words") == []
    # a term that starts rising after it does alert
    later = [(END + timedelta(hours=4, minutes=7 * i), text.replace("#strömavbrott", "#elchock"))
             for i, text in enumerate(_OUTAGE)]
    _import(project, tmp_path, _hours(np.random.default_rng(6), END + timedelta(hours=3), 3, 500_000, extra=later),
            "later.csv")
    (row,) = project.alert_outbox("new words")
    assert json.loads(row[3])["term"] == "#elchock"
