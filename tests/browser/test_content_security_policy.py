"""Our pages are served with a Content-Security-Policy that stops inline script in a real
browser: the second line of defence should a payload ever slip past the sanitiser."""

import pytest

from tests.factories import ArticleFactory, CommentFactory

from .conftest import watched_context

pytestmark = pytest.mark.browser

INJECT_INLINE_SCRIPT = """() => {
  // What an XSS that got past the sanitiser would add to the page.
  document.body.insertAdjacentHTML("beforeend", '<img src="/x" onerror="window.__xss = 1">');
  const script = document.createElement("script");
  script.textContent = "window.__xss = 2";
  document.body.append(script);
}"""


@pytest.mark.parametrize("path", ["front", "article", "admin login"])
def test_csp_blocks_inline_script_injected_into_our_pages(chromium, live_server, path):
    article = ArticleFactory()
    CommentFactory(article=article)
    url = {"front": "/", "article": article.get_absolute_url(), "admin login": "/admin/login/"}
    context, problems = watched_context(chromium, base_url=live_server.url)
    page = context.new_page()

    response = page.goto(url[path])
    policy = response.headers.get("content-security-policy", "")
    page.evaluate(INJECT_INLINE_SCRIPT)
    # The broken image's error event, and so its blocked handler, comes asynchronously.
    page.wait_for_function("window.__cspViolations.length >= 2")

    sentinel = page.evaluate("typeof window.__xss")
    violations = problems.csp_violations()
    context.close()
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert sentinel == "undefined"
    assert len(violations) >= 2, violations
