from django.conf import settings
from django.contrib import admin


class NewsroomAdminSite(admin.AdminSite):
    """Django's admin, titled for the site.

    (The moderation queue's pending count in its pages' header is the comments app's:
    templates/admin/ load it from comments/templatetags/comments_admin.py.)
    """

    site_header = settings.SITE_NAME
    site_title = settings.SITE_NAME
    index_title = "Newsroom"
