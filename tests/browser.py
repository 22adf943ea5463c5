"""Browser helpers for the page tests: Chromium through Playwright's sync API (in a thread of its own),
following a link, logging in, serving the pages under a strict Content-Security-Policy and another site's
page that submits a form to us. One home: the test modules import these from here, never from each other."""

from __future__ import annotations

import threading
from typing import Callable

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-default-apps", "--disable-sync", "--no-first-run"]
EVIL = "http://evil.example"  # another site: Playwright serves its page, the browser posts to the API
# What a strict policy allows (the API's own headers may add more): the pages must work under it.
STRICT_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'"


def in_browser(check: Callable) -> None:
    """Run check(page) with Playwright's sync API in a thread of its own (the test thread has a running
    asyncio loop, pytest-twisted's reactor, which the sync API refuses to share)."""
    failure: list[BaseException] = []

    def run() -> None:
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                                     args=CHROMIUM_ARGS)
                try:
                    page = browser.new_page(viewport={"width": 1100, "height": 900})
                    check(page)
                finally:
                    browser.close()
        except BaseException as exc:  # re-raised in the test thread
            failure.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(120)
    assert not thread.is_alive(), "the browser check did not end within 120 s"
    if failure:
        raise failure[0]


def follow(page, selector: str) -> None:
    """Click a link or a form's button and wait until the page it leads to has loaded: a click returns once
    the navigation has begun, and a count() or is_visible() straight after it may read an empty page."""
    with page.expect_navigation():
        page.click(selector)


def log_in(page, base: str, key: str, target: str = "/ui/runs") -> None:
    page.goto(f"{base}/ui/login?next={target}")
    page.fill("input[name=key]", key)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}{target}")


def enforce_csp(page, base: str) -> list[str]:
    """Serve every page of the API with STRICT_CSP; returns the list the browser's CSP complaints go to."""
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)

    def with_policy(route) -> None:
        if route.request.resource_type != "document":  # the policy is the page's; a stream must flow on
            route.continue_()
            return
        response = route.fetch(max_redirects=0)
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": STRICT_CSP})

    page.route(f"{base}/**", with_policy)
    return violations


def post_from_another_site(page, action: str, name: str, fields: dict[str, str] | None = None) -> None:
    """Another site's page (EVIL/name) submits a form (fields) to action as soon as it loads; waits for the POST."""
    inputs = "".join(f'<input name="{k}" value="{v}">' for k, v in (fields or {}).items())
    page.route(f"{EVIL}/**", lambda route: route.fulfill(content_type="text/html", body=(
        f'<form id="f" method="post" action="{action}">{inputs}</form>'
        f'<script>document.getElementById("f").submit()</script>')))
    page.goto(f"{EVIL}/{name}")
    page.wait_for_url(action)
