"""Security settings and headers, as production runs them."""

import re

import pytest

from tests.factories import ArticleFactory

from .conftest import manage, production_env

CSP = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "object-src 'none'",
}


def policy(response):
    return {directive.strip() for directive in response["Content-Security-Policy"].split(";")}


def test_production_settings_pass_the_deploy_check():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env=production_env(SECURE_SSL="1", SITE_URL="https://news.example.com"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_deploy_check_warns_when_site_url_is_not_set():
    env = production_env(SECURE_SSL="1")
    env.pop("SITE_URL", None)

    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode != 0
    assert "comments.W001" in result.stdout + result.stderr


def test_production_without_a_secret_key_refuses_to_start():
    env = production_env()
    del env["SECRET_KEY"]
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


HTTPS_PROBE = """
from django.test import Client
client = Client()
plain = client.get("/healthz")
redirected = client.get("/", HTTP_HOST="news.example.com")
forwarded = client.get("/healthz", HTTP_X_FORWARDED_PROTO="https")
print(plain.status_code)
print(redirected.status_code, redirected.get("Location"))
print(forwarded.get("Strict-Transport-Security", "no-hsts"))
"""


def test_https_redirects_and_sends_hsts_behind_a_trusted_proxy():
    env = production_env(SECURE_SSL="1", TRUST_X_FORWARDED_PROTO="1")
    result = manage("shell", "-c", HTTPS_PROBE, env=env)
    probe, redirect, hsts = result.stdout.splitlines()[-3:]
    assert probe == "200", "load balancers probe /healthz over plain HTTP"
    assert redirect == "301 https://news.example.com/"
    assert hsts == "max-age=31536000; includeSubDomains; preload"


def test_forwarded_proto_is_ignored_unless_the_proxy_is_trusted():
    env = production_env(SECURE_SSL="1")
    result = manage("shell", "-c", HTTPS_PROBE, env=env)
    assert result.stdout.splitlines()[-1] == "no-hsts"


@pytest.mark.django_db
def test_every_page_carries_the_security_headers(client):
    article = ArticleFactory()
    for url in ("/", article.get_absolute_url(), "/no-such-page/", "/healthz"):
        response = client.get(url)
        assert policy(response) == CSP, url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url
        assert response["X-Frame-Options"] == "DENY", url


@pytest.mark.django_db
def test_admin_pages_carry_the_same_policy(admin_client):
    response = admin_client.get("/admin/auth/user/add/")
    assert response.status_code == 200
    assert policy(response) == CSP
    assert "<script>" not in response.text


# An import map is data, not code, but the browser applies one only if the policy allows
# it: the article editor's carries the request's nonce (checked below).
IMPORT_MAP = re.compile(r'<script type="importmap" nonce="([^"]+)">')
INLINE_CODE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)(?![^>]*importmap)[^>]*>\s*\S"
    r"|\sstyle=\"|\son[a-z]+=\"|javascript:",
    re.IGNORECASE,
)


@pytest.mark.django_db
def test_admin_pages_need_nothing_the_policy_forbids(admin_client):
    """Every admin list and add page: no inline script, style attribute or handler."""
    index = admin_client.get("/admin/")
    pages = [
        "/admin/",
        *sorted(set(re.findall(r'href="(/admin/[a-z_]+/[a-z_]+/(?:add/)?)"', index.text))),
    ]
    assert len(pages) > 3
    for url in pages:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert not INLINE_CODE.search(response.text), (url, INLINE_CODE.search(response.text))
        for nonce in IMPORT_MAP.findall(response.text):
            assert f"script-src 'self' 'nonce-{nonce}'" in policy(response), url
        assert response.text.count("importmap") == len(IMPORT_MAP.findall(response.text)), url
