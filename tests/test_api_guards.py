"""What every request of the API meets, on real uvicorn: control characters refused, security headers,
an access log without query values, wrong keys slowed per client, the Secure login cookie, offline docs."""

from __future__ import annotations

import re
import socket
import time

import pytest

from ornaments.api import auth, csrf
from tests.api_seed import item, sync
from tests.helpers import login_form


def raw_get(server, target: str) -> tuple[int, bytes]:
    """A GET of target exactly as written (httpx would re-encode it)."""
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    return int(data.split(b" ", 2)[1]), data


def test_control_characters_in_parameters_and_paths_get_400(api_server, api_keys, store):
    sync(store, [item(1)])
    client = api_server.client(api_keys["read"])
    for target in ("/products?q=%00", "/products?vendor=a%00b", "/runs?status=%00", "/products?q=%1F",
                   "/products?q=tab%09tab", "/products?cursor=%7F", "/products/%00/x", "/products/shop/%01",
                   "/products/shop/x%00/prices", "/ui/products?q=%00", "/products?q%00=1", "/events?vendor=%0A"):
        answer = client.get(target)
        assert (answer.status_code, "control character" in answer.json()["error"]) == (400, True), target
        assert answer.headers["x-content-type-options"] == "nosniff"
    assert raw_get(api_server, "/products?q=\x01")[0] == 400  # sent unencoded too
    assert client.get("/products", params={"q": "Ornament"}).status_code == 200  # ordinary text passes
    assert client.get("/products", params={"q": "Nº ™ ü"}).status_code == 200
    log = api_server.log()
    assert "Traceback" not in log and " 500" not in log


def test_the_access_log_shows_no_query_values(api_server, api_keys):
    secret = api_keys["write"]
    for target in (f"/products?x-api-key={secret}", f"/products?api%5Fkey={secret}", f"/products;api_key={secret}",
                   f"/products?limit=5&token={secret}", f"/products?{secret}", f"/health?X-API-KEY={secret}&a=1"):
        raw_get(api_server, target)
    time.sleep(0.3)
    log = api_server.log()
    assert secret not in log and secret[:12] not in log
    assert "GET /products?x-api-key=… HTTP/1.1" in log and "GET /products?limit=…&token=… HTTP/1.1" in log
    assert "GET /products?… HTTP/1.1" in log and "GET /products;… HTTP/1.1" in log


def test_every_response_carries_the_security_headers(api_server, api_keys):
    # The paths on one server (an API start per path was most of this test's time).
    for path in ("/products", "/ui/login", "/health", "/nowhere", "/docs", "/openapi.json"):
        headers = api_server.client(api_keys["read"]).get(path).headers
        policy = headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy and "default-src 'self'" in policy and "object-src 'none'" in policy, \
            path
        assert "unsafe-inline" not in policy.split("script-src", 1)[1].split(";")[0], path  # no inline script
        assert (headers["x-frame-options"], headers["x-content-type-options"], headers["referrer-policy"]) == \
            ("DENY", "nosniff", "same-origin"), path
    assert api_server.client().get("/products").headers["x-frame-options"] == "DENY"  # a 401 too


@pytest.mark.api_env(ORNAMENTS_API_SECURE_COOKIES=None)
def test_the_login_cookie_is_secure_by_default(api_server, api_keys):
    client = api_server.client()
    form = login_form(client, api_keys["read"])
    # The form's nonce cookie is Secure too: a browser keeps it for http://127.0.0.1 (a secure context),
    # httpx does not, so it is sent by hand.
    nonce = next(c.value for c in client.cookies.jar if c.name == csrf.CSRF_COOKIE)
    answer = client.post("/ui/login", data=form, headers={"Cookie": f"{csrf.CSRF_COOKIE}={nonce}"})
    assert answer.status_code == 303
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"{auth.SESSION_COOKIE}=")
    assert {"secure", "httponly", "samesite=lax"} <= {part.strip().lower() for part in cookie.split(";")}


@pytest.mark.api_env(ORNAMENTS_API_AUTH_FAILURES="5", ORNAMENTS_API_AUTH_WINDOW="3")
def test_repeated_wrong_keys_from_a_client_get_429_with_retry_after(api_server, api_keys):
    client = api_server.client()
    answers = [client.get("/products", headers={"X-API-Key": f"orn_guess{i}"}).status_code for i in range(5)]
    assert answers == [401] * 5
    slowed = client.get("/products", headers={"Authorization": "Bearer orn_guess6"})
    assert slowed.status_code == 429 and 1 <= int(slowed.headers["retry-after"]) <= 3
    # While it waits, even the right key is not looked at (a guesser learns nothing), and the login
    # form is held back the same way.
    assert client.get("/products", headers={"X-API-Key": api_keys["read"]}).status_code == 429
    login = client.post("/ui/login", data=login_form(client, api_keys["read"]))
    assert login.status_code == 429 and "retry-after" in login.headers
    assert client.get("/health").status_code == 200  # what needs no key still answers
    time.sleep(int(slowed.headers["retry-after"]) + 0.5)
    assert client.get("/products", headers={"X-API-Key": api_keys["read"]}).status_code == 200


@pytest.mark.api_env(ORNAMENTS_API_AUTH_FAILURES="3", ORNAMENTS_API_AUTH_WINDOW="60")
def test_wrong_keys_through_the_login_form_are_limited_too(api_server, api_keys):
    client = api_server.client()
    for i in range(3):
        answer = client.post("/ui/login", data=login_form(client, f"orn_guess{i}"))
        assert answer.status_code == 303 and "failed=1" in answer.headers["location"]
    answer = client.post("/ui/login", data=login_form(client, "orn_guess4"))
    assert answer.status_code == 429 and int(answer.headers["retry-after"]) > 50
    assert client.get("/products", headers={"X-API-Key": api_keys["read"]}).status_code == 429


def test_the_docs_are_served_without_internet(api_server):
    client = api_server.client()
    page = client.get("/docs")
    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(s.startswith("/") for s in sources), sources  # nothing from a CDN
    assert "<script>" not in page.text  # no inline script: the policy would block it
    for source in sources:
        asset = client.get(source)
        assert asset.status_code == 200 and len(asset.content) > 100, source
    assert client.get("/docs/assets/swagger-ui-bundle.js").headers["content-type"].startswith(
        ("text/javascript", "application/javascript"))
    assert "/imports" in client.get("/openapi.json").json()["paths"]


def test_the_docs_render_in_chromium_offline_under_the_policy(api_server, api_keys):
    """Swagger UI draws the endpoints with every request outside the API blocked (no internet), and the
    Content-Security-Policy refuses nothing it needs."""
    from tests.browser import in_browser

    def check(page) -> None:
        outside, refused = [], []
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(api_server.url)
                   else (outside.append(route.request.url), route.abort()))
        page.on("console", lambda message: refused.append(message.text)
                if "Content Security Policy" in message.text else None)
        page.goto(f"{api_server.url}/docs")
        page.wait_for_selector(".opblock-summary-path[data-path='/imports']", timeout=30_000)
        assert page.locator(".opblock").count() > 5
        assert outside == [] and refused == [], (outside, refused)

    in_browser(check)


def test_a_page_address_with_a_wrong_part_is_a_page_not_json(api_server, api_keys):
    """/ui/runs/abc answered the API's JSON 422 in a person's browser; the API's own paths keep JSON."""
    client = api_server.client(api_keys["read"])
    answer = client.get("/ui/runs/abc")
    assert answer.status_code == 404 and answer.headers["content-type"].startswith("text/html"), answer.text
    assert "Not found" in answer.text and "/ui/runs/abc" in answer.text
    answer = client.get("/runs/abc")
    assert answer.status_code == 422 and "run_id" in answer.json()["error"]
