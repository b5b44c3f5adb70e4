from django.urls import path, register_converter

from . import views


class TwoDigitConverter:
    regex = "[0-9]{2}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):02d}"


register_converter(TwoDigitConverter, "dd")

app_name = "articles"

urlpatterns = [
    path("", views.FrontPageView.as_view(), name="front"),
    path("<int:year>/<dd:month>/<dd:day>/<slug:slug>/", views.article_detail, name="detail"),
    path("preview/<int:pk>/", views.article_preview, name="preview"),
    path("category/<slug:slug>/", views.CategoryView.as_view(), name="category"),
    path("author/<slug:slug>/", views.AuthorView.as_view(), name="author"),
]
