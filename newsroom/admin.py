from django.conf import settings
from django.contrib import admin


class NewsroomAdminSite(admin.AdminSite):
    """Django's admin, titled for the site, telling moderators how many comments wait."""

    site_header = settings.SITE_NAME
    site_title = settings.SITE_NAME
    index_title = "Newsroom"

    def each_context(self, request):
        from comments.models import Comment

        context = super().each_context(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_active and user.has_perm("comments.moderate_comment"):
            # One indexed count per admin page, shown in the header and on the index.
            context["pending_comments_count"] = Comment.objects.pending().count()
        return context
