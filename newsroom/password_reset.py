""" "Forgot your password?" on the admin login: Django's password reset views, with the
mail sent by the task queue (never inside the request) and its link on SITE_URL.

The pages are Django admin's own registration/password_reset_*.html templates, which
extend admin/base_site.html. Axes (newsroom/login_lockout.py) only watches logins: a
reset neither counts as a failed login nor lifts a lock.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import path, reverse

from . import outbox, tasks
from .links import public_url


class QueuedPasswordResetForm(PasswordResetForm):
    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        """Render the mail now (the token is made for this request) and queue it for
        after the transaction commits; a queue that is down keeps it (newsroom.outbox)."""
        link = reverse(
            "password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]}
        )
        context = {**context, "reset_url": public_url(link)}
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        transaction.on_commit(
            lambda: outbox.enqueue(tasks.send_email, subject, body, from_email, to_email),
            robust=True,
        )

    def save(self, *args, extra_email_context=None, **kwargs):
        extra = {"site_name": settings.SITE_NAME, **(extra_email_context or {})}
        return super().save(*args, extra_email_context=extra, **kwargs)


class InTheAdmin:
    """The admin's header, site name and theme on the reset pages, as on its own pages."""

    def get_context_data(self, **kwargs):
        return {**admin.site.each_context(self.request), **super().get_context_data(**kwargs)}


class PasswordResetView(InTheAdmin, auth_views.PasswordResetView):
    form_class = QueuedPasswordResetForm
    email_template_name = "registration/newsroom_password_reset_email.txt"


class PasswordResetDoneView(InTheAdmin, auth_views.PasswordResetDoneView):
    pass


class PasswordResetConfirmView(InTheAdmin, auth_views.PasswordResetConfirmView):
    pass


class PasswordResetCompleteView(InTheAdmin, auth_views.PasswordResetCompleteView):
    pass


# Under /admin/ (before the admin's own URLs): the admin login shows its "Forgotten your
# login credentials?" link when a URL named admin_password_reset exists.
urlpatterns = [
    path(
        "admin/password_reset/",
        PasswordResetView.as_view(),
        name="admin_password_reset",
    ),
    path(
        "admin/password_reset/done/",
        PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "admin/reset/<uidb64>/<token>/",
        PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "admin/reset/done/",
        PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
