from django.contrib import admin
from django.urls import include, path

from . import password_reset

urlpatterns = [
    *password_reset.urlpatterns,
    path("admin/", admin.site.urls),
    path("comments/", include("comments.urls")),
    path("", include("articles.urls")),
]

# PermissionDenied: the admin's own page in the admin, the site's elsewhere.
handler403 = "newsroom.errors.permission_denied"
