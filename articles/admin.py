"""The editors' admin: articles with their schedule at a glance, authors, sections, tags."""

from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.humanize.templatetags.humanize import intcomma
from django.db import models
from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.translation import ngettext

from . import admin_media  # noqa: F401  (registers the media library)
from .models import Article, ArticleAuthor, Author, Category, Tag


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
class ArticleAdmin(admin.ModelAdmin):
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
    fieldsets = [
        (None, {"fields": ["title", "slug", "standfirst", "body"]}),
        ("Featured image", {"fields": ["featured_image"]}),
        (
            "Publishing",
            {"fields": ["status", "published_at", "category", "tags", "is_lead_story", "password"]},
        ),
        ("Comments", {"fields": ["comments_open"]}),
        (
            "Republished from elsewhere",
            {"fields": ["original_outlet", "original_url"], "classes": ["collapse"]},
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
        if articles:
            LogEntry.objects.log_actions(request.user.pk, articles, CHANGE, message)

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
