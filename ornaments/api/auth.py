"""API keys: made and revoked by `scrapy apikeys`, stored as their sha256, sent as `Authorization: Bearer
<key>` or `X-API-Key: <key>`; the pages also take a signed login cookie. A missing, wrong or revoked key
gets 401 with no detail; a read-only key asking to write gets 403. Keys are never logged."""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import re
import threading
import time
from collections import OrderedDict, deque
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from fastapi import HTTPException, Request

from ornaments.retry import one_line
from ornaments.clock import utcnow
from ornaments.api.ids import MAX_ID
from ornaments.api.keys import hash_key
from ornaments.storage.schema import api_keys

logger = logging.getLogger(__name__)

SCOPES = ("read", "write")
SESSION_COOKIE = "ornaments_session"
LAST_USED_EVERY = timedelta(minutes=1)  # last_used_at is written at most this often per key
_COOKIE_NUMBER = re.compile(r"[0-9]{1,19}")


class Unauthorized(HTTPException):
    def __init__(self) -> None:
        super().__init__(401, "unauthorized", headers={"WWW-Authenticate": "Bearer"})


@dataclass(frozen=True)
class Caller:
    key_id: int
    name: str
    scopes: frozenset[str]
    source: str | None = None  # the vendor an upload with this key is stored under unless it names one


def presented_key(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.headers.get("x-api-key") or None


def _caller_of(row: sa.Row) -> Caller:
    return Caller(int(row.id), row.name, frozenset(row.scopes.split(",")), row.default_source)


def lookup_key(db, key: str) -> Caller | None:
    digest = hash_key(key)

    def find(conn: sa.Connection):
        return conn.execute(sa.select(api_keys).where(api_keys.c.key_hash == digest)).first()

    row = db.read(find, "checking an API key")
    # The lookup is by the hash's index; compare in constant time as well, and refuse revoked keys.
    if row is None or not hmac.compare_digest(row.key_hash, digest) or row.revoked_at is not None:
        return None
    last = row.last_used_at
    if last is not None and last.tzinfo is None:
        last = last.replace(tzinfo=utcnow().tzinfo)
    if last is None or utcnow() - last > LAST_USED_EVERY:
        _touch(db, int(row.id))
    return _caller_of(row)


_touched: dict[int, float] = {}  # key id -> when this process last wrote its last_used_at (monotonic)
_touched_lock = threading.Lock()


def _touch(db, key_id: int) -> None:
    """Write last_used_at in the background: on SQLite a write waits for a sync's batch to commit, and a
    request must not wait for that. Best effort: a failed write is logged and forgotten."""
    now = time.monotonic()
    with _touched_lock:
        if now - _touched.get(key_id, float("-inf")) < LAST_USED_EVERY.total_seconds():
            return
        _touched[key_id] = now

    def write() -> None:
        try:
            db.write(lambda conn: conn.execute(api_keys.update().where(api_keys.c.id == key_id)
                                               .values(last_used_at=utcnow())), "recording an API key's use")
        except Exception as exc:
            logger.warning("Could not record the use of API key %s: %s", key_id, one_line(exc))

    threading.Thread(target=write, name=f"key-{key_id}-used", daemon=True).start()


# --- wrong keys: a client that keeps guessing waits ----------------------------------------------------

class TooManyFailures(HTTPException):
    def __init__(self, retry_after: int) -> None:
        super().__init__(429, "too many wrong keys from this client; try again later",
                         headers={"Retry-After": str(retry_after)})


class FailureLimiter:
    """Wrong keys per client (its address) in a sliding window: past `limit` of them within `window`
    seconds, every key the client sends is refused with 429 and Retry-After, right or wrong, until the
    oldest failure leaves the window. In memory, per API process; at most MAX_CLIENTS are remembered."""

    MAX_CLIENTS = 10_000

    def __init__(self, limit: int, window: float):
        self.limit = limit
        self.window = window
        self.failures: OrderedDict[str, deque[float]] = OrderedDict()
        self.lock = threading.Lock()

    def _recent(self, client: str, now: float) -> deque[float]:
        times = self.failures.get(client)
        if times is None:
            return deque()
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            del self.failures[client]
        return times

    def check(self, client: str) -> None:
        """Raise TooManyFailures when the client must wait."""
        now = time.monotonic()
        with self.lock:
            times = self._recent(client, now)
            if len(times) >= self.limit:
                raise TooManyFailures(max(1, math.ceil(times[0] + self.window - now)))

    def failed(self, client: str) -> None:
        now = time.monotonic()
        with self.lock:
            times = self.failures.setdefault(client, deque())
            times.append(now)
            self.failures.move_to_end(client)
            while len(times) > self.limit:
                times.popleft()
            while len(self.failures) > self.MAX_CLIENTS:
                self.failures.popitem(last=False)


def client_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def check_key(request: Request, key: str) -> Caller | None:
    """The caller a key belongs to, or None for a wrong, revoked or unknown key, which counts against
    the client; raises TooManyFailures (429) for a client that has sent too many wrong keys. The API's
    keys and the login form both go through here."""
    limiter: FailureLimiter = request.app.state.auth_failures
    client = client_of(request)
    limiter.check(client)
    caller = lookup_key(request.app.state.db, key)
    if caller is None:
        limiter.failed(client)
        logger.warning("A wrong or revoked API key from %s", client)
    return caller


# --- the pages' login cookie: key id, expiry and an HMAC over both and the key's hash --------------

def session_cookie(secret: bytes, key_id: int, key_hash: str, hours: float) -> str:
    expires = int(time.time() + hours * 3600)
    return f"{key_id}.{expires}.{_sign(secret, key_id, expires, key_hash)}"


def _sign(secret: bytes, key_id: int, expires: int, key_hash: str) -> str:
    return hmac.new(secret, f"{key_id}.{expires}.{key_hash}".encode(), hashlib.sha256).hexdigest()


def caller_from_cookie(db, secret: bytes, cookie: str) -> Caller | None:
    parts = cookie.split(".")
    # ASCII digits, at most a BIGINT: str.isdigit() also passed "²" (int() then failed: a 500), and a key id
    # beyond BIGINT reached SQLite as "Python int too large" (a 500) before the signature was checked.
    if len(parts) != 3 or not all(_COOKIE_NUMBER.fullmatch(p) and int(p) <= MAX_ID for p in parts[:2]) \
            or int(parts[1]) < time.time():
        return None
    key_id, expires = int(parts[0]), int(parts[1])
    row = db.read(lambda conn: conn.execute(sa.select(api_keys).where(api_keys.c.id == key_id)).first(),
                  "checking a login")
    if row is None or row.revoked_at is not None:
        return None
    if not hmac.compare_digest(parts[2], _sign(secret, key_id, expires, row.key_hash)):
        return None
    return _caller_of(row)


def authenticate(request: Request, allow_cookie: bool = False) -> Caller:
    state = request.app.state
    key = presented_key(request)
    caller = check_key(request, key) if key else None
    if caller is None and allow_cookie and not key:
        cookie = request.cookies.get(SESSION_COOKIE)
        caller = caller_from_cookie(state.db, state.config.session_secret, cookie) if cookie else None
    if caller is None:
        raise Unauthorized()
    request.state.caller = caller
    return caller


def require_read(request: Request) -> Caller:
    """FastAPI dependency of every read endpoint: a key, or the pages' login cookie (links from the pages
    to the JSON work in the browser)."""
    return authenticate(request, allow_cookie=True)


def require_write(request: Request) -> Caller:
    """Writes (uploads, review decisions, watches) take a key only: a cookie would let another site's form
    post on a logged-in user's behalf. A read-only key's 403 names what it asked for, whatever it was."""
    caller = authenticate(request)
    if "write" not in caller.scopes:
        raise HTTPException(403, f"this API key may only read; {request.method} {request.url.path[:200]} needs "
                                 "the write scope (a key made with `scrapy apikeys create --write`)")
    return caller
