"""Two app servers behind nginx's upstream, against one PostgreSQL and one Redis (issue 22).

Each gunicorn stands for a host of its own: its own port, static files and log. They share
what the app servers of one site share in production: the database, Redis (under one
CACHE_KEY_PREFIX), SECRET_KEY, ALLOWED_HOSTS and the media storage. Readers reach either
server with the site's own Host, as a load balancer passes it on.
"""

import os
import re
import secrets
import subprocess
import time
from types import SimpleNamespace

import pytest

from .conftest import REPO, _postgres_database
from .server import Gunicorn, Nginx, Reader
from .test_comment_posting import post_comment, send_comment, stored_bodies

HOST = {"Host": "news.example.com"}
MODERATOR = ("moderator", secrets.token_urlsafe(16))
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

# One article per test, made at once: the factories' sequences start again in each process.
ARTICLES = {
    "cached": "Tram line reaches the harbour",
    "approval": "Ferry timetable changes",
    "flood": "Bridge closed for repairs",
}
NEW_ARTICLES = f"""
from tests.factories import ArticleFactory
for title in {list(ARTICLES.values())!r}:
    print(ArticleFactory(title=title).get_absolute_url())
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Two gunicorns (one worker each) on one PostgreSQL database and one Redis, and nginx
    balancing over both, as `make serve APP_SERVERS=2` runs them."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("DATABASE_URL names no PostgreSQL server (`make test` runs this)")
    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL names no Redis server (`make test` runs this)")
    tmp_path = tmp_path_factory.mktemp("two-servers")
    database_url, drop = _postgres_database()
    shared = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "REDIS_URL": os.environ["REDIS_URL"],
        "CACHE_KEY_PREFIX": f"two-servers-{secrets.token_hex(4)}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        # Readers' own addresses come from nginx; straight to a server, the connection's.
        "COMMENTS_TRUSTED_PROXIES": "127.0.0.1",
        "COMMENTS_MIN_SECONDS_TO_SUBMIT": "0",
        "COMMENTS_FLOOD_SECONDS": "60",
    }
    servers = []
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        servers.append(Gunicorn(tmp_path / name, database_url, workers=1, **shared))
    a, b = servers
    nginx = Nginx(
        tmp_path,
        a,
        NGINX_UPSTREAM=" ".join(server.env["BIND"] for server in servers),
        # A stopped server is tried again a second after nginx passed it over.
        NGINX_UPSTREAM_FAIL_TIMEOUT="1s",
    )
    try:
        # Each host migrates (the second finds nothing to do) and collects its static files.
        a.start()
        b.start()
        a.manage("shell", "-c", moderator_code())
        urls = dict(
            zip(ARTICLES, a.shell(NEW_ARTICLES).splitlines()[-len(ARTICLES) :], strict=True)
        )
        nginx.start()
        yield SimpleNamespace(a=a, b=b, nginx=nginx, urls=urls)
    finally:
        nginx.stop()
        for server in servers:
            server.stop()
        drop()


def moderator_code():
    username, password = MODERATOR
    return (
        "from django.contrib.auth import get_user_model\n"
        f"get_user_model().objects.create_superuser({username!r}, 'm@newsroom.example', "
        f"{password!r})\n"
    )


def csrf_token(page):
    return CSRF_TOKEN.search(page.text).group(1)


def logged_in(server):
    reader = Reader(server.port)
    username, password = MODERATOR
    form = reader.get("/admin/login/")
    response = reader.post(
        "/admin/login/",
        {"csrfmiddlewaretoken": csrf_token(form), "username": username, "password": password},
    )
    assert response.status == 302, response.text
    return reader


def test_a_page_cached_by_one_server_is_a_hit_on_the_other(site):
    url = site.urls["cached"]

    first = Reader(site.a.port).get(url, headers=HOST)
    second = Reader(site.b.port).get(url, headers=HOST)

    assert (first.status, first.headers["X-Page-Cache"]) == (200, "miss")
    assert (second.status, second.headers["X-Page-Cache"]) == (200, "hit")
    assert "Tram line reaches the harbour" in second.text


def test_an_approval_on_one_server_shows_on_the_others_next_request(site):
    url = site.urls["approval"]
    comment_id = site.a.shell(
        "from articles.models import Article\n"
        "from tests.factories import PendingCommentFactory\n"
        "print(PendingCommentFactory(article=Article.objects.get(title='Ferry timetable changes'),"
        " body='The early boat is gone.').pk)\n"
    ).splitlines()[-1]
    Reader(site.b.port).get(url, headers=HOST)
    cached = Reader(site.b.port).get(url, headers=HOST)
    assert cached.headers["X-Page-Cache"] == "hit"
    assert "The early boat is gone." not in cached.text

    moderator = logged_in(site.a)
    moderate = f"/admin/comments/comment/{comment_id}/moderate/approve/"
    confirmation = moderator.get(moderate)
    approved = moderator.post(moderate, {"csrfmiddlewaretoken": csrf_token(confirmation)})
    assert approved.status == 302

    after = Reader(site.b.port).get(url, headers=HOST)
    assert after.headers["X-Page-Cache"] == "miss"
    assert "The early boat is gone." in after.text


def test_a_moderator_logged_in_on_one_server_is_logged_in_on_the_other(site):
    moderator = logged_in(site.a)
    moderator.port = site.b.port

    assert moderator.get("/admin/").status == 200


def test_flood_control_holds_for_one_reader_across_servers(site):
    url = site.urls["flood"]
    reader = Reader(site.a.port, "127.0.8.1")

    first = send_comment(reader, url, "Posted through server A.", "f@readers.example")
    reader.port = site.b.port
    second = post_comment(reader, url, "Then through server B.", "f@readers.example")

    assert (first.status, second.status) == (303, 429)
    assert stored_bodies(site.a, "Posted through server A.") == ["Posted through server A."]
    assert stored_bodies(site.a, "Then through server B.") == []


def uncached_reader(site):
    """A reader whose requests nginx's cache never answers (a cookie of their own)."""
    reader = Reader(site.nginx.port)
    reader.cookies["reader"] = secrets.token_hex(4)
    return reader


def served_by(server, request_ids):
    """Which of these requests the server's own access log shows it answered."""
    entries = server.log_entries()
    return {e["request_id"] for e in entries if e.get("logger") == "gunicorn.access"} & set(
        request_ids
    )


def test_nginx_spreads_requests_over_both_servers(site):
    request_ids = [f"spread-{secrets.token_hex(4)}-{number}" for number in range(10)]
    for request_id in request_ids:
        response = uncached_reader(site).get("/", headers={"X-Request-ID": request_id})
        assert response.status == 200

    deadline = time.monotonic() + 10
    while True:
        on_a, on_b = served_by(site.a, request_ids), served_by(site.b, request_ids)
        if on_a | on_b == set(request_ids) or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert on_a | on_b == set(request_ids)
    assert on_a and on_b
    assert not on_a & on_b


def test_readers_get_answers_while_one_server_is_down(site):
    site.b.stop()
    try:
        statuses = [uncached_reader(site).get("/").status for _ in range(8)]
    finally:
        site.b.serve()
        time.sleep(1.5)  # NGINX_UPSTREAM_FAIL_TIMEOUT: nginx tries it again

    assert statuses == [200] * 8


def requests_until_served_by(server, nginx, timeout=10):
    """Requests through nginx until `server` answers one; how many it took."""
    deadline = time.monotonic() + timeout
    sent = []
    while time.monotonic() < deadline:
        sent.append(f"added-{secrets.token_hex(4)}")
        assert Reader(nginx.port).get("/healthz", headers={"X-Request-ID": sent[-1]}).status == 200
        time.sleep(0.05)
        if served_by(server, sent):
            return len(sent)
    raise AssertionError(f"{len(sent)} requests through nginx, none answered by {server.port}")


def test_a_server_added_to_the_upstream_gets_requests_after_a_reload(site, tmp_path):
    nginx = Nginx(tmp_path, site.a, NGINX_UPSTREAM=site.a.env["BIND"])
    nginx.start()
    try:
        before = [f"before-{secrets.token_hex(4)}-{number}" for number in range(4)]
        for request_id in before:
            Reader(nginx.port).get("/healthz", headers={"X-Request-ID": request_id})
        nginx.env["NGINX_UPSTREAM"] = f"{site.a.env['BIND']} {site.b.env['BIND']}"
        reload = subprocess.run(
            [str(REPO / "scripts" / "nginx.sh"), "reload"],
            env=nginx.env,
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert reload.returncode == 0, reload.stderr

        requests_until_served_by(site.b, nginx)
    finally:
        nginx.stop()

    assert not served_by(site.b, before)
