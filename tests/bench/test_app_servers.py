"""The bench's --app-servers hook (issue 22): N gunicorns, and nginx's upstream over them."""

import json
import os
import secrets
import shutil

import pytest

from bench import load, run, server


def test_app_servers_option_takes_one_to_eight():
    assert run.parse_args([]).app_servers == 1
    assert run.parse_args(["--app-servers", "2"]).app_servers == 2
    for wrong in ("0", "9", "two", "-1"):
        with pytest.raises(SystemExit):
            run.parse_args(["--app-servers", wrong])


def request_ids_served(log_path):
    lines = log_path.read_text().splitlines()
    entries = [json.loads(line) for line in lines if line.startswith("{")]
    return {e.get("request_id") for e in entries if e.get("logger") == "gunicorn.access"}


def test_two_gunicorns_on_their_own_ports_both_answer_through_nginx(tmp_path):
    if not (shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")):
        pytest.skip("nginx is not installed (`make nginx-deps`)")
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DEBUG", "REDIS_URL", "CACHE_DIR"}},
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    request_ids = [f"app-servers-{secrets.token_hex(4)}-{n}" for n in range(6)]

    with (
        server.running_gunicorns(env, tmp_path, 2, ready_path="/healthz") as gunicorns,
        server.running_nginx(
            [gunicorn.address for gunicorn in gunicorns],
            env,
            tmp_path / "nginx",
            tmp_path / "nginx.log",
        ) as url,
    ):
        statuses = [load.fetch(url, "/healthz", {"X-Request-ID": rid})[0] for rid in request_ids]
        addresses = [gunicorn.address for gunicorn in gunicorns]
        workers = [gunicorn.workers for gunicorn in gunicorns]
    # Stopped: each gunicorn's log is complete.
    served = [request_ids_served(tmp_path / f"gunicorn-{n}.log") & set(request_ids) for n in (0, 1)]

    assert statuses == [200] * 6
    assert len(set(addresses)) == 2
    assert workers == [-(-server.default_workers() // 2)] * 2
    assert served[0] and served[1]
    assert served[0] | served[1] == set(request_ids)
