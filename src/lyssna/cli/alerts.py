"""``lyssna alert …``: alert rules per topic, and delivering their alerts (see :mod:`lyssna.alerts`)."""

from __future__ import annotations

import click
from rich.markup import escape
from rich.table import Table

from ..alerts import KINDS, AlertRule
from .context import emit_json, err, out, project_from

__all__ = ["alert"]


def _channel(channel: str) -> str:
    return channel.partition(":")[2] if ":" in channel and channel != "log" else channel


def _rule_dict(r: AlertRule) -> dict:
    return {"name": r.name, "topic": r.topic, "kind": r.kind, "query": r.query,
            "to": [_channel(c) for c in r.channels], "quiet_minutes": r.quiet_minutes, "created_at": r.created_at}


@click.group()
def alert() -> None:
    """Alert rules: a spike, a negative surge or a new matching post in a topic, sent to the log, a
    webhook or an e-mail address, with a quiet period so that one event is one alert.

    \b
    Examples:
      lyssna alert add brand-spike --topic norrsken --kind spike --to https://hooks.example.com/lyssna
      lyssna alert check
    """


@alert.command("add")
@click.argument("name")
@click.option("--topic", required=True, help="The topic the rule watches.")
@click.option("--kind", type=click.Choice(KINDS), required=True,
              help="spike: unusually many posts in an hour; negative_surge: unusually many negative posts; "
                   "rising_term: a phrase or hashtag rising against its own baseline (24 hours against the 28 "
                   "days before); match: any new post of the topic that also matches --query.")
@click.option("--query", metavar="QUERY", help="For --kind match: a query in the boolean language.")
@click.option("--to", "to", multiple=True, required=True, metavar="log|URL|EMAIL",
              help="Where to send alerts: log, an http(s) webhook URL or an e-mail address (repeatable).")
@click.option("--quiet", "quiet", type=int, default=60, show_default=True, metavar="MINUTES",
              help="Events within this many minutes of the rule's previous alert are folded into it.")
@click.pass_context
def alert_add(ctx: click.Context, name: str, topic: str, kind: str, query: str | None, to: tuple[str, ...],
              quiet: int) -> None:
    """Save an alert rule. Posts already in the store are history: the rule alerts on what comes after.

    \b
    Examples:
      lyssna alert add brand-spike --topic norrsken --kind spike --to log --to ops@example.com
      lyssna alert add refunds --topic norrsken --kind match --query 'refund OR "money back"' \\
          --to https://hooks.example.com/lyssna --quiet 30
    """
    with project_from(ctx) as project:
        rule = project.add_alert_rule(name, topic=topic, kind=kind, to=to, query=query, quiet_minutes=quiet)
        out.print(f"Added alert rule {escape(rule.name)}: {rule.kind} in {escape(rule.topic)} → "
                  f"{escape(', '.join(_channel(c) for c in rule.channels))} (quiet {rule.quiet_minutes} min).")


@alert.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def alert_list(ctx: click.Context, as_json: bool) -> None:
    """The alert rules, by name.

    \b
    Example:
      lyssna alert list --json
    """
    with project_from(ctx) as project:
        rules = project.alert_rules()
        if as_json:
            emit_json([_rule_dict(r) for r in rules])
            return
        if not rules:
            out.print("No alert rules yet. Add one with: lyssna alert add NAME --topic T --kind spike --to log")
            return
        table = Table("rule", "topic", "kind", "query", "to", "quiet", title_justify="left")
        for r in rules:
            table.add_row(escape(r.name), escape(r.topic), r.kind, escape(r.query or ""),
                          escape(", ".join(_channel(c) for c in r.channels)), f"{r.quiet_minutes} min")
        out.print(table)


@alert.command("outbox")
@click.option("--rule", "rule_name", metavar="NAME", help="Only this rule's alerts.")
@click.option("--pending", is_flag=True, help="Only the alerts not delivered yet.")
@click.option("--limit", type=click.IntRange(1, 100_000), default=50, show_default=True, help="The newest this many.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON (with each alert's payload).")
@click.pass_context
def alert_outbox(ctx: click.Context, rule_name: str | None, pending: bool, limit: int, as_json: bool) -> None:
    """The alerts written so far, one row per channel, newest last: when, to where, how many attempts,
    whether delivered, the last error and when the next try is due. Undelivered alerts are kept and
    retried; nothing here is lost while a receiver is down.

    \b
    Example:
      lyssna alert outbox --pending
      lyssna alert outbox --rule brand-spike --json
    """
    import json

    with project_from(ctx) as project:
        names = {r.id: r.name for r in project.alert_rules()}
        rows = project.alert_outbox(rule_name)
    rows = [r for r in rows if not pending or r[7] is None][-limit:]
    if as_json:
        emit_json([{"id": i, "rule": names.get(rule_id), "channel": _channel(channel), "created_at": created,
                    "attempts": attempts, "next_attempt_at": None if delivered else next_at, "delivered_at": delivered,
                    "last_error": error, "payload": json.loads(payload)}
                   for i, rule_id, channel, payload, created, attempts, next_at, delivered, error in rows])
        return
    if not rows:
        err.print("No alerts" + (" waiting" if pending else "") + (f" for rule {escape(rule_name)}" if rule_name else "")
                  + ".")
        return
    table = Table("id", "rule", "to", "written", "attempts", "delivered", "next try", "last error", "summary",
                  title_justify="left")
    for i, rule_id, channel, payload, created, attempts, next_at, delivered, error in rows:
        table.add_row(str(i), escape(names.get(rule_id, "?")), escape(_channel(channel)), f"{created:%Y-%m-%d %H:%M}",
                      str(attempts), f"{delivered:%Y-%m-%d %H:%M}" if delivered else "no",
                      "" if delivered else f"{next_at:%Y-%m-%d %H:%M}", escape((error or "")[:80]),
                      escape(json.loads(payload).get("summary", "")[:120]))
    out.print(table)


@alert.command("remove")
@click.argument("name")
@click.pass_context
def alert_remove(ctx: click.Context, name: str) -> None:
    """Delete an alert rule and its undelivered alerts.

    \b
    Example:
      lyssna alert remove brand-spike
    """
    with project_from(ctx) as project:
        rule = project.remove_alert_rule(name)
        out.print(f"Removed alert rule {escape(rule.name)}.")


def _report_deliveries(deliveries) -> None:
    for d in deliveries:
        if not d.ok:
            err.print(f"[yellow]not delivered[/yellow] to {escape(_channel(d.channel))}: {escape(d.error or '')} "
                      "(kept; retried later with `lyssna alert deliver`)")


@alert.command("check")
@click.option("--no-deliver", is_flag=True, help="Only evaluate: leave the alerts in the outbox.")
@click.pass_context
def alert_check(ctx: click.Context, no_deliver: bool) -> None:
    """Evaluate every rule on what arrived since its last run, print what fired and deliver it.

    \b
    Example:
      lyssna alert check
    """
    with project_from(ctx) as project:
        fired, sent = project.check_alerts(deliver=not no_deliver)
        for a in fired:
            out.print(escape(a.payload.get("summary", "")))
        if not fired:
            err.print("No new alerts.")
        _report_deliveries(sent)


@alert.command("deliver")
@click.pass_context
def alert_deliver(ctx: click.Context) -> None:
    """Send the alerts waiting in the outbox whose next attempt is due (failed ones are retried with
    backoff: 1 minute, doubling, at most 6 hours).

    \b
    Example:
      lyssna alert deliver
    """
    with project_from(ctx) as project:
        sent = project.deliver_alerts()
        ok = sum(d.ok for d in sent)
        err.print(f"Delivered {ok} of {len(sent)} due alert messages.")
        _report_deliveries(sent)
