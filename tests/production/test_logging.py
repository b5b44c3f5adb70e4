"""Logs: JSON lines with the request's id; nothing a commenter typed."""

import io
import json
import logging

import pytest
from django.test import Client

from newsroom.logging import JSONFormatter
from newsroom.request_id import RequestIDLogFilter

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.production.urls")]


@pytest.fixture
def log_lines():
    """What the site's stdout handler writes during the test, as parsed JSON lines."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JSONFormatter())
    handler.addFilter(RequestIDLogFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)


def test_every_response_carries_a_request_id(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert len(first) == 32
    assert first != second


def test_request_id_from_the_load_balancer_is_kept(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a9c21-0001")
    assert response["X-Request-ID"] == "lb-7f3a9c21-0001"


def test_request_id_that_is_not_an_id_is_replaced(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID='evil" injected')
    assert response["X-Request-ID"] != 'evil" injected'


def test_unhandled_error_is_logged_with_its_request_id_and_without_the_post_body(log_lines):
    client = Client(raise_request_exception=False)
    response = client.post(
        "/test/broken/", {"author_email": "ada@readers.example", "body": "Hello"}
    )

    assert response.status_code == 500
    errors = [line for line in log_lines() if line["level"] == "ERROR"]
    assert errors, "the error was not logged"
    assert errors[0]["request_id"] == response["X-Request-ID"]
    assert "RuntimeError: the view failed" in errors[0]["exception"]
    assert "ada@readers.example" not in json.dumps(log_lines())


def test_gunicorn_access_lines_become_json_fields():
    record = logging.LogRecord("gunicorn.access", logging.INFO, "", 0, "%(r)s", None, None)
    record.args = {"h": "127.0.0.1", "m": "GET", "U": "/", "s": "200", "M": 3,
                   "{x-request-id}o": "abc123", "a": "curl/8"}  # fmt: skip
    entry = json.loads(JSONFormatter().format(record))
    assert entry["path"] == "/"
    assert entry["status"] == "200"
    assert entry["request_id"] == "abc123"
