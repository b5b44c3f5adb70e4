"""nginx's edge cache (deploy/nginx.conf) in front of gunicorn, as `make serve` runs them:
anonymous pages are served by nginx alone; nothing personal is ever stored.

Every response here comes through the real nginx and gunicorn; X-Edge-Cache is nginx's
$upstream_cache_status (MISS, HIT, BYPASS, EXPIRED, UPDATING, STALE).
"""

import re
import time

import pytest

from .server import CommentFormFields, Gunicorn, Nginx, Reader
from .test_comment_posting import send_comment

EDGE_SECONDS = 2
STAFF_PASSWORD = "a long staff password for the edge test"  # noqa: S105

SETUP = f"""
from django.contrib.auth import get_user_model
from tests.factories import ArticleFactory, CommentFactory
article = ArticleFactory(title="Harbour plan approved")
locked = ArticleFactory(title="Locked story", password="harbour")
get_user_model().objects.create_superuser("editor", "editor@news.example", {STAFF_PASSWORD!r})
print(article.get_absolute_url(), article.pk, locked.get_absolute_url())
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("edge")
    gunicorn = Gunicorn(
        tmp_path,
        f"sqlite:///{tmp_path / 'db.sqlite3'}",
        workers=2,
        CACHE_DIR=str(tmp_path / "cache"),
        COMMENTS_TRUSTED_PROXIES="127.0.0.1",
        COMMENTS_MIN_SECONDS_TO_SUBMIT="0",
        EDGE_CACHE_SECONDS=str(EDGE_SECONDS),
    )
    nginx = Nginx(tmp_path, gunicorn)
    try:
        gunicorn.start()
        url, pk, locked = gunicorn.shell(SETUP).splitlines()[-1].split()
        gunicorn.article_url, gunicorn.article_pk, gunicorn.locked_url = url, int(pk), locked
        nginx.start()
        nginx.gunicorn = gunicorn
        yield nginx
    finally:
        nginx.stop()
        gunicorn.stop()


def edge(response):
    return response.headers.get("X-Edge-Cache")


def anonymous(site, path):
    return Reader(site.port).get(path)


def settled(site, path):
    """GET until nginx holds the page (the first reader fills it)."""
    for _ in range(3):
        response = anonymous(site, path)
        if edge(response) == "HIT":
            return response
    raise AssertionError(f"{path} never came from the edge cache: {edge(response)}")


def staff_reader(site):
    reader = Reader(site.port)
    page = reader.get("/admin/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
    reader.post(
        "/admin/login/?next=/admin/",
        {"csrfmiddlewaretoken": token, "username": "editor", "password": STAFF_PASSWORD},
        headers={"Referer": f"http://127.0.0.1:{site.port}/admin/login/"},
    )
    assert "sessionid" in reader.cookies
    return reader


def test_an_anonymous_article_is_served_by_nginx_the_same_for_everyone(site):
    first = anonymous(site, site.gunicorn.article_url)
    cached = settled(site, site.gunicorn.article_url)

    assert first.status == cached.status == 200
    assert cached.body == first.body
    assert "csrfmiddlewaretoken" not in cached.text
    assert cached.headers.get_all("Set-Cookie") is None
    assert f"s-maxage={EDGE_SECONDS}" in cached.headers["Cache-Control"]


def test_the_csrf_cookie_of_older_pages_is_not_personal(site):
    settled(site, "/")
    reader = Reader(site.port)
    reader.cookies["csrftoken"] = "a" * 32

    assert edge(reader.get("/")) == "HIT"


@pytest.mark.parametrize(
    "cookie",
    [
        "sessionid",
        "comments_pending",
        "comment_author",
        "messages",
        "article-unlocked-1",
        "comments_unposted",
    ],
)
def test_a_reader_with_a_personal_cookie_is_never_served_nor_stored(site, cookie):
    settled(site, "/")
    reader = Reader(site.port)
    reader.cookies.update({"csrftoken": "a" * 32, cookie: "theirs"})

    response = reader.get("/")

    assert edge(response) == "BYPASS"
    assert "private" in response.headers["Cache-Control"]


def test_a_commenter_sees_their_pending_comment_at_once_and_nobody_else_does(site):
    url = site.gunicorn.article_url
    settled(site, url)
    commenter = Reader(site.port, "127.0.5.1")

    posted = send_comment(commenter, url, "Edge cache pending comment", "edge@readers.example")
    own = commenter.get(posted.headers["Location"].partition("#")[0])

    assert posted.status == 303 and "comments_pending" in commenter.cookies
    assert edge(own) == "BYPASS"
    assert "Edge cache pending comment" in own.text
    assert "awaiting moderation" in own.text
    for _ in range(3):
        assert "Edge cache pending comment" not in anonymous(site, url).text


def test_staff_pages_and_controls_are_never_stored(site):
    staff = staff_reader(site)
    url = site.gunicorn.article_url

    own = staff.get(url)
    preview = staff.get(f"/preview/{site.gunicorn.article_pk}/")
    admin = staff.get("/admin/")

    assert edge(own) == edge(preview) == edge(admin) == "BYPASS"
    assert "Edit this article" in own.text
    assert "Edit this article" not in settled(site, url).text
    assert anonymous(site, f"/preview/{site.gunicorn.article_pk}/").status == 302
    assert anonymous(site, "/admin/").status == 302


@pytest.mark.parametrize(
    "path",
    [
        "/no-such-page/",
        "/2001/01/01/no-such-story/",
        "/?utm_source=newsletter",
        "/search/?q=harbour",
    ],
)
def test_errors_redirects_and_other_addresses_are_never_stored(site, path):
    statuses = [anonymous(site, path) for _ in range(3)]

    assert {edge(response) for response in statuses} == {"MISS"}


def test_a_post_and_its_answer_are_never_stored(site):
    reader = Reader(site.port, "127.0.5.2")
    form = CommentFormFields()
    form.feed(anonymous(site, site.gunicorn.article_url).text)

    refused = reader.post(form.action, {**form.fields, "comment": "", "name": "", "email": ""})

    assert refused.status == 303 and edge(refused) is None
    shown = reader.get(refused.headers["Location"].partition("#")[0])
    assert shown.status == 400 and edge(shown) == "BYPASS"


def test_the_locked_page_of_a_protected_article_is_shared_and_the_unlocked_one_is_not(site):
    locked = settled(site, site.gunicorn.locked_url)
    reader = Reader(site.port, "127.0.5.3")
    action = re.search(r'action="([^"]*unlock/\d+/)"', locked.text)

    assert "This article is password protected" in locked.text
    assert "csrfmiddlewaretoken" not in locked.text
    unlocked = reader.post(action[1], {"password": "harbour"})
    assert unlocked.status == 303
    page = reader.get(site.gunicorn.locked_url)
    assert edge(page) == "BYPASS"
    assert "This article is password protected" not in page.text
    assert "This article is password protected" in settled(site, site.gunicorn.locked_url).text


def test_a_cross_site_comment_is_refused_through_nginx(site):
    form = CommentFormFields()
    form.feed(anonymous(site, site.gunicorn.article_url).text)
    data = {**form.fields, "comment": "Forged", "name": "Mallory", "email": "m@evil.example"}

    forged = Reader(site.port, "127.0.5.4").post(
        form.action, data, headers={"Origin": "https://evil.example"}
    )
    same_site = Reader(site.port, "127.0.5.5").post(
        form.action, data, headers={"Origin": f"http://127.0.0.1:{site.port}"}
    )

    assert forged.status == 403
    assert same_site.status == 303


def test_an_approval_reaches_every_reader_within_the_edge_lifetime(site):
    url = site.gunicorn.article_url
    settled(site, url)
    site.gunicorn.shell(
        "from tests.factories import CommentFactory\n"
        "from articles.models import Article\n"
        f"CommentFactory(article=Article.objects.get(pk={site.gunicorn.article_pk}),"
        " body='Approved while cached', status='approved')"
    )
    approved_at = time.monotonic()

    while "Approved while cached" not in anonymous(site, url).text:
        assert time.monotonic() - approved_at < EDGE_SECONDS + 3, "the approval never arrived"
        time.sleep(0.2)
