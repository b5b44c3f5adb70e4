"""The moderators' admin: the Comment changelist is the moderation queue."""

import html
import json
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import ShowFacets
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, strip_tags
from django.utils.text import Truncator
from django.utils.translation import ngettext

from articles.admin import ArticleAdmin
from articles.models import Article

from .models import Comment, CommentEdit, CommentStatusChange
from .threads import DISPLAY_FIELDS, CommentThreads

PERSONAL_DATA_PERMISSION = "comments.view_commenter_personal_data"
MODERATE_PERMISSION = "comments.moderate_comment"


@dataclass(frozen=True)
class Transition:
    """A move a moderator can make, as one comment's buttons and the bulk actions offer it."""

    method: str  # the Comment method that makes the change
    status: str  # where it takes a comment
    label: str  # what the button says
    done: str  # what the message says happened

    def message(self, count):
        if not count:
            return f"No comments changed: the selected comments were already {self.done}."
        return ngettext("%(count)s comment %(done)s.", "%(count)s comments %(done)s.", count) % {
            "count": intcomma(count),
            "done": self.done,
        }


# Keyed by the name in moderation URLs (admin:comments_comment_moderate), which the
# emails to moderators link to.
TRANSITIONS = {
    "approve": Transition("approve", Comment.Status.APPROVED, "Approve", "approved"),
    "spam": Transition("mark_spam", Comment.Status.SPAM, "Mark as spam", "marked as spam"),
    "remove": Transition("remove", Comment.Status.REMOVED, "Remove", "removed"),
    "restore": Transition(
        "restore", Comment.Status.PENDING, "Restore to pending", "restored to pending"
    ),
}


class StatusFilter(admin.SimpleListFilter):
    """The queue opens on pending comments; every status shows how many it holds."""

    title = "status"
    parameter_name = "status"
    default = Comment.Status.PENDING
    everything = "all"

    def lookups(self, request, model_admin):
        counts = dict(Comment.objects.order_by().values_list("status").annotate(count=Count("pk")))
        choices = [
            (status, f"{label} ({intcomma(counts.get(status, 0))})")
            for status, label in Comment.Status.choices
        ]
        choices.append((self.everything, f"All ({intcomma(sum(counts.values()))})"))
        return choices

    def value(self):
        return super().value() or self.default

    def queryset(self, request, queryset):
        value = self.value()
        if value in Comment.Status.values:
            return queryset.filter(status=value)
        return queryset

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


class ArticleFilter(admin.SimpleListFilter):
    """The articles with the most comments waiting, and the one being looked at."""

    title = "article"
    parameter_name = "article"
    shown = 15

    def lookups(self, request, model_admin):
        # Counted over the pending comments' article ids, with the title alone joined in:
        # grouping articles whole (SQLite groups by every column, bodies too) took 80 ms
        # for a queue of 10,000 on every page of it, against 13 ms.
        busiest = (
            Comment.objects.filter(status=Comment.Status.PENDING)
            .values("article")
            .annotate(pending=Count("pk"))
            .order_by("-pending", "-article__published_at")
            .values_list("article", "article__title", "pending")[: self.shown]
        )
        choices = [(str(pk), f"{title} ({intcomma(pending)})") for pk, title, pending in busiest]
        selected = self._article_id()
        if selected and selected not in dict(choices):
            title = Article.objects.filter(pk=selected).values_list("title", flat=True).first()
            if title:
                choices.append((selected, title))
        return choices

    def queryset(self, request, queryset):
        value = self._article_id()
        if value:
            return queryset.filter(article_id=value)
        return queryset

    def _article_id(self):
        """The article asked for, or None when the value is no id (an ignored filter)."""
        value = self.value()
        # str.isdigit() also accepts "²"; 19 digits and more may not fit a bigint.
        if value and value.isascii() and value.isdigit() and len(value) < 19:
            return value
        return None


class StatusChangeInline(admin.TabularInline):
    """The comment's audit trail, read-only."""

    model = CommentStatusChange
    verbose_name = "status change"
    verbose_name_plural = "moderation history"
    fields = ["changed_at", "changed_by", "from_status", "to_status", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")


class EditInline(admin.TabularInline):
    """The texts its author replaced, newest first, read-only."""

    model = CommentEdit
    verbose_name = "edit by its author"
    verbose_name_plural = "edits by its author (earlier texts)"
    fields = ["edited_at", "previous_body"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReplyForm(forms.Form):
    body = forms.CharField(
        label="Reply",
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        max_length=Comment._meta.get_field("body").max_length or 10_000,
        help_text="Posted at once, approved, under your name. "
        "A pending comment is approved when you reply to it.",
    )


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["excerpt", "commenter", "article_link", "submitted_at", "status", "reason"]
    list_display_links = ["excerpt"]
    list_select_related = ["article"]
    list_filter = [StatusFilter, ArticleFilter, "submitted_at"]
    # The counts are in the status filter's own labels; Django's facets would add queries.
    show_facets = ShowFacets.NEVER
    ordering = ["-submitted_at", "-pk"]
    list_per_page = 50
    actions = [
        "approve",
        "mark_spam",
        "remove",
        "restore",
        "export_personal_data",
        "erase_personal_data",
    ]
    inlines = [StatusChangeInline, EditInline]
    change_form_template = "admin/comments/comment/change_form.html"

    # What a commenter told us about themselves; only moderators see it.
    personal_fields = ["author_email", "ip_address", "user_agent", "user"]

    # A link typed without a scheme is https: Django 6's default, without its warning.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    # --- permissions ---------------------------------------------------------------

    def has_add_permission(self, request):
        return False  # Readers write comments; staff reply from a comment's page.

    def has_moderate_permission(self, request):
        return request.user.has_perm(MODERATE_PERMISSION)

    def has_personal_data_permission(self, request):
        return request.user.has_perm(PERSONAL_DATA_PERMISSION)

    # --- the queue -----------------------------------------------------------------

    def get_search_fields(self, request):
        fields = ["author_name", "author_url", "body"]
        if self.has_personal_data_permission(request):
            fields += ["author_email", "ip_address"]
        return fields

    @admin.display(description="comment")
    def excerpt(self, comment):
        # The words as readers see them, without the markup; the admin escapes the result.
        return Truncator(html.unescape(strip_tags(comment.body_html))).chars(100)

    def get_list_display(self, request):
        if self.has_personal_data_permission(request):
            return [
                "commenter_with_contact" if column == "commenter" else column
                for column in self.list_display
            ]
        return self.list_display

    @admin.display(description="author", ordering="author_name")
    def commenter(self, comment):
        return comment.author_name

    @admin.display(description="author", ordering="author_name")
    def commenter_with_contact(self, comment):
        return format_html(
            "{}<br><small>{}</small><br><small>{}</small>",
            comment.author_name,
            comment.author_email or "no email",
            comment.ip_address or "no IP address",
        )

    @admin.display(description="article", ordering="article__title")
    def article_link(self, comment):
        return format_html(
            '<a href="{}">{}</a> <small>(<a href="?{}={}">queue</a>)</small>',
            comment.article.staff_url(),
            comment.article.title,
            ArticleFilter.parameter_name,
            comment.article_id,
        )

    @admin.display(description="why", ordering="moderation_reason")
    def reason(self, comment):
        return comment.moderation_reason

    # --- one comment ---------------------------------------------------------------

    def view_on_site(self, comment):
        return comment_url(comment)

    def get_fields(self, request, obj=None):
        fields = [
            "article_link",
            "parent",
            "author_name",
            "author_url",
            "body",
            "status",
            "moderation_reason",
            "submitted_at",
            "status_changed_at",
            "edited_at",
        ]
        if self.has_personal_data_permission(request):
            fields += self.personal_fields
        return fields

    def get_readonly_fields(self, request, obj=None):
        # Status moves only through the moderation methods, so each move is audited.
        readonly = [
            "article_link",
            "parent",
            "status",
            "moderation_reason",
            "submitted_at",
            "status_changed_at",
            "edited_at",
        ]
        if self.has_personal_data_permission(request):
            readonly += self.personal_fields
        return readonly

    def change_view(self, request, object_id, form_url="", extra_context=None):
        comment = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if comment is not None:
            extra_context |= {
                "comment": comment,
                "thread": thread_of(comment),
                "comment_url": comment_url(comment),
                "transitions": [
                    (name, transition)
                    for name, transition in TRANSITIONS.items()
                    if comment.status != transition.status
                ],
                "can_moderate": self.has_moderate_permission(request),
                "reply_form": ReplyForm(),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "<path:object_id>/moderate/<slug:transition>/",
                self.admin_site.admin_view(self.moderate_view),
                name=f"{prefix}_moderate",
            ),
            path(
                "<path:object_id>/reply/",
                self.admin_site.admin_view(self.reply_view),
                name=f"{prefix}_reply",
            ),
            *super().get_urls(),
        ]

    def _moderatable_comment(self, request, object_id):
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        comment = self.get_object(request, object_id)
        if comment is None:
            raise Http404("No such comment.")
        return comment

    def moderate_view(self, request, object_id, transition):
        """Approve, spam, remove or restore one comment; a GET (an email link) asks first."""
        if transition not in TRANSITIONS:
            raise Http404("No such moderation action.")
        comment = self._moderatable_comment(request, object_id)
        move = TRANSITIONS[transition]
        if request.method == "POST":
            changed = getattr(comment, move.method)(by=request.user)
            self.message_user(request, move.message(int(changed)), messages.SUCCESS)
            return redirect("admin:comments_comment_change", comment.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"{move.label}?",
            "comment": comment,
            "transition": move,
            "already": comment.status == move.status,
            "comment_url": comment_url(comment),
        }
        return TemplateResponse(
            request, "admin/comments/comment/moderate_confirmation.html", context
        )

    def reply_view(self, request, object_id):
        if request.method != "POST":
            return redirect("admin:comments_comment_change", object_id)
        comment = self._moderatable_comment(request, object_id)
        form = ReplyForm(request.POST)
        if form.is_valid():
            reply = comment.reply_as_staff(form.cleaned_data["body"], by=request.user)
            posted = format_html('Reply posted: <a href="{}">see it</a>.', comment_url(reply))
            self.message_user(request, posted, messages.SUCCESS)
        else:
            self.message_user(request, "The reply was empty or too long.", messages.ERROR)
        return redirect("admin:comments_comment_change", comment.pk)

    # --- bulk actions ----------------------------------------------------------------

    def _change_status(self, request, queryset, transition):
        move = TRANSITIONS[transition]
        changed = queryset.change_status(move.status, by=request.user)
        self.message_user(request, move.message(changed), messages.SUCCESS)

    @admin.action(description="Approve selected comments", permissions=["moderate"])
    def approve(self, request, queryset):
        self._change_status(request, queryset, "approve")

    @admin.action(description="Mark selected comments as spam", permissions=["moderate"])
    def mark_spam(self, request, queryset):
        self._change_status(request, queryset, "spam")

    @admin.action(description="Remove selected comments", permissions=["moderate"])
    def remove(self, request, queryset):
        self._change_status(request, queryset, "remove")

    @admin.action(description="Restore selected comments to pending", permissions=["moderate"])
    def restore(self, request, queryset):
        self._change_status(request, queryset, "restore")

    @admin.action(
        description="Export all comments by these commenters' emails (JSON)",
        permissions=["personal_data"],
    )
    def export_personal_data(self, request, queryset):
        emails = commenter_emails(queryset)
        data = {
            "emails": emails,
            "comments": Comment.objects.by_emails(emails).export_personal_data(),
        }
        response = HttpResponse(
            json.dumps(data, cls=DjangoJSONEncoder, indent=2),
            content_type="application/json",
        )
        response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
        return response

    @admin.action(
        description="Erase personal data of these commenters (every comment by their emails)",
        permissions=["personal_data"],
    )
    def erase_personal_data(self, request, queryset):
        emails = commenter_emails(queryset)
        comments = Comment.objects.by_emails(emails)
        if request.POST.get("confirmed") == "yes":
            remove_text = request.POST.get("remove_text") == "on"
            erased = comments.erase_personal_data(by=request.user, remove_text=remove_text)
            self.message_user(
                request,
                ngettext(
                    "Personal data erased from %(count)s comment.",
                    "Personal data erased from %(count)s comments.",
                    erased,
                )
                % {"count": intcomma(erased)},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Erase personal data?",
            "emails": emails,
            "comment_count": comments.count(),
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
            "action": "erase_personal_data",
            "query_string": request.GET.urlencode(),
        }
        return TemplateResponse(request, "admin/comments/comment/erase_personal_data.html", context)


# The editors' article list, from the articles app, with each article's comments counted:
# articles know nothing of comments.
admin.site.unregister(Article)


@admin.register(Article)
class ArticleWithCommentsAdmin(ArticleAdmin):
    # The counts go before the last column, the link to the article.
    list_display = [
        *ArticleAdmin.list_display[:-1],
        "approved_comments",
        "pending_comments",
        *ArticleAdmin.list_display[-1:],
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                approved_comment_count=Count(
                    "comments", filter=Q(comments__status=Comment.Status.APPROVED)
                ),
                pending_comment_count=Count(
                    "comments", filter=Q(comments__status=Comment.Status.PENDING)
                ),
            )
        )

    @admin.display(description="approved comments", ordering="approved_comment_count")
    def approved_comments(self, article):
        return intcomma(article.approved_comment_count)

    @admin.display(description="pending comments", ordering="pending_comment_count")
    def pending_comments(self, article):
        return intcomma(article.pending_comment_count)


def commenter_emails(queryset):
    return sorted(
        set(
            queryset.exclude(author_email="")
            .order_by()
            .values_list("author_email", flat=True)
            .distinct()
        ),
        key=str.lower,
    )


def comment_url(comment):
    """Where readers find the comment: its permalink once visible, else the preview's anchor."""
    if comment.is_approved and comment.article.is_published:
        return comment.get_absolute_url()
    return f"{reverse('articles:preview', args=[comment.article_id])}#comment-{comment.pk}"


def thread_of(comment):
    """The whole conversation the comment is part of, every status, nested as readers see
    it (to settings.COMMENTS_THREAD_DEPTH): the CommentNodes from its top comment down."""
    rows = Comment.objects.filter(article_id=comment.article_id).order_by().values(*DISPLAY_FIELDS)
    top = CommentThreads(rows, held_replies_first=False).thread_of(comment.pk)
    return [] if top is None else list(top.in_reading_order())
