"""The editors' admin: articles with their schedule at a glance, authors, sections, tags."""

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.utils import unquote
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.translation import ngettext
from js_asset import Media
from reversion.admin import VersionAdmin
from reversion.models import Version

from . import admin_media  # noqa: F401  (registers the media library)
from .editor import body_form_field
from .media import with_library_figures
from .models import Article, ArticleAuthor, Author, Category, Page, Tag
from .revisions import compare_versions

# The button on the article's add and change pages that saves a draft and opens its preview.
SAVE_DRAFT_AND_PREVIEW = "_savedraftpreview"


class ArticleAdminForm(forms.ModelForm):
    """The article as editors write it: the headline on one wide line, the standfirst in a
    few lines, the body in the rich-text editor (articles/editor.py). The admin makes the
    form for Article (fields, formfield_overrides); this adjusts three of them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].widget.attrs.update({"class": "headline-input", "autocomplete": "off"})
        self.fields["standfirst"].widget.attrs.update({"class": "standfirst-input", "rows": 3})
        body = self.fields["body"]
        self.fields["body"] = body_form_field(
            required=False, label=body.label, help_text=_BODY_HELP
        )

    def clean_body(self):
        # An image picked from the library comes back from the editor as a plain <img> of
        # one rendition: stored as the library's responsive figure (srcset, sizes, width,
        # height, lazy), with the caption the editor gave it.
        return with_library_figures(self.cleaned_data["body"])


_BODY_HELP = (
    "Headings, lists, links, quotes and images with captions, from the toolbar. The page "
    "keeps only what the editor makes: anything else pasted in is removed on save."
)


class EditorialStateFilter(admin.SimpleListFilter):
    """Draft, scheduled or published, as the querysets define them."""

    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("draft", "Draft"), ("scheduled", "Scheduled"), ("published", "Published")]

    def queryset(self, request, queryset):
        match self.value():
            case "draft":
                return queryset.drafts()
            case "scheduled":
                return queryset.scheduled()
            case "published":
                return queryset.published()
        return queryset


class BylineInline(admin.TabularInline):
    model = ArticleAuthor
    verbose_name = "author"
    verbose_name_plural = "byline (in order)"
    fields = ["author", "position"]
    autocomplete_fields = ["author"]
    ordering = ["position", "id"]
    extra = 1


@admin.register(Article)
class ArticleAdmin(VersionAdmin):
    form = ArticleAdminForm
    object_history_template = "admin/articles/article/object_history.html"
    # Newest first, as editors look for what changed last.
    history_latest_first = True
    list_display = [
        "title",
        "state",
        "byline",
        "category",
        "view_link",
    ]
    list_filter = [EditorialStateFilter, "status", "is_lead_story", "published_at", "category"]
    search_fields = ["title", "standfirst", "slug", "authors__name"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["category", "tags"]
    # The lookup opens the media library (with thumbnails) to pick from.
    raw_id_fields = ["featured_image"]
    inlines = [BylineInline]
    actions = ["publish", "unpublish"]
    show_facets = admin.ShowFacets.NEVER
    # As WordPress's editor: the writing in the main column, the rest beside it on a wide
    # screen (static/css/admin.css places the fieldsets by these classes).
    fieldsets = [
        (None, {"fields": ["title", "standfirst", "body"], "classes": ["editor-main"]}),
        (
            "Publishing",
            {
                "fields": ["status", "published_at", "slug", "is_lead_story", "password"],
                "classes": ["editor-side"],
            },
        ),
        ("Featured image", {"fields": ["featured_image"], "classes": ["editor-side"]}),
        ("Section and tags", {"fields": ["category", "tags"], "classes": ["editor-side"]}),
        ("Comments", {"fields": ["comments_open"], "classes": ["editor-side"]}),
        (
            "Republished from elsewhere",
            {
                "fields": ["original_outlet", "original_url"],
                "classes": ["editor-side", "collapse"],
            },
        ),
    ]

    # A link typed without a scheme is https: Django 6's default, without its warning.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        return super().get_queryset(request).with_bylines()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "featured_image":
            kwargs["widget"] = admin_media.ImageLookupWidget(db_field.remote_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_urls(self):
        compare = path(
            "<path:object_id>/history/compare/",
            self.admin_site.admin_view(self.compare_view),
            name="articles_article_compare",
        )
        return [compare, *super().get_urls()]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The editor's import map is an inline <script>: it carries this request's CSP nonce.
        context["media"] = Media.from_media(context["media"], nonce=request.csp_nonce)
        context["show_save_draft_and_preview"] = not context.get("revert") and (
            obj is None or obj.status == Article.Status.DRAFT
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        if SAVE_DRAFT_AND_PREVIEW in request.POST:
            # Whatever the form's status said: this button never publishes.
            obj.status = Article.Status.DRAFT
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        if SAVE_DRAFT_AND_PREVIEW in request.POST:
            return HttpResponseRedirect(reverse("articles:preview", args=[obj.pk]))
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if SAVE_DRAFT_AND_PREVIEW in request.POST:
            return HttpResponseRedirect(reverse("articles:preview", args=[obj.pk]))
        return super().response_change(request, obj)

    def history_view(self, request, object_id, extra_context=None):
        """The article's revisions, newest first, each with who saved it and why, a link
        to restore it and a choice of two to compare."""
        versions = (
            Version.objects.get_for_object_reference(Article, unquote(object_id))
            .select_related("revision__user")
            .order_by("-revision__date_created", "-pk")
        )
        revisions = [
            {
                "version": version,
                "restore_url": reverse(
                    "admin:articles_article_revision", args=[version.object_id, version.pk]
                ),
            }
            for version in versions
        ]
        context = {
            "revisions": revisions,
            "compare_url": reverse("admin:articles_article_compare", args=[unquote(object_id)]),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, context)

    def compare_view(self, request, object_id):
        """Two revisions of an article side by side: what changed in its headline,
        standfirst and body (the revisions' ids in ?old=…&new=…)."""
        article = get_object_or_404(Article, pk=unquote(object_id))
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        versions = Version.objects.get_for_object(article).select_related("revision__user")
        old = get_object_or_404(versions, pk=_positive_int(request.GET.get("old")))
        new = get_object_or_404(versions, pk=_positive_int(request.GET.get("new")))
        if old.revision.date_created > new.revision.date_created:
            old, new = new, old
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": f"Compare revisions of “{article}”",
            "subtitle": None,
            "old": old,
            "new": new,
            "changes": compare_versions(old.field_dict, new.field_dict),
            "history_url": reverse("admin:articles_article_history", args=[article.pk]),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    def view_on_site(self, article):
        return article.staff_url()

    @admin.display(description="state", ordering="published_at")
    def state(self, article):
        state = article.editorial_state
        if article.is_scheduled:
            # Of a scheduled article, editors want to know when it goes live.
            local = timezone.localtime(article.published_at)
            return f"{state} for {dateformat.format(local, 'j M Y, H:i')}"
        return state

    @admin.display(description="by")
    def byline(self, article):
        return article.byline

    @admin.display(description="")
    def view_link(self, article):
        label = "View" if article.is_published else "Preview"
        return format_html('<a href="{}">{}</a>', article.staff_url(), label)

    def _log(self, request, articles, message):
        """Audit a bulk change: a LogEntry and a revision for each article, by this user."""
        if not articles:
            return
        LogEntry.objects.log_actions(request.user.pk, articles, CHANGE, message)
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment(message)
            for article in Article.objects.filter(pk__in=[a.pk for a in articles]):
                reversion.add_to_revision(article)

    @admin.action(description="Publish selected articles", permissions=["change"])
    def publish(self, request, queryset):
        drafts = list(queryset.drafts().order_by())
        Article.objects.filter(pk__in=[a.pk for a in drafts]).publish()
        self._log(request, drafts, "Published.")
        self.message_user(
            request,
            ngettext("%(count)s article published.", "%(count)s articles published.", len(drafts))
            % {"count": intcomma(len(drafts))},
            messages.SUCCESS,
        )

    @admin.action(description="Unpublish selected articles (back to draft)", permissions=["change"])
    def unpublish(self, request, queryset):
        live = list(queryset.exclude(status=Article.Status.DRAFT).order_by())
        Article.objects.filter(pk__in=[a.pk for a in live]).unpublish()
        self._log(request, live, "Unpublished.")
        self.message_user(
            request,
            ngettext("%(count)s article unpublished.", "%(count)s articles unpublished.", len(live))
            % {"count": intcomma(len(live))},
            messages.SUCCESS,
        )


def _positive_int(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "user", "notify_on_approved_comment"]
    list_select_related = ["user"]
    search_fields = ["name", "slug", "bio"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "bio", "user", "notify_on_approved_comment"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # The choices are also what the field accepts: a posted account outside them is
        # refused on save, whatever the dropdown showed.
        user_field = form.base_fields["user"]
        user_field.queryset = (obj or Author()).linkable_accounts(request.user)
        user_field.error_messages["invalid_choice"] = (
            "You may link only yourself or a staff account that is not a superuser and "
            "has no author profile yet."
        )
        return form


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class PageAdminForm(forms.ModelForm):
    """A static page as editors write it: the title on one wide line, the body in the same
    rich-text editor as articles."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].widget.attrs.update({"class": "headline-input", "autocomplete": "off"})
        body = self.fields["body"]
        self.fields["body"] = body_form_field(
            required=False, label=body.label, help_text=_BODY_HELP
        )

    def clean_body(self):
        return with_library_figures(self.cleaned_data["body"])


@admin.register(Page)
class PageAdmin(VersionAdmin):
    form = PageAdminForm
    history_latest_first = True
    list_display = ["title", "address", "status", "updated_at"]
    list_filter = ["status"]
    search_fields = ["title", "path", "body"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["parent"]
    show_facets = admin.ShowFacets.NEVER
    fieldsets = [
        (None, {"fields": ["title", "body"], "classes": ["editor-main"]}),
        ("Publishing", {"fields": ["status", "parent", "slug"], "classes": ["editor-side"]}),
    ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The editor's import map is an inline <script>: it carries this request's CSP nonce.
        context["media"] = Media.from_media(context["media"], nonce=request.csp_nonce)
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description="address", ordering="path")
    def address(self, page):
        return format_html('<a href="{}">{}</a>', page.get_absolute_url(), page.get_absolute_url())
