"""Commenters' email addresses never appear in any public response.

A crawl of a seeded site, as an anonymous visitor: the front page, every page and feed
reached by following links (including comment pages, reply links and permalinks), the
sitemap, robots.txt and a 404, searched for any commenter's address.
"""

import re
import time
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.http import HttpRequest
from django.template import Context
from django.test import Client
from django.urls import reverse

from comments.forms import issue_timestamp
from comments.models import Comment
from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory, CommentFactory

pytestmark = pytest.mark.django_db

# Distinctive local parts: found in any spelling of the address (escaped, %-encoded...).
SECRET = "zq-private"
LOCAL_HOSTS = {"", "testserver", "localhost", "127.0.0.1", "example.com"}
NOT_PUBLIC = ("/admin/", "/static/")
MAX_PAGES = 400


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in {"href", "src", "action"} and value:
                self.links.append(value)


def links_in(response):
    body = response.content.decode()
    if "html" in response.get("Content-Type", ""):
        parser = _Links()
        parser.feed(body)
        return parser.links
    # Feeds and sitemaps.
    return re.findall(r"<(?:link|loc|guid|comments)>([^<]+)</", body) + re.findall(
        r'href="([^"]+)"', body
    )


def seed_site():
    category = CategoryFactory(name="City")
    author = AuthorFactory(name="Dana Reporter")
    articles = [ArticleFactory(category=category, authors=[author]) for _ in range(3)]
    closed = ArticleFactory(category=category, comments_open=False)
    n = 0
    for article in [*articles, closed]:
        previous = None
        for status in (
            Comment.Status.APPROVED,
            Comment.Status.APPROVED,
            Comment.Status.APPROVED,
            Comment.Status.PENDING,
            Comment.Status.SPAM,
            Comment.Status.REMOVED,
        ):
            n += 1
            previous = CommentFactory(
                article=article,
                parent=previous if status == Comment.Status.APPROVED and n % 3 else None,
                status=status,
                author_name=f"Commenter {n}",
                author_email=f"{SECRET}-{n}@mail.example",
                author_url="https://commenter.example/" if n % 2 else "",
            )
    return articles, closed, category, author


def crawl(client, start):
    seen = {}
    queue = deque(start)
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response
        if response.status_code in (301, 302, 303, 307, 308):
            found = [response["Location"]]
        elif response.status_code == 200:
            found = links_in(response)
        else:
            found = []
        for link in found:
            absolute = urljoin(f"http://testserver{url}", link.strip())
            parts = urlsplit(absolute)
            if parts.scheme not in {"http", "https"} or parts.hostname not in LOCAL_HOSTS:
                continue
            if parts.path.startswith(NOT_PUBLIC):
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if path not in seen:
                queue.append(path)
    return seen


def assert_no_email(url, response):
    text = response.content.decode(errors="replace")
    headers = "\n".join(f"{key}: {value}" for key, value in response.items())
    cookies = str(response.cookies)
    for where in (text, headers, cookies):
        assert SECRET not in where, f"a commenter's email address appears in {url}"


def test_no_commenter_email_appears_anywhere_on_the_public_site(settings):
    settings.COMMENTS_PER_PAGE = 1
    articles, closed, category, author = seed_site()
    client = Client()
    start = [
        "/",
        reverse("comments:feed"),
        "/feed/",
        "/sitemap.xml",
        "/robots.txt",
        "/no-such-page/",
        category.get_absolute_url(),
        author.get_absolute_url(),
    ]

    visited = crawl(client, start)

    for url, response in visited.items():
        assert_no_email(url, response)
    # The crawl reached what it must have: every article, its comment pages, reply
    # links, comment permalinks and both kinds of comment feed.
    for article in [*articles, closed]:
        assert article.get_absolute_url() in visited
        assert reverse("comments:article_feed", args=[article.pk]) in visited
    assert any("cpage=" in url for url in visited)
    assert any("replytocom=" in url for url in visited)
    assert any(re.fullmatch(r"/comments/\d+/", url) for url in visited)
    assert visited["/no-such-page/"].status_code == 404
    assert visited["/sitemap.xml"].status_code == 200
    assert visited["/robots.txt"].status_code == 200
    assert visited[category.get_absolute_url()].status_code == 200
    assert visited[author.get_absolute_url()].status_code == 200
    assert any(re.fullmatch(r"/\d{4}/(\d\d/)?", url) for url in visited)  # date archives


def test_no_other_commenters_email_appears_on_a_form_sent_back_with_errors(post_comment):
    articles, *_ = seed_site()
    article = articles[0]

    response = post_comment(article, name="", email="visitor@own.example")

    assert response.status_code == 400
    assert_no_email(article.get_absolute_url(), response)
    # Their own address, typed a moment ago, is theirs to see in their own form.
    assert 'value="visitor@own.example"' in response.content.decode()


def test_no_email_appears_on_a_flood_or_duplicate_refusal(post_comment, client):
    articles, *_ = seed_site()
    article = articles[0]
    post_comment(article, remote_addr="198.51.100.1")

    flood = post_comment(article, comment="Another.", remote_addr="198.51.100.1")
    duplicate = post_comment(article, remote_addr="198.51.100.9")

    assert flood.status_code == 429
    assert duplicate.status_code == 409
    assert_no_email("flood", flood)
    assert_no_email("duplicate", duplicate)


def test_a_commenters_saved_email_is_not_shown_to_the_next_visitor(post_comment, client):
    article = ArticleFactory()
    post_comment(article, remember="on", email=f"{SECRET}-saver@mail.example")

    assert_no_email(article.get_absolute_url(), Client().get(article.get_absolute_url()))


# Refusal pages: every POST the site answers with the article page again.


def addresses_reachable_from(response):
    """Commenters' addresses a template on this response could show: any string holding
    one, or a comment row that holds (or would load) an address, reachable from the
    templates' context. Only what the template sees counts: the visitor's own request
    (what they typed) is theirs."""
    found = []
    seen = set()
    stack = [(context, 0) for context in response.context or ()]
    while stack:
        value, depth = stack.pop()
        if id(value) in seen or depth > 8 or isinstance(value, HttpRequest):
            continue
        seen.add(id(value))
        if isinstance(value, str):
            if SECRET in value:
                found.append(value)
            continue
        if isinstance(value, Comment) and (
            "author_email" in value.get_deferred_fields() or value.author_email
        ):
            found.append(f"comment {value.pk} with its email")
        if isinstance(value, Context):
            children = [item for layer in value.dicts for item in layer.items()]
        elif isinstance(value, dict):
            children = list(value.items())
        elif isinstance(value, list | tuple | set | frozenset):
            children = list(value)
        elif hasattr(value, "__dict__") and not isinstance(value, type):
            children = list(vars(value).values())
        else:
            continue
        stack.extend((child, depth + 1) for child in children)
    return found


def _refusals(post_comment, article, closed, parent, closed_parent):
    """Each way a comment is refused, as (name, expected status, response)."""
    reply = {"parent": str(parent.pk)} if parent else {}
    closed_reply = {"parent": str(closed_parent.pk)} if closed_parent else {}
    stale = time.time() - settings.COMMENTS_FORM_MAX_AGE_SECONDS - 60
    own = {"email": "visitor@own.example", **reply}
    yield "bad email", 400, post_comment(article, **{**own, "email": "visitor@"})
    yield "empty comment", 400, post_comment(article, **own, comment="")
    yield (
        "form open too long",
        400,
        post_comment(article, **own, timestamp=issue_timestamp(article, issued_at=stale)),
    )
    yield "comments closed", 403, post_comment(closed, **{**own, **closed_reply})
    accepted = post_comment(article, **own, remote_addr="198.51.100.20")
    assert accepted.status_code == 303
    yield (
        "too quick (flood control)",
        429,
        post_comment(article, **own, comment="And another.", remote_addr="198.51.100.20"),
    )
    yield "duplicate", 409, post_comment(article, **own, remote_addr="198.51.100.21")


@pytest.mark.parametrize("replying", [False, True], ids=["comment", "reply"])
def test_no_commenter_email_reaches_any_refusal_page(post_comment, replying):
    articles, closed, *_ = seed_site()
    article = articles[0]
    parent = closed_parent = None
    if replying:
        parent = Comment.objects.approved().filter(article=article).first()
        closed_parent = Comment.objects.approved().filter(article=closed).first()

    for name, status, response in _refusals(post_comment, article, closed, parent, closed_parent):
        assert response.status_code == status, name
        assert_no_email(name, response)
        assert not addresses_reachable_from(response), name
        if replying and status != 403:
            assert f">Reply to {parent.author_name}</h2>" in response.content.decode(), name


def test_a_reply_to_a_hidden_comment_is_refused_without_its_email(post_comment):
    articles, *_ = seed_site()
    article = articles[0]
    pending = Comment.objects.filter(article=article, status=Comment.Status.PENDING).first()

    response = post_comment(article, email="visitor@own.example", parent=str(pending.pk))

    assert response.status_code == 400
    assert_no_email("reply to a pending comment", response)
    assert not addresses_reachable_from(response)
