"""What an alert says: one summary line (the webhook's text, the mail's first line) and the details."""

from __future__ import annotations

import re
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from ornaments.signals import RunReport

MAX_REASONS_IN_LINE = 3
MAX_REASON_CHARS = 200


def _clean(text: object, limit: int = MAX_REASON_CHARS) -> str:
    """One line: control characters (a header injection, a broken Slack line) become spaces."""
    line = re.sub(r"[\x00-\x1f\x7f]+", " ", str(text)).strip()
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _run_name(report: RunReport) -> str:
    return f"run {report.run_id}" if report.run_id is not None else "run not recorded"


def summary_text(report: RunReport) -> str:
    """e.g. `ornaments: google_merchant sync failed (run 12): the feed could not be read; new 0,
    updated 0; 120 removals held back`"""
    parts = [f"ornaments: {_clean(report.vendor)} sync {_clean(report.status)} ({_run_name(report)})"]
    reasons = [_clean(r) for r in report.reasons[:MAX_REASONS_IN_LINE]]
    if len(report.reasons) > MAX_REASONS_IN_LINE:
        reasons.append(f"and {len(report.reasons) - MAX_REASONS_IN_LINE} more")
    line = parts[0] + ": " + ("; ".join(reasons) if reasons else "no reason recorded")
    if report.counts:
        line += "; " + ", ".join(f"{_clean(k, 40)} {v}" for k, v in report.counts.items())
    if report.held_back_removals:
        line += f"; {report.held_back_removals} removals held back"
    return line


def webhook_payload(report: RunReport) -> dict[str, Any]:
    """A Slack-compatible incoming-webhook body (`text`) carrying the run's facts for other receivers."""
    return {"text": summary_text(report), "run_id": report.run_id, "vendor": report.vendor,
            "spider": report.spider, "status": report.status, "reasons": list(report.reasons),
            "counts": dict(report.counts), "held_back_removals": report.held_back_removals,
            "started_at": report.started_at, "finished_at": report.finished_at}


def email_subject(report: RunReport) -> str:
    subject = f"[ornaments] {_clean(report.vendor, 80)}: {_run_name(report)} {_clean(report.status, 20)}"
    if report.held_back_removals:
        subject += f", {report.held_back_removals} removals held back"
    return subject


def email_message(report: RunReport, sender: str, recipients: tuple[str, ...]) -> EmailMessage:
    lines = [summary_text(report), "",
             f"Vendor:   {report.vendor}", f"Spider:   {report.spider}", f"Run:      {report.run_id}",
             f"Status:   {report.status}", f"Started:  {report.started_at or '-'}",
             f"Finished: {report.finished_at or '-'}", "", "Reasons:"]
    lines += [f"  - {_clean(r, 1000)}" for r in report.reasons] or ["  (none recorded)"]
    if report.counts:
        lines += ["", "Counts:"] + [f"  {k}: {v}" for k, v in report.counts.items()]
    if report.held_back_removals:
        lines += ["", f"Removals held back by the guard: {report.held_back_removals} products were not marked "
                      "removed. Check the feed, then let a complete run mark them."]
    message = EmailMessage()
    message["Subject"] = email_subject(report)
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content("\n".join(lines) + "\n")
    return message
