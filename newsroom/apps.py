from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class NewsroomAdminConfig(AdminConfig):
    default_site = "newsroom.admin.NewsroomAdminSite"


class NewsroomConfig(AppConfig):
    """The project itself: its management commands and checks."""

    name = "newsroom"
    verbose_name = "Newsroom"

    def ready(self):
        from axes.signals import user_locked_out

        from .login_lockout import log_lockout

        user_locked_out.connect(log_lockout, dispatch_uid="newsroom.log_lockout")
