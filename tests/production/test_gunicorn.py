"""The site under gunicorn with several workers, on SQLite and on PostgreSQL.

SQLite: a file in a temporary directory, the workers sharing a file-based cache.
PostgreSQL (when DATABASE_URL names one, as in `make test`): a scratch database on that
server, the workers sharing Redis (REDIS_URL).
"""

import json
import re
import secrets
from concurrent.futures import ThreadPoolExecutor

from .server import Reader


def test_healthz_is_ok(server):
    response = Reader(server.port).get("/healthz")
    assert response.status == 200
    assert response.body == b"ok\n"


def test_static_files_have_hashed_names_and_long_cache_headers(server):
    front = Reader(server.port).get("/")
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', front.text).group(1)

    response = Reader(server.port).get(stylesheet)

    assert response.status == 200
    assert "immutable" in response.headers["Cache-Control"]


def test_static_files_are_served_compressed(server):
    login = Reader(server.port).get("/admin/login/")
    stylesheet = re.search(r'href="(/static/admin/css/base\.[0-9a-f]{12}\.css)"', login.text)

    response = Reader(server.port).get(stylesheet.group(1), headers={"Accept-Encoding": "gzip"})

    assert response.headers["Content-Encoding"] == "gzip"


def test_concurrent_readers_get_no_server_errors_and_share_the_page_cache(server):
    def read(number):
        return Reader(server.port, f"127.0.1.{number % 250 + 1}").get(server.article_url)

    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(read, range(80)))

    assert {response.status for response in responses} == {200}
    assert {response.headers["X-Page-Cache"] for response in responses} >= {"hit"}


def test_approving_a_comment_in_another_process_shows_on_every_worker(server):
    for _ in range(4):
        Reader(server.port).get(server.article_url)  # cached by both workers' shared cache
    server.shell(
        "from articles.models import Article\n"
        "from tests.factories import CommentFactory\n"
        "comment = CommentFactory(article=Article.objects.get(title='Harbour plan approved'),"
        " status='pending', body='Seen from the harbour wall.')\n"
        "comment.approve()\n"
    )

    responses = [Reader(server.port).get(server.article_url) for _ in range(6)]

    assert all("Seen from the harbour wall." in response.text for response in responses)


def test_logs_are_json_lines_with_request_ids(server):
    response = Reader(server.port).get("/", headers={"X-Request-ID": "trace-0123456789"})

    access = server.wait_for_log(lambda entry: entry.get("request_id") == "trace-0123456789")

    assert response.headers["X-Request-ID"] == "trace-0123456789"
    assert access[0]["status"] == "200"
    assert access[0]["path"] == "/"


def test_a_form_in_utf16_is_a_short_bad_request_with_one_log_line(server):
    body = "comment=Hello&name=Ada&username=ada&password=secret".encode("utf-16")
    for path in ("/comments/post/1/", "/admin/login/"):
        request_id = f"utf16-form-{secrets.token_hex(4)}"

        reader = Reader(server.port)
        # With a CSRF cookie, Django's CSRF check reads the form (without, it refuses first).
        reader.cookies["csrftoken"] = secrets.token_hex(16)
        response = reader.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded; charset=utf-16",
                "X-Request-ID": request_id,
            },
        )
        logged = server.wait_for_log(lambda entry, rid=request_id: entry.get("status") == "400"
                                     and entry.get("request_id") == rid)  # fmt: skip

        assert response.status == 400
        assert len(response.body) < 200
        lines = [entry for entry in server.log_entries() if entry.get("request_id") == request_id]
        # Django's "Bad Request" warning and gunicorn's access line, and nothing long.
        assert logged and len(lines) <= 2
        assert all(len(json.dumps(line)) < 1000 for line in lines)
