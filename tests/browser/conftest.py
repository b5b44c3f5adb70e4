"""Real-browser fixtures: Debian's Chromium driven by Playwright against live_server.

Playwright never downloads a browser here: it launches /usr/bin/chromium (make browser-deps
installs it). Every page opened through `open_page` records Content-Security-Policy
violations, uncaught script errors, requests to other sites and resources that failed to
load, and the test fails at teardown if there were any.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}

# Runs before any of the page's own scripts: keeps every CSP violation the page reports.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    event.violatedDirective + " blocked " + (event.blockedURI || "inline") +
    " at " + event.sourceFile + ":" + event.lineNumber
  );
});
"""


def pytest_collection_modifyitems(items):
    # Whoever runs the suite can leave the browser out (e.g. the second, PostgreSQL run).
    if os.environ.get("SKIP_BROWSER_TESTS"):
        skip = pytest.mark.skip(reason="SKIP_BROWSER_TESTS is set")
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="package")
def chromium():
    """One Chromium for the whole browser package, closed before other packages run.

    Playwright's sync API keeps an asyncio loop running in this thread, so Django would
    refuse ORM calls from the test as "async unsafe"; the tests here are plain synchronous
    code, so the documented switch is set, and only while the browser is up.
    """
    from playwright.sync_api import expect, sync_playwright

    # The machine is shared: give slow moments room before an expectation fails.
    expect.set_options(timeout=10_000)
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
    )
    try:
        yield browser
    finally:
        browser.close()
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class PageProblems:
    """What went wrong on the pages of one browser context, for the teardown check.

    With `origin` (the live server's URL), also every request that left our site (the
    site makes no third-party requests) and every stylesheet, script, image or font of
    ours that failed to load.
    """

    def __init__(self, origin=None):
        self.origin = origin
        self.console_csp = []
        self.script_errors = []
        self.requests_elsewhere = []
        self.broken_resources = []
        self.pages = []

    def watch(self, page):
        self.pages.append(page)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.script_errors.append(str(error)))
        if self.origin:
            page.on("request", self._on_request)
            page.on("response", self._on_response)

    def _on_request(self, request):
        if not request.url.startswith((self.origin + "/", "data:", "about:")):
            self.requests_elsewhere.append(request.url)

    def _on_response(self, response):
        if response.request.resource_type != "document" and response.status >= 400:
            self.broken_resources.append(f"{response.status} {response.url}")

    def _on_console(self, message):
        if "Content Security Policy" in message.text:
            self.console_csp.append(message.text)

    def csp_violations(self):
        found = list(self.console_csp)
        for page in self.pages:
            if not page.is_closed():
                found += page.evaluate("window.__cspViolations || []")
        return found


def watched_context(browser, **options):
    """A new browser context whose pages record CSP violations and script errors."""
    context = browser.new_context(**options)
    context.set_default_timeout(10_000)
    problems = PageProblems(origin=options.get("base_url"))
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    context.on("page", problems.watch)
    return context, problems


@pytest.fixture
def open_page(chromium, live_server):
    """Open a page in a fresh browser context (its own cookies, like another person).

    `open_page(path, javascript=True, viewport=DESKTOP, bypass_csp=False)`. bypass_csp is
    only for injecting axe-core; such contexts are left out of the CSP check.
    """
    contexts = []

    def open_(path="/", *, javascript=True, viewport=DESKTOP, bypass_csp=False):
        context, problems = watched_context(
            chromium,
            base_url=live_server.url,
            java_script_enabled=javascript,
            viewport=viewport,
            bypass_csp=bypass_csp,
        )
        contexts.append((context, problems, bypass_csp))
        page = context.new_page()
        if path is not None:
            response = page.goto(path)
            assert response.status == 200, f"GET {path} answered {response.status}"
        return page

    yield open_

    failures = []
    for context, problems, bypassed in contexts:
        if not bypassed:
            failures += [f"CSP violation: {v}" for v in problems.csp_violations()]
        failures += [f"script error: {e}" for e in problems.script_errors]
        failures += [f"request outside the site: {url}" for url in problems.requests_elsewhere]
        failures += [f"failed to load: {r}" for r in problems.broken_resources]
        context.close()
    assert not failures, "\n".join(failures)


@pytest.fixture
def screenshots_folder():
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS
