"""The hostile corpus, posted through the real form, approved, and rendered in Chromium.

Each payload tries to run `window.__xss = 1`. The page is opened twice: once as served,
with its Content-Security-Policy (any violation fails the test: it would mean a payload
reached the page as markup), and once with the CSP bypassed, so that the sanitiser alone
has to hold.
"""

import pytest
from django.test import Client
from playwright.sync_api import expect

from comments.models import Comment
from tests.comment_form import open_comment_form, send_comment_form
from tests.factories import ArticleFactory
from tests.hostile_input import BODIES, NAMES, SENTINEL, WEBSITES

from .pages import log_into_admin, make_moderator

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("instant_posting")]

# Everything on the page that could run script or fetch something, as one report.
FIND_DANGER = """() => {
  const problems = [];
  const safe = new Set(["http:", "https:", "mailto:"]);
  const urlAttributes = ["href", "src", "action", "formaction", "xlink:href", "data",
                         "poster", "background", "cite", "srcset", "ping"];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on")) problems.push(`${el.tagName} has ${name}`);
      if (name === "srcdoc") problems.push(`${el.tagName} has srcdoc`);
      if (urlAttributes.includes(name) && attr.value.trim() !== "") {
        let scheme;
        try { scheme = new URL(attr.value, document.baseURI).protocol; }
        catch (e) { continue; }  // not a URL at all: nothing to follow
        if (!safe.has(scheme)) problems.push(`${el.tagName} ${name}=${attr.value}`);
      }
    }
  }
  const comments = document.querySelector("#comments");
  for (const el of comments.querySelectorAll(
      "script, style, iframe, frame, object, embed, form, input, button, textarea, select, " +
      "svg, math, link, meta, base, template, video, audio, img, details, noscript")) {
    // The comment form is ours; everything else under #comments came from commenters.
    if (!el.closest("#respond")) problems.push(`a <${el.tagName.toLowerCase()}> in a comment`);
  }
  for (const el of document.querySelectorAll("meta[http-equiv], base")) {
    problems.push(`${el.outerHTML} on the page`);
  }
  for (const el of comments.querySelectorAll("*")) {
    const style = getComputedStyle(el);
    if (style.backgroundImage !== "none") problems.push(`${el.tagName} has a background image`);
  }
  return problems;
}"""

FIND_EVENT_HANDLERS = """() => [...document.querySelectorAll("*")].flatMap((el) =>
  [...el.attributes].filter((a) => a.name.startsWith("on")).map((a) => el.tagName + " " + a.name)
)"""


def post_hostile_corpus(article):
    """Every payload, posted through the article's own form; the values it refused.

    The form may turn a value away (400, with an inline error): that is a fine answer to
    hostile input. Whatever it accepts must then render harmlessly.
    """
    client = Client()
    # One form, sent many times: fetching the page again for each post would cost seconds.
    form = open_comment_form(client, article.get_absolute_url())
    benign = {"comment": "An ordinary comment.", "name": "Reader", "email": "r@readers.example"}
    refused = []
    posts = [(body, {"comment": body, "name": f"Body {n}"}) for n, body in enumerate(BODIES)]
    posts += [(name, {"comment": f"Name test {n}", "name": name}) for n, name in enumerate(NAMES)]
    posts += [(url, {"comment": f"Website test {n}", "url": url}) for n, url in enumerate(WEBSITES)]
    for payload, values in posts:
        response = send_comment_form(client, form, **{**benign, **values})
        assert response.status_code in (303, 400), f"{payload!r}: {response.status_code}"
        if response.status_code == 400:
            refused.append(payload)
    return refused


@pytest.fixture
def article():
    return ArticleFactory(title="Hostile input")


def test_no_hostile_comment_runs_script_or_carries_a_dangerous_link(open_page, article, settings):
    settings.COMMENTS_PER_PAGE = 500  # every comment on one page
    settings.COMMENTS_PAGE_MAX_COMMENTS = 500
    refused = post_hostile_corpus(article)
    # The form turns away every website that is not http(s); the rest are stored.
    assert "javascript:window.__xss=1" in refused
    assert "java\tscript:window.__xss=1" in refused
    assert "data:text/html,<script>window.__xss=1</script>" in refused
    comments = Comment.objects.filter(article=article)
    stored = comments.count()
    assert stored == len(BODIES) + len(NAMES) + len(WEBSITES) - len(refused)
    assert stored >= 40 + len(NAMES), f"only {stored} stored; refused: {refused!r}"
    comments.change_status(Comment.Status.APPROVED)

    for bypass_csp in (False, True):
        page = open_page(article.get_absolute_url(), bypass_csp=bypass_csp)
        expect(page.locator("#comments li.comment")).to_have_count(stored)
        page.mouse.move(200, 200)
        page.wait_for_timeout(200)  # let late-firing handlers (onerror, animations) fire

        assert page.evaluate(f"typeof window.{SENTINEL}") == "undefined"
        assert page.evaluate(FIND_DANGER) == []


def test_moderation_queue_shows_hostile_comments_without_running_them(open_page, article):
    post_hostile_corpus(article)
    page = open_page(None)
    log_into_admin(page, make_moderator())
    page.goto("/admin/comments/comment/")
    expect(page.locator("#result_list tbody tr").first).to_be_visible()
    page.wait_for_timeout(200)

    assert page.evaluate(f"typeof window.{SENTINEL}") == "undefined"
    assert page.evaluate(FIND_EVENT_HANDLERS) == []
