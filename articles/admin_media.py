"""The media library in the admin: upload an image, describe it, find it again.

The list shows thumbnails, so it doubles as the picker for an article's featured image
(the raw-id lookup opens it in a popup).
"""

import re
from pathlib import PurePath

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from . import imaging
from .media import Image


class ImageLookupWidget(ForeignKeyRawIdWidget):
    """The raw-id lookup of an image (an article's featured image), with a thumbnail of
    the image chosen under it."""

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        image = Image.objects.filter(pk=value).first() if str(value or "").isdigit() else None
        if image is None:
            return html
        width, height, url = image.rendition(480)
        thumbnail = format_html(
            '<div class="featured-image-thumbnail"><img class="image-thumbnail" src="{}" '
            'width="{}" height="{}" alt=""></div>',
            url,
            width,
            height,
        )
        # Inside the widget's own <div>, under the field rather than under its label.
        if html.endswith("</div>"):
            return mark_safe(html[: -len("</div>")] + thumbnail + "</div>")  # noqa: S308
        return html + thumbnail


class ImageForm(forms.ModelForm):
    upload = forms.FileField(
        label="Image file",
        help_text="JPEG, PNG, WebP or GIF. Location and camera details (EXIF) are removed.",
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(mime for _, mime in imaging.ACCEPTED_FORMATS.values())}
        ),
    )

    class Meta:
        model = Image
        fields = ["upload", "title", "alt_text", "decorative", "caption", "credit"]
        widgets = {
            "alt_text": forms.TextInput(attrs={"size": 80}),
            "caption": forms.TextInput(attrs={"size": 80}),
            "title": forms.TextInput(attrs={"size": 60}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.checked = None
        if self.instance.pk:
            # An image's file is what it is: a new file is a new image.
            del self.fields["upload"]
        else:
            self.fields["title"].required = False
            self.fields["title"].help_text = "Leave empty to use the file's name."

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        self.checked = imaging.check_image(imaging.read_upload(upload))
        existing = Image.objects.filter(content_hash=self.checked.content_hash).first()
        if existing is not None:
            raise forms.ValidationError(
                format_html(
                    'This image is already in the library: <a href="{}">{}</a>.',
                    existing.admin_url(),
                    existing.title,
                ),
                code="duplicate",
            )
        return upload

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("upload")
        if upload is not None and not cleaned.get("title"):
            cleaned["title"] = PurePath(upload.name).stem[:200] or "Untitled image"
        return cleaned

    def save(self, commit=True):
        image = super().save(commit=False)
        if not commit:
            return image
        if self.checked is not None:
            # The files and the row together, or neither.
            image.store_upload(self.checked)
        else:
            image.save()
        return image


# Thumbnails a page of the picker shows; the search narrows the rest.
PICKER_PAGE_SIZE = 48
PICKER_CALLBACK = re.compile(r"-?[0-9]{1,9}")


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageForm
    list_display = ["thumbnail", "title", "described", "dimensions", "format", "uploaded_at"]
    list_display_links = ["thumbnail", "title"]
    list_filter = ["format", "decorative", "uploaded_at"]
    search_fields = ["title", "alt_text", "caption", "credit"]
    date_hierarchy = "uploaded_at"
    show_facets = admin.ShowFacets.NEVER
    readonly_fields = ["preview", "details", "body_html"]

    def get_fieldsets(self, request, obj=None):
        described = ["title", "alt_text", "decorative", "caption", "credit"]
        if obj is None:
            return [(None, {"fields": ["upload", *described]})]
        return [
            (None, {"fields": ["preview", *described]}),
            ("File", {"fields": ["details", "body_html"]}),
        ]

    def get_urls(self):
        picker = path(
            "picker/",
            self.admin_site.admin_view(self.picker_view),
            name="articles_image_picker",
        )
        return [picker, *super().get_urls()]

    def picker_view(self, request):
        """The article editor's image picker (its "Browse..." button, articles/editor.py):
        the library as thumbnails with a search; a click hands the image's address, alt
        text and caption back to the editor (static/articles/image-picker.js)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        query = " ".join(request.GET.get("q", "").split())[:200]
        images = Image.objects.all()
        for word in query.split():
            images = images.filter(
                Q(title__icontains=word) | Q(alt_text__icontains=word) | Q(caption__icontains=word)
            )
        page = Paginator(images, PICKER_PAGE_SIZE).get_page(request.GET.get("page"))
        # The editor's number for its callback, as CKEditor's file browser is given it.
        callback = request.GET.get("CKEditorFuncNum", "")
        if not PICKER_CALLBACK.fullmatch(callback):
            callback = ""
        context = {
            **self.admin_site.each_context(request),
            "title": "Choose an image",
            "opts": self.opts,
            "is_popup": True,
            "query": query,
            "page_obj": page,
            "choices": [(image, image.rendition(480)) for image in page],
            "callback": callback,
        }
        return TemplateResponse(request, "admin/articles/image/picker.html", context)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        form.save()

    @admin.display(description="")
    def thumbnail(self, image):
        width, height, url = image.rendition(480)
        return format_html(
            '<img class="image-thumbnail" src="{}" width="{}" height="{}" alt="" loading="lazy">',
            url,
            width,
            height,
        )

    @admin.display(description="alt text")
    def described(self, image):
        return "(decorative)" if image.decorative else image.alt_text

    @admin.display(description="size")
    def dimensions(self, image):
        return f"{image.width} × {image.height}"

    @admin.display(description="image")
    def preview(self, image):
        width, height, url = image.rendition(800)
        return format_html(
            '<img class="image-preview" src="{}" width="{}" height="{}" alt="{}">',
            url,
            width,
            height,
            image.alt,
        )

    @admin.display(description="file")
    def details(self, image):
        made = sorted({r["width"] for r in image.renditions})
        widths = ", ".join(str(w) for w in made) or "none (an animation is kept whole)"
        return format_html(
            '{} × {} pixels, {}, {}. Renditions at widths {}. <a href="{}">Original</a>',
            image.width,
            image.height,
            image.get_format_display(),
            filesizeformat(image.file_bytes),
            widths,
            image.url,
        )

    @admin.display(description="HTML for an article body")
    def body_html(self, image):
        return format_html(
            '<textarea class="image-body-html" readonly rows="4" cols="80">{}</textarea>',
            image.figure_html(),
        )
