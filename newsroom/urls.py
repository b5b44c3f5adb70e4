from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from . import password_reset

urlpatterns = [
    *password_reset.urlpatterns,
    path("admin/", admin.site.urls),
    path("comments/", include("comments.urls")),
    path("", include("articles.urls")),
]

# PermissionDenied: the admin's own page in the admin, the site's elsewhere.
handler403 = "newsroom.errors.permission_denied"


def serve_media(request, path):
    # MEDIA_ROOT read at each request (the suite gives each test its own).
    return serve(request, path, document_root=settings.MEDIA_ROOT)


# Uploaded images from Django itself: on a DEBUG server, and where the operator asks for it
# (SERVE_MEDIA=1, one machine without nginx). Otherwise nginx serves MEDIA_ROOT
# (deploy/nginx.conf), or the S3 bucket its files.
if settings.SERVE_MEDIA and settings.MEDIA_URL.startswith("/"):
    urlpatterns.append(
        re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.+)$", serve_media, name="media")
    )

# Last of all: the catch-all that serves static pages at their paths.
urlpatterns.append(path("", include("articles.page_urls")))
