"""A small Scrapyd HTTP client: basic auth from the settings, bounded retries on every call.

Connection errors, timeouts and 5xx answers are retried with backoff (ornaments.retry); a refused
login (401/403) or an error Scrapyd reports in its JSON answer is not, since trying again cannot help.
Credentials never appear in logs or error messages.
"""

from __future__ import annotations

import base64
import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Callable

from ornaments.retry import RetryPolicy, call_with_retries


class ScrapydError(Exception):
    """Scrapyd answered, but refused or failed the request."""


class AuthError(ScrapydError):
    """Scrapyd refused the credentials (HTTP 401/403)."""


class NodeUnavailable(Exception):
    """The node did not answer, even after retries.

    maybe_sent: a request that changes something (schedule.json) may have reached the node although
    no answer came back (a timeout, a 5xx), as opposed to a refused connection, which sent nothing.
    """

    def __init__(self, message: str, maybe_sent: bool = False):
        super().__init__(message)
        self.maybe_sent = maybe_sent


def _transient(exc: BaseException) -> bool:
    if isinstance(exc, NodeUnavailable):  # from the check before a retry
        return True
    if isinstance(exc, urllib.error.HTTPError):
        return exc.code >= 500 or exc.code == 429
    return isinstance(exc, (urllib.error.URLError, socket.timeout, ConnectionError, TimeoutError))


DEFAULT_NODE = "http://127.0.0.1:6800"  # the commands' node when neither --node nor SCRAPYD_NODES names one


def scrapyd_nodes(settings) -> tuple[str, ...]:
    """SCRAPYD_NODES (comma-separated in the environment or -s, or a list) as URLs: the one parser of it."""
    return tuple(url.strip() for url in settings.getlist("SCRAPYD_NODES") if url.strip())


def scrapyd_credentials(settings) -> tuple[str, str] | None:
    """(SCRAPYD_USERNAME, SCRAPYD_PASSWORD), or None when no user is set."""
    username = settings.get("SCRAPYD_USERNAME") or ""
    return (username, settings.get("SCRAPYD_PASSWORD") or "") if username else None


@dataclass
class ScrapydClient:
    url: str  # e.g. http://127.0.0.1:6800 (a trailing slash is dropped)
    auth: tuple[str, str] | None = field(default=None, repr=False)  # scrapyd_credentials(settings)
    timeout: float = 10.0
    retry: RetryPolicy = field(default_factory=lambda: RetryPolicy(attempts=3, backoff=0.5, max_backoff=5))

    def __post_init__(self) -> None:
        self.url = self.url.rstrip("/")

    # --- the endpoints the scheduler uses -------------------------------------------------------

    def daemon_status(self) -> dict[str, Any]:
        """{"pending": n, "running": n, "finished": n, ...}"""
        return self._call("daemonstatus.json")

    def list_jobs(self, project: str) -> dict[str, list[dict[str, Any]]]:
        return self._call("listjobs.json", query={"project": project})

    def list_projects(self) -> list[str]:
        return self._call("listprojects.json")["projects"]

    def schedule(self, project: str, spider: str, args: dict[str, str] | None = None,
                 settings: dict[str, str] | None = None, job_id: str | None = None) -> str:
        reserved = {"project", "spider", "setting", "jobid", "priority", "_version"} & set(args or {})
        if reserved:
            raise ValueError(f"spider arguments may not be named {', '.join(sorted(reserved))}")
        form: list[tuple[str, str]] = [("project", project), ("spider", spider)]
        form += [("setting", f"{k}={v}") for k, v in (settings or {}).items()]
        form += list((args or {}).items())
        if job_id:
            form.append(("jobid", job_id))
        # A retry after a timeout must not queue the run twice: first ask whether the job is there.
        already = (lambda: self.has_job(project, job_id, retry=RetryPolicy(attempts=1))) if job_id else None
        return self._call("schedule.json", form=form, before_retry=already)["jobid"]

    def has_job(self, project: str, job_id: str, retry: RetryPolicy | None = None) -> bool:
        jobs = self._call("listjobs.json", query={"project": project}, retry=retry)
        return any(job["id"] == job_id for state in ("pending", "running", "finished") for job in jobs.get(state, []))

    # --- plumbing --------------------------------------------------------------------------------

    def _call(self, endpoint: str, query: dict[str, str] | None = None, form: list[tuple[str, str]] | None = None,
              before_retry: Callable[[], bool] | None = None, retry: RetryPolicy | None = None) -> dict[str, Any]:
        url = f"{self.url}/{endpoint}"
        if query:
            url += "?" + urllib.parse.urlencode(query)
        data = urllib.parse.urlencode(form).encode() if form is not None else None

        tries = 0

        def once() -> dict[str, Any]:
            nonlocal tries
            tries += 1
            if tries > 1 and before_retry is not None and before_retry():
                return {"status": "ok", "jobid": dict(form or []).get("jobid")}
            request = urllib.request.Request(url, data=data)
            if self.auth:
                token = base64.b64encode(f"{self.auth[0]}:{self.auth[1]}".encode()).decode()
                request.add_header("Authorization", f"Basic {token}")
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read().decode("utf-8"))

        try:
            answer = call_with_retries(once, retry or self.retry, _transient, f"Scrapyd {url}")
        except urllib.error.HTTPError as exc:
            if exc.code in (401, 403):
                raise AuthError(f"{self.url} refused the credentials (HTTP {exc.code}); "
                                "check SCRAPYD_USERNAME and SCRAPYD_PASSWORD") from None
            if _transient(exc):
                raise NodeUnavailable(f"{url}: HTTP {exc.code}", maybe_sent=data is not None) from None
            raise ScrapydError(f"{url}: HTTP {exc.code}") from None
        except NodeUnavailable as exc:  # the check before a retry failed on the last try
            raise NodeUnavailable(str(exc), maybe_sent=data is not None) from None
        except (urllib.error.URLError, socket.timeout, ConnectionError, TimeoutError) as exc:
            reason = getattr(exc, "reason", exc)
            refused = isinstance(reason, ConnectionRefusedError) or isinstance(exc, ConnectionRefusedError)
            raise NodeUnavailable(f"{self.url} is unreachable: {reason}",
                                  maybe_sent=data is not None and not refused) from None
        except ValueError as exc:  # not JSON: not a Scrapyd, or a proxy's error page
            raise ScrapydError(f"{url}: the answer is not JSON ({exc})") from None
        if not isinstance(answer, dict) or answer.get("status") != "ok":
            message = answer.get("message") if isinstance(answer, dict) else answer
            raise ScrapydError(f"{url}: {message}")
        return answer
