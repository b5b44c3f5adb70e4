import os
import secrets
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def production_env(**overrides):
    """The environment of a production process: no DEBUG, no pytest, a real key."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DEBUG", "PYTEST_VERSION", "PYTEST_CURRENT_TEST", "SECRET_KEY"}
    }
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="news.example.com,127.0.0.1,localhost",
    )
    env.update(overrides)
    return env


def manage(*args, env, timeout=120):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
