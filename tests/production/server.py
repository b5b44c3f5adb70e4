"""A real gunicorn serving the site, for the integration tests, and a small HTTP client.

The client connects from a loopback address of its choosing (127.0.0.0/8), so a test
can play many readers, each with its own IP, all on this machine.
"""

import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from .conftest import REPO, manage, production_env


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def text(self):
        return self.body.decode()


class Reader:
    """One browser: its own source address and cookie jar."""

    def __init__(self, port, address="127.0.0.1"):
        self.port = port
        self.address = address
        self.cookies = {}

    def request(self, method, path, form=None, headers=None, body=None):
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=30, source_address=(self.address, 0)
        )
        headers = dict(headers or {})
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            response = Response(raw.status, raw.headers, raw.read())
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, form, **kwargs):
        return self.request("POST", path, form=form, **kwargs)


class Server:
    """A server process on self.port, logging to self.log_path, until stop()."""

    name = "server"

    def launch(self, command, timeout):
        """Start the command; return once it answers /healthz within timeout seconds."""
        self.log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            command, cwd=REPO, env=self.env, stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log_path.read_text()
            try:
                if Reader(self.port).get("/healthz").status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"{self.name} did not answer /healthz:\n{self.log_path.read_text()}")

    def stop(self):
        if self.process is None:  # never started (a fixture's finally after a failure)
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


class Gunicorn(Server):
    """gunicorn with several workers, started the way `make serve` starts it."""

    name = "gunicorn"

    def __init__(self, tmp_path, database_url, *, workers=2, **env):
        self.port = free_port()
        self.log_path = tmp_path / "gunicorn.log"
        # env may replace any of these: app servers of one site share a SECRET_KEY, a
        # CACHE_KEY_PREFIX and their media (tests/production/test_two_servers.py).
        self.env = production_env(
            **{
                "DATABASE_URL": database_url,
                "STATIC_ROOT": str(tmp_path / "static"),
                "MEDIA_ROOT": str(tmp_path / "media"),
                "BIND": f"127.0.0.1:{self.port}",
                "WEB_CONCURRENCY": str(workers),
                "GUNICORN_MAX_REQUESTS": "0",
                "CACHE_KEY_PREFIX": f"gunicorn-test-{secrets.token_hex(4)}",
                **env,
            }
        )
        self.process = None

    def manage(self, *args):
        result = manage(*args, env=self.env)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def shell(self, code):
        return self.manage("shell", "--verbosity", "0", "-c", code).strip()

    def start(self):
        self.manage("migrate", "--noinput", "--verbosity", "0")
        self.manage("collectstatic", "--noinput", "--verbosity", "0")
        return self.serve()

    def serve(self):
        """Start gunicorn alone (again, after stop()), on the same port."""
        gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
        return self.launch([gunicorn, "-c", "gunicorn.conf.py", "newsroom.wsgi"], timeout=30)

    def log_entries(self):
        return [json.loads(line) for line in self.log_path.read_text().splitlines() if line]

    def wait_for_log(self, matches, timeout=10):
        """The log entries that match, once there is one: workers log after responding."""
        deadline = time.monotonic() + timeout
        while True:
            found = [entry for entry in self.log_entries() if matches(entry)]
            if found or time.monotonic() > deadline:
                return found
            time.sleep(0.1)


class Nginx(Server):
    """nginx in front of a gunicorn, started the way `make serve` starts it (scripts/nginx.sh)."""

    name = "nginx"

    def __init__(self, tmp_path, gunicorn, **env):
        self.port = free_port()
        self.run_dir = tmp_path / "nginx"
        self.log_path = tmp_path / "nginx.log"
        self.env = {
            **os.environ,
            "NGINX_RUN_DIR": str(self.run_dir),
            "NGINX_LISTEN": f"127.0.0.1:{self.port}",
            "NGINX_UPSTREAM": gunicorn.env["BIND"],
            "STATIC_ROOT": gunicorn.env["STATIC_ROOT"],
            "MEDIA_ROOT": gunicorn.env["MEDIA_ROOT"],
            "TRUST_X_FORWARDED_PROTO": gunicorn.env.get("TRUST_X_FORWARDED_PROTO", ""),
            **env,
        }
        self.process = None

    def start(self):
        return self.launch([str(REPO / "scripts" / "nginx.sh"), "run"], timeout=10)

    def log_entries(self):
        lines = self.log_path.read_text().splitlines()
        return [json.loads(line) for line in lines if line.startswith("{")]


class CommentFormFields(HTMLParser):
    """The hidden fields of the page's comment form: CSRF token, signed timestamp, parent."""

    def __init__(self):
        super().__init__()
        self.in_form = False
        self.action = None
        self.fields = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == "commentform":
            self.in_form = True
            self.action = attrs["action"]
        elif tag == "input" and self.in_form and attrs.get("type") == "hidden":
            self.fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
