"""nginx in front of gunicorn, as `make serve` runs them (scripts/nginx.sh, deploy/nginx.conf).

gunicorn's sync workers serve one connection at a time; nginx takes slow clients off them,
serves the static files from disk, compresses, and enforces the limits.
"""

import gzip
import socket
import time
from pathlib import Path

import pytest

from .conftest import NEW_ARTICLE
from .server import Gunicorn, Nginx, Reader
from .test_comment_posting import post_comment

WORKERS = 3


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """nginx on one port, passing to gunicorn with three workers, as `make serve` does."""
    tmp_path = tmp_path_factory.mktemp("nginx")
    gunicorn = Gunicorn(
        tmp_path,
        f"sqlite:///{tmp_path / 'db.sqlite3'}",
        workers=WORKERS,
        CACHE_DIR=str(tmp_path / "cache"),
        # What `make serve` sets: the readers' own addresses come from nginx.
        COMMENTS_TRUSTED_PROXIES="127.0.0.1",
        COMMENTS_MIN_SECONDS_TO_SUBMIT="0",
        COMMENTS_FLOOD_SECONDS="60",
    )
    nginx = Nginx(tmp_path, gunicorn)
    try:
        gunicorn.start()
        gunicorn.article_url = gunicorn.shell(NEW_ARTICLE).splitlines()[-1]
        nginx.start()
        nginx.gunicorn = gunicorn
        yield nginx
    finally:
        nginx.stop()
        gunicorn.stop()


def slow_clients(port, count):
    """Connections that send half a request and then nothing: half headers, half bodies."""
    connections = []
    for number in range(count):
        connection = socket.create_connection(("127.0.0.1", port))
        if number % 2:
            connection.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        else:
            connection.sendall(
                b"POST /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n"
                b"Content-Type: application/x-www-form-urlencoded\r\n\r\na=1"
            )
        connections.append(connection)
    return connections


def test_slow_clients_do_not_keep_others_from_an_answer(site):
    connections = slow_clients(site.port, 4 * WORKERS)
    try:
        time.sleep(0.5)  # every slow client connected and waiting
        started = time.monotonic()
        connection = socket.create_connection(("127.0.0.1", site.port), timeout=5)
        connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        answer = connection.recv(1024)
        elapsed = time.monotonic() - started
        connection.close()
    finally:
        for slow in connections:
            slow.close()

    assert answer.startswith(b"HTTP/1.1 200 ")
    assert elapsed < 1.0


def test_static_files_are_served_from_disk_with_long_cache_headers(site):
    static_root = site.env["STATIC_ROOT"]
    # Written after gunicorn started, so whitenoise does not know it: only nginx can serve it.
    with open(f"{static_root}/css/late.0123456789ab.css", "w") as stylesheet:
        stylesheet.write("body { color: black; }\n" * 100)

    hashed = Reader(site.port).get("/static/css/late.0123456789ab.css")
    compressed = Reader(site.port).get(
        "/static/css/late.0123456789ab.css", headers={"Accept-Encoding": "gzip"}
    )

    assert hashed.status == 200
    assert hashed.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert compressed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.body) == hashed.body


def test_media_images_are_served_from_disk_immutable_and_never_sniffed(site):
    media = Path(site.env["MEDIA_ROOT"]) / "images" / "ab" / "abcdef"
    media.mkdir(parents=True)
    (media / "v1-480w.webp").write_bytes(b"RIFF\x00\x00\x00\x00WEBPVP8 ")
    (media / "notes.html").write_text("<script>alert(1)</script>")

    image = Reader(site.port).get("/media/images/ab/abcdef/v1-480w.webp")
    other = Reader(site.port).get("/media/images/ab/abcdef/notes.html")

    assert image.status == 200
    assert image.headers["Content-Type"] == "image/webp"
    assert image.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert image.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in image.headers["Content-Security-Policy"]
    assert other.status == 404


def test_static_files_without_a_hash_are_cached_briefly(site):
    response = Reader(site.port).get("/static/css/site.css")

    assert response.status == 200
    assert response.headers["Cache-Control"] == "public, max-age=60"


def test_pages_are_compressed(site):
    response = Reader(site.port).get(site.gunicorn.article_url, headers={"Accept-Encoding": "gzip"})

    assert response.status == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Harbour plan approved" in gzip.decompress(response.body).decode()


def test_a_body_over_the_limit_is_refused(site):
    with socket.create_connection(("127.0.0.1", site.port), timeout=10) as connection:
        # nginx answers on the announced length, before any of the body arrives.
        connection.sendall(
            b"POST /admin/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            b"Content-Length: %d\r\n\r\n" % (4 * 1024 * 1024)
        )
        answer = connection.recv(1024)

    assert answer.startswith(b"HTTP/1.1 413 ")


def test_a_header_over_the_limit_is_refused(site):
    response = Reader(site.port).get("/", headers={"X-Padding": "x" * 10_000})

    assert response.status == 400


def test_readers_behind_nginx_keep_their_own_addresses_for_flood_control(site):
    first, second = Reader(site.port, "127.0.6.1"), Reader(site.port, "127.0.6.2")
    url = site.gunicorn.article_url

    assert post_comment(first, url, "First reader", "one@readers.example").status == 303
    assert post_comment(second, url, "Second reader", "two@readers.example").status == 303
    assert post_comment(first, url, "First again", "one@readers.example").status == 429


def test_nginx_logs_json_lines_with_the_request_id_django_logs(site):
    Reader(site.port).get("/", headers={"X-Request-ID": "trace-nginx-0123456789"})

    django = site.gunicorn.wait_for_log(lambda e: e.get("request_id") == "trace-nginx-0123456789")
    deadline = time.monotonic() + 5
    while not (
        nginx := [e for e in site.log_entries() if e["request_id"] == django[0]["request_id"]]
    ):
        assert time.monotonic() < deadline, site.log_path.read_text()
        time.sleep(0.1)

    assert nginx[0]["status"] == "200"
    assert nginx[0]["path"] == "/"
