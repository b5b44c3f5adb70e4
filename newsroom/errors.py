"""The answer to a request refused for want of permission (PermissionDenied): in the
admin, an admin page with the admin's own links; on the site, the site's page."""

from django.contrib import admin
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import requires_csrf_token


@requires_csrf_token
def permission_denied(request, exception=None):
    if request.path.startswith(reverse("admin:index")):
        context = {
            **admin.site.each_context(request),
            "title": "You don’t have permission to view this page",
        }
        return render(request, "admin/403.html", context, status=403)
    return render(request, "403.html", status=403)
