"""scripts/nginx.sh renders NGINX_UPSTREAM, a list of app servers, into nginx's upstream."""

import os
import shutil
import subprocess

import pytest

from .conftest import REPO


def render(tmp_path, **env):
    return subprocess.run(
        [str(REPO / "scripts" / "nginx.sh"), "config"],
        env={**os.environ, "NGINX_RUN_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=30,
    )


def nginx_binary():
    # /usr/sbin is not on a normal user's PATH.
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")


def upstream_block(config):
    block = config.split("upstream gunicorn {", 1)[1].split("}", 1)[0]
    return [line.strip() for line in block.splitlines() if line.strip()[:1] not in ("", "#")]


def test_each_app_server_gets_a_server_line_with_passive_health_checks(tmp_path):
    result = render(tmp_path, NGINX_UPSTREAM="10.0.0.11:8001, 10.0.0.12:8001\nunix:/run/g.sock")

    assert result.returncode == 0, result.stderr
    assert upstream_block((tmp_path / "nginx.conf").read_text()) == [
        "zone gunicorn_upstream 64k;",
        "server 10.0.0.11:8001 max_fails=3 fail_timeout=10s;",
        "server 10.0.0.12:8001 max_fails=3 fail_timeout=10s;",
        "server unix:/run/g.sock max_fails=3 fail_timeout=10s;",
        "keepalive 16;",
    ]


def test_failures_and_timeout_come_from_the_environment(tmp_path):
    result = render(
        tmp_path,
        NGINX_UPSTREAM="127.0.0.1:8001",
        NGINX_UPSTREAM_MAX_FAILS="5",
        NGINX_UPSTREAM_FAIL_TIMEOUT="30s",
    )

    assert result.returncode == 0, result.stderr
    config = (tmp_path / "nginx.conf").read_text()
    assert upstream_block(config)[1] == "server 127.0.0.1:8001 max_fails=5 fail_timeout=30s;"


@pytest.mark.parametrize(
    "upstream",
    ["127.0.0.1:8001 127.0.0.1:80;01", "127.0.0.1", "backend:1&2", "unix:/run/a b", " , "],
)
def test_an_address_nginx_could_not_take_is_refused_and_nothing_is_written(tmp_path, upstream):
    result = render(tmp_path, NGINX_UPSTREAM=upstream)

    assert result.returncode != 0
    assert "NGINX_UPSTREAM" in result.stderr
    assert not (tmp_path / "nginx.conf").exists()


def test_nginx_accepts_the_rendered_upstream(tmp_path):
    nginx = nginx_binary()
    if nginx is None:
        pytest.skip("nginx is not installed (`make nginx-deps`)")
    assert render(tmp_path, NGINX_UPSTREAM="127.0.0.1:8001 127.0.0.1:8002").returncode == 0

    config = str(tmp_path / "nginx.conf")
    check = subprocess.run(
        [nginx, "-t", "-q", "-p", str(tmp_path), "-e", "stderr", "-c", config],
        capture_output=True,
        text=True,
        timeout=30,
    )

    assert check.returncode == 0, check.stderr


@pytest.mark.parametrize(
    "change",
    [{"NGINX_UPSTREAM": "127.0.0.1:8001 backend;"}, {"NGINX_LISTEN": "127.0.0.1:99999"}],
)
def test_a_reload_with_a_config_nginx_refuses_leaves_the_running_one_in_place(tmp_path, change):
    if not nginx_binary():
        pytest.skip("nginx is not installed (`make nginx-deps`)")
    assert render(tmp_path, NGINX_UPSTREAM="127.0.0.1:8001").returncode == 0
    running = (tmp_path / "nginx.conf").read_text()

    result = subprocess.run(
        [str(REPO / "scripts" / "nginx.sh"), "reload"],
        env={**os.environ, "NGINX_RUN_DIR": str(tmp_path), "NGINX_UPSTREAM": "127.0.0.1:8001",
             **change},
        capture_output=True,
        text=True,
        timeout=30,
    )  # fmt: skip

    assert result.returncode != 0
    assert (tmp_path / "nginx.conf").read_text() == running
    assert not (tmp_path / "nginx.conf.new").exists()
