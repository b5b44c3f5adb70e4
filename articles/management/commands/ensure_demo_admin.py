"""For `make run` only: make sure someone can log in to the admin of a local demo site.

Creates `admin` with a fresh random password when there is no superuser at all, and keeps
that password in a git-ignored file (readable by its owner only) so that later runs can
show it again. There is never a fixed password.
"""

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

DEMO_USERNAME = "admin"
# An address of the domain reserved for examples (RFC 2606): nothing is ever delivered
# there, but the admin is a moderator with an address, so held comments are mailed (to
# the console under DEBUG) instead of "no moderator has an email address".
DEMO_EMAIL = "admin@example.com"
ADMIN_URL = "http://127.0.0.1:8000/admin/"


class Command(BaseCommand):
    help = "Create a demo superuser with a random password if there is no superuser yet."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password-file",
            type=Path,
            default=Path(settings.BASE_DIR) / ".demo-admin-password",
            help="Where the generated password is kept (default: .demo-admin-password).",
        )

    def handle(self, *args, password_file, **options):
        User = get_user_model()
        superusers = User.objects.filter(is_superuser=True)
        if not superusers.exists():
            if User.objects.filter(username=DEMO_USERNAME).exists():
                # Never turn an existing ordinary account into a superuser behind its back.
                self.stdout.write(
                    f"A user called {DEMO_USERNAME!r} exists but is not a superuser; "
                    "create one with: python manage.py createsuperuser"
                )
                return
            password = secrets.token_urlsafe(18)
            User.objects.create_superuser(DEMO_USERNAME, email=DEMO_EMAIL, password=password)
            _write_private(password_file, password)
            self.stdout.write(f"Log in at {ADMIN_URL} as {DEMO_USERNAME} / {password}")
            self._say_where_mail_goes()
            return

        demo_admin = superusers.filter(username=DEMO_USERNAME).first()
        if demo_admin is not None and not demo_admin.email:
            # A demo admin made before it had an address (an older `make run`).
            demo_admin.email = DEMO_EMAIL
            demo_admin.save(update_fields=["email"])
        saved = password_file.read_text().strip() if password_file.exists() else ""
        if demo_admin and saved and demo_admin.check_password(saved):
            self.stdout.write(f"Log in at {ADMIN_URL} as {DEMO_USERNAME} / {saved}")
        else:
            self.stdout.write(f"Log in at {ADMIN_URL} with your superuser account.")
        self._say_where_mail_goes()

    def _say_where_mail_goes(self):
        backend = settings.EMAIL_BACKEND
        if backend.endswith("console.EmailBackend"):
            where = "printed here, on this console (EMAIL_BACKEND is the console backend)"
        elif backend.endswith("smtp.EmailBackend"):
            where = f"sent through the SMTP server at {settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
        else:
            where = f"handed to {backend}"
        to = ", ".join(settings.COMMENTS_MODERATOR_EMAILS) or (
            f"the superusers and Moderators with an email address ({DEMO_USERNAME}: {DEMO_EMAIL})"
        )
        self.stdout.write(f"Moderation emails go to {to}, {where}.")


def _write_private(path, secret):
    """Write `secret` to `path`, readable and writable by its owner only."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as file:
        file.write(secret + "\n")
    os.chmod(path, 0o600)  # an older file may have had wider permissions
