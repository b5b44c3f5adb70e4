"""The checks every browser test relies on can fail: they are not silently empty."""

import pytest

from .axe import serious_accessibility_violations
from .conftest import watched_context

pytestmark = pytest.mark.browser

PAGE_WITH_INLINE_SCRIPT = "<!doctype html><title>t</title><script>window.ran = 1</script>"


def test_inline_script_blocked_by_csp_is_recorded(chromium):
    context, problems = watched_context(chromium)
    page = context.new_page()
    page.route(
        "http://newsroom.test/",
        lambda route: route.fulfill(
            body=PAGE_WITH_INLINE_SCRIPT,
            content_type="text/html",
            headers={"Content-Security-Policy": "script-src 'self'"},
        ),
    )
    page.goto("http://newsroom.test/")

    violations = problems.csp_violations()
    context.close()
    assert any("script-src" in violation for violation in violations)


def test_uncaught_script_error_is_recorded(chromium):
    context, problems = watched_context(chromium)
    page = context.new_page()
    page.set_content("<script>undefinedFunction()</script>")

    context.close()
    assert problems.script_errors


def test_axe_reports_an_unlabelled_form_field(chromium):
    context, _ = watched_context(chromium)
    page = context.new_page()
    page.set_content('<!doctype html><html lang="en"><title>t</title><main><input></main>')

    violations = serious_accessibility_violations(page)
    context.close()
    assert any("label" in violation for violation in violations)


def test_third_party_request_and_missing_stylesheet_are_recorded(chromium):
    context, problems = watched_context(chromium, base_url="http://newsroom.test")
    page = context.new_page()
    page.route(
        "http://newsroom.test/",
        lambda route: route.fulfill(
            body='<link rel="stylesheet" href="/missing.css">'
            '<img src="http://tracker.test/pixel.png" alt="">',
            content_type="text/html",
        ),
    )
    page.route("http://newsroom.test/missing.css", lambda route: route.fulfill(status=404))
    page.route("http://tracker.test/**", lambda route: route.fulfill(status=204))
    page.goto("/")

    context.close()
    assert problems.requests_elsewhere == ["http://tracker.test/pixel.png"]
    assert problems.broken_resources == ["404 http://newsroom.test/missing.css"]
