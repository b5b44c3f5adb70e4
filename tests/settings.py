"""The settings the suite runs with: the production settings, read from the same
environment (DATABASE_URL, REDIS_URL...), with what a test run needs instead."""

import os

# Production refuses to start without a key; the suite uses a throwaway one.
os.environ.setdefault("SECRET_KEY", "tests-only-key-never-use-in-production")

from newsroom.settings import *  # noqa: E402, F403
from newsroom.settings import HUEY, STORAGES, env_bool  # noqa: E402

# The suite does not run collectstatic: plain static names, as a DEBUG server has them.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tasks (the emails) run at once, in the test's own process, unless a test asks otherwise.
HUEY = {**HUEY, "immediate": env_bool("HUEY_IMMEDIATE", default=True)}
# Uploaded images are served by the test server (nginx does it in production).
SERVE_MEDIA = True
