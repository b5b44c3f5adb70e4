import pytest

from comments.checks import site_url_is_the_public_address, trusted_proxies_are_addresses


def test_mistyped_trusted_proxy_is_reported_by_the_system_check(settings):
    settings.COMMENTS_TRUSTED_PROXIES = ["10.0.0.1", "10.0.0.0/8", "not-an-ip"]

    errors = trusted_proxies_are_addresses(None)

    assert [error.id for error in errors] == ["comments.E001"]
    assert "not-an-ip" in errors[0].msg


@pytest.mark.parametrize(
    "site_url", ["http://127.0.0.1:8000", "http://localhost", "", "news.example.com"]
)
def test_a_site_url_that_reaches_no_one_is_reported_by_the_deploy_check(settings, site_url):
    settings.SITE_URL = site_url

    assert [w.id for w in site_url_is_the_public_address(None)] == ["comments.W001"]


def test_the_public_site_url_passes_the_deploy_check(settings):
    settings.SITE_URL = "https://news.example.com"

    assert site_url_is_the_public_address(None) == []
