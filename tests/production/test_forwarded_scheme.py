"""Which requests count as HTTPS under gunicorn: only what TRUST_X_FORWARDED_PROTO allows.

gunicorn decides the request's scheme (wsgi.url_scheme) before Django sees it, so its
secure_scheme_headers must follow the same setting as Django's SECURE_PROXY_SSL_HEADER.
"""

import pytest

from .server import Gunicorn, Nginx, Reader

SITE = {"Host": "news.example.com"}


def https_gunicorn(tmp_path_factory, trust_x_forwarded_proto):
    """gunicorn with SECURE_SSL=1, from 127.0.0.1 (in FORWARDED_ALLOW_IPS) as a proxy is."""
    tmp_path = tmp_path_factory.mktemp("https")
    gunicorn = Gunicorn(
        tmp_path,
        f"sqlite:///{tmp_path / 'db.sqlite3'}",
        CACHE_DIR=str(tmp_path / "cache"),
        SECURE_SSL="1",
        TRUST_X_FORWARDED_PROTO=trust_x_forwarded_proto,
    )
    try:
        yield gunicorn.start()
    finally:
        gunicorn.stop()


@pytest.fixture(scope="module")
def https_site(tmp_path_factory):
    yield from https_gunicorn(tmp_path_factory, "")


@pytest.fixture(scope="module")
def https_site_behind_a_trusted_proxy(tmp_path_factory):
    yield from https_gunicorn(tmp_path_factory, "1")


@pytest.mark.parametrize(
    "claim",
    [{"X-Forwarded-Ssl": "on"}, {"X-Forwarded-Protocol": "ssl"}, {"X-Forwarded-Proto": "https"}],
    ids=["x-forwarded-ssl", "x-forwarded-protocol", "x-forwarded-proto"],
)
def test_a_claim_of_https_is_not_believed_unless_trusted(https_site, claim):
    response = Reader(https_site.port).get("/", headers={**SITE, **claim})

    assert response.status == 301
    assert response.headers["Location"] == "https://news.example.com/"
    assert "Strict-Transport-Security" not in response.headers


def test_a_trusted_proxy_says_https_with_x_forwarded_proto(https_site_behind_a_trusted_proxy):
    site = https_site_behind_a_trusted_proxy
    response = Reader(site.port).get("/", headers={**SITE, "X-Forwarded-Proto": "https"})

    assert response.status == 200
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_a_trusted_proxy_says_https_with_x_forwarded_proto_only(
    https_site_behind_a_trusted_proxy,
):
    site = https_site_behind_a_trusted_proxy
    response = Reader(site.port).get("/", headers={**SITE, "X-Forwarded-Ssl": "on"})

    assert response.status == 301
    assert response.headers["Location"] == "https://news.example.com/"


def nginx_in_front(tmp_path_factory, gunicorn, trust_x_forwarded_proto):
    nginx = Nginx(
        tmp_path_factory.mktemp("nginx"), gunicorn, TRUST_X_FORWARDED_PROTO=trust_x_forwarded_proto
    )
    try:
        yield nginx.start()
    finally:
        nginx.stop()


@pytest.fixture(scope="module")
def nginx_facing_clients(tmp_path_factory, https_site_behind_a_trusted_proxy):
    """nginx as the front door: the scheme is its own, whatever a client claims."""
    yield from nginx_in_front(tmp_path_factory, https_site_behind_a_trusted_proxy, "")


@pytest.fixture(scope="module")
def nginx_behind_a_tls_proxy(tmp_path_factory, https_site_behind_a_trusted_proxy):
    """nginx told to trust the TLS proxy in front of it (TRUST_X_FORWARDED_PROTO=1)."""
    yield from nginx_in_front(tmp_path_factory, https_site_behind_a_trusted_proxy, "1")


@pytest.mark.parametrize(
    "claim",
    [{"X-Forwarded-Proto": "https"}, {"X-Forwarded-Ssl": "on"}, {"X-Forwarded-Protocol": "ssl"}],
    ids=["x-forwarded-proto", "x-forwarded-ssl", "x-forwarded-protocol"],
)
def test_a_client_cannot_claim_https_through_nginx(nginx_facing_clients, claim):
    response = Reader(nginx_facing_clients.port).get("/", headers={**SITE, **claim})

    assert response.status == 301
    assert response.headers["Location"] == "https://news.example.com/"


def test_nginx_passes_on_the_scheme_of_a_trusted_tls_proxy(nginx_behind_a_tls_proxy):
    port = nginx_behind_a_tls_proxy.port
    secure = Reader(port).get("/", headers={**SITE, "X-Forwarded-Proto": "https"})
    plain = Reader(port).get("/", headers={**SITE, "X-Forwarded-Proto": "http"})

    assert secure.status == 200
    assert "Strict-Transport-Security" in secure.headers
    assert plain.status == 301
