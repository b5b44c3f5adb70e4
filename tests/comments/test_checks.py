from comments.checks import trusted_proxies_are_addresses


def test_mistyped_trusted_proxy_is_reported_by_the_system_check(settings):
    settings.COMMENTS_TRUSTED_PROXIES = ["10.0.0.1", "10.0.0.0/8", "not-an-ip"]

    errors = trusted_proxies_are_addresses(None)

    assert [error.id for error in errors] == ["comments.E001"]
    assert "not-an-ip" in errors[0].msg
