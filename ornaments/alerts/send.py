"""Blocking delivery of one alert by one channel, retried; run it in a thread, never on the reactor.

Errors come out as DeliveryError with a one-line reason that holds no URL and no password.
"""

from __future__ import annotations

import json
import logging
import smtplib
import ssl
import urllib.error
import urllib.request
from email.message import EmailMessage
from typing import Any, Callable

from ornaments import __version__
from ornaments.alerts.config import SmtpServer
from ornaments.retry import RetryPolicy, call_with_retries, one_line

TRANSIENT_HTTP = (408, 425, 429)


class DeliveryError(Exception):
    def __init__(self, reason: str, transient: bool):
        super().__init__(reason)
        self.transient = transient


def post_webhook(url: str, payload: dict[str, Any], timeout: float) -> None:
    request = urllib.request.Request(url, data=json.dumps(payload).encode("utf-8"), method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8",
                                              "User-Agent": f"ornaments-alerts/{__version__}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        # A 4xx (a revoked Slack hook answers 403/404) will not get better by asking again.
        raise DeliveryError(f"the webhook answered HTTP {exc.code}",
                            transient=exc.code >= 500 or exc.code in TRANSIENT_HTTP) from None
    except (urllib.error.URLError, OSError) as exc:  # refused, timed out, DNS, TLS
        reason = getattr(exc, "reason", exc)
        text = one_line(reason) if isinstance(reason, BaseException) else str(reason)
        raise DeliveryError(f"the webhook could not be reached: {text}", transient=True) from None


def send_email(server: SmtpServer, message: EmailMessage, timeout: float) -> None:
    context = ssl.create_default_context()
    try:
        if server.security == "ssl":
            client = smtplib.SMTP_SSL(server.host, server.port, timeout=timeout, context=context)
        else:
            client = smtplib.SMTP(server.host, server.port, timeout=timeout)
        with client:
            if server.security == "starttls":
                client.starttls(context=context)
            if server.user:
                client.login(server.user, server.password or "")
            refused = client.send_message(message)
    except smtplib.SMTPAuthenticationError as exc:
        raise DeliveryError(f"the SMTP server refused the login (SMTP {exc.smtp_code})", transient=False) from None
    except smtplib.SMTPRecipientsRefused as exc:
        raise DeliveryError(f"the SMTP server refused all {len(exc.recipients)} recipients", transient=False) from None
    except smtplib.SMTPResponseException as exc:  # 4xx: try again later; 5xx: it will not change
        raise DeliveryError(f"the SMTP server answered {exc.smtp_code}", transient=400 <= exc.smtp_code < 500) from None
    except (smtplib.SMTPException, ssl.SSLError, OSError) as exc:
        raise DeliveryError(f"the SMTP server could not be reached: {one_line(exc)}", transient=True) from None
    if refused:
        raise DeliveryError(f"the SMTP server refused {len(refused)} of the recipients", transient=False)


def deliver(send: Callable[[], None], policy: RetryPolicy, what: str) -> None:
    """send() with retries on transient errors; the retries are logged at INFO, as the caller logs
    the one WARNING if the alert is not delivered in the end."""
    call_with_retries(send, policy, lambda exc: isinstance(exc, DeliveryError) and exc.transient, what,
                      log_level=logging.INFO)
