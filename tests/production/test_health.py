"""/healthz: what a load balancer asks before sending readers to this app server."""

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper

pytestmark = pytest.mark.django_db


def test_healthz_says_ok_when_database_and_cache_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"] == "text/plain"
    assert "no-store" in response["Cache-Control"]


def test_healthz_answers_probes_by_ip_address(client):
    assert client.get("/healthz", HTTP_HOST="10.0.0.7:8000").status_code == 200


def test_healthz_is_degraded_when_the_cache_does_not_answer(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.RedisCache",
            # Port 1 on loopback: nothing listens there.
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5},
        }
    }
    response = client.get("/healthz")
    # Pages are still served, uncached: a load balancer must keep sending readers here.
    assert response.status_code == 200
    assert response.content == b"degraded\n"


def test_healthz_is_unavailable_when_the_database_does_not_answer(client, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise OperationalError("connection refused to db at 10.1.2.3 as newsroom")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"unavailable\n"
