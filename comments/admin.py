"""The moderators' admin: the Comment changelist is the moderation queue."""

import functools
import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import ShowFacets
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import validate_email
from django.db import models
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property, lazy
from django.utils.html import format_html
from django.utils.translation import ngettext

from articles.admin import ArticleAdmin
from articles.models import Article
from newsroom.db import RowCount, count_rows

from .admin_queue import (
    MODERATE_PERMISSION,
    PERSONAL_DATA_PERMISSION,
    QUEUE_FILTERS,
    TRANSITIONS,
    comment_cell,
    next_pending,
    queue_title,
    queue_url,
    row_actions_for,
    shown_count,
)
from .fragments import HIGHLIGHT
from .models import Comment, CommentEdit, CommentStatusChange, Sanction
from .reports_admin import ReportsMixin
from .sanctions_admin import BanCommentersMixin
from .threads import PLACE_FIELDS, CommentThreads


class QueuePaginator(Paginator):
    """The queue's pages, counted as newsroom.db.count_rows counts: exact up to 10,000
    comments, PostgreSQL's estimate above (a page past the real end is simply empty)."""

    @cached_property
    def count(self):
        return count_rows(self.object_list)


class ActionPaginator(Paginator):
    """The queue under a bulk action's POST, which answers with a redirect and shows no
    page: counted only as far as the changelist decides with it (one page or several,
    "Show all" or not), in one query however many comments are selected. The count
    QueuePaginator shows would cost one more query above 10,000 (the estimate)."""

    def __init__(self, object_list, per_page, *, counted_up_to, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.counted_up_to = counted_up_to

    @cached_property
    def count(self):
        # At most a few hundred ids: no COUNT over the selection, nor an estimate.
        return len(
            self.object_list.order_by().values_list("pk", flat=True)[: self.counted_up_to + 1]
        )


SEARCH_HELP = "Finds comments by a part of the name, website or text."
SEARCH_HELP_WITH_EMAIL = (
    "Finds comments by a part of the name, website, text, email or IP address. "
    "A whole email address finds every comment written with it (any case), at once."
)


def _is_email_address(text):
    try:
        validate_email(text)
    except ValidationError:
        return False
    return True


NOT_FEATURED = "Nothing featured: only approved comments that are not picks yet can be."


class StatusFilter(admin.SimpleListFilter):
    """The queue opens on pending comments; every status shows how many it holds."""

    title = "status"
    parameter_name = "status"
    default = Comment.Status.PENDING
    everything = "all"

    def lookups(self, request, model_admin):
        # Exact up to 10,000 a status, "about" above (newsroom.db.count_rows_each): a
        # GROUP BY over a million comments took 0.56 s on every page of the queue.
        # Counted when the labels are shown, once: a bulk action's POST builds the filter
        # twice and shows it never (it redirects), and an estimate costs one more query
        # a status over 10,000, so counting there made the action's queries depend on
        # how many comments wait.
        counts = functools.cache(Comment.objects.status_counts)

        def label(status, text):
            return f"{text} ({shown_count(counts()[status])})"

        def everything():
            total = RowCount(sum(counts().values()))
            total.estimated = any(count.estimated for count in counts().values())
            return f"All ({shown_count(total)})"

        choices = [
            (status, lazy(label, str)(status, text)) for status, text in Comment.Status.choices
        ]
        choices.append((self.everything, lazy(everything, str)()))
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
        # Counted over the pending comments' article ids alone, from their own index, the
        # titles of the few shown read after: grouping articles whole (SQLite groups by
        # every column, bodies too) took 80 ms for a queue of 10,000 on every page of it,
        # against 13 ms; joining the articles before grouping 50,000 pending comments
        # (a queue of a million comments) 70-100 ms, against 16-19 ms. Among articles
        # with as many waiting, the newest added comes first.
        counted = list(
            Comment.objects.filter(status=Comment.Status.PENDING)
            .values("article_id")
            .annotate(pending=Count("*"))
            .order_by("-pending", "-article_id")
            .values_list("article_id", "pending")[: self.shown]
        )
        # The one being looked at read with them, whether it is among them or not: one
        # query either way.
        selected = self._article_id()
        wanted = [pk for pk, _ in counted] + ([int(selected)] if selected else [])
        titles = dict(Article.objects.filter(pk__in=wanted).values_list("pk", "title"))
        busiest = [(pk, titles[pk], pending) for pk, pending in counted if pk in titles]
        choices = [(str(pk), f"{title} ({intcomma(pending)})") for pk, title, pending in busiest]
        if selected and selected not in dict(choices) and int(selected) in titles:
            choices.append((selected, titles[int(selected)]))
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


class ReadOnlyInline(admin.TabularInline):
    """A record kept for moderators: shown, never added to, changed or deleted here."""

    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StatusChangeInline(ReadOnlyInline):
    """The comment's audit trail, read-only."""

    model = CommentStatusChange
    verbose_name = "status change"
    verbose_name_plural = "moderation history"
    fields = ["changed_at", "changed_by", "from_status", "to_status", "note"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")


class EditInline(ReadOnlyInline):
    """The texts its author replaced, newest first, read-only."""

    model = CommentEdit
    verbose_name = "edit by its author"
    verbose_name_plural = "edits by its author (earlier texts)"
    fields = ["edited_at", "previous_body"]
    readonly_fields = fields


class ReplyForm(forms.Form):
    body = forms.CharField(
        label="Reply",
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        max_length=Comment._meta.get_field("body").max_length or 10_000,
        help_text="Posted at once, approved, under your name. "
        "A pending comment is approved when you reply to it.",
    )


@admin.register(Comment)
class CommentAdmin(ReportsMixin, BanCommentersMixin, admin.ModelAdmin):
    # The comment column comes first, made for each request (get_list_display): its buttons
    # depend on the user's permissions and return to the queue as it is filtered.
    list_display = ["commenter", "in_response_to", "status_and_reason"]
    # The comment is shown as readers see it, links and all: a link around it would nest
    # links. Its Edit link and the time (view on site) lead on.
    list_display_links = None
    list_select_related = ["article", "parent"]
    list_filter = [StatusFilter, ArticleFilter, "submitted_at"]
    # The counts are in the status filter's own labels; Django's facets would add queries.
    show_facets = ShowFacets.NEVER
    # No COUNT(*) of the whole table on every page: with a million comments each costs
    # 0.2-0.5 s. The queue's own count is exact up to 10,000, then estimated.
    show_full_result_count = False
    paginator = QueuePaginator
    ordering = ["-submitted_at", "-pk"]
    list_per_page = 50
    actions = [
        "approve",
        "mark_spam",
        "remove",
        "restore",
        "ban_commenters",
        "feature",
        "unfeature",
        "export_personal_data",
        "erase_personal_data",
    ]
    inlines = [StatusChangeInline, EditInline]
    change_form_template = "admin/comments/comment/change_form.html"

    # What a commenter told us about themselves; only moderators see it.
    personal_fields = ["author_email", "ip_address", "user_agent", "user"]

    # A link typed without a scheme is https: Django 6's default, without its warning.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        if request.method == "POST" and "index" in request.POST:
            return ActionPaginator(
                queryset,
                per_page,
                counted_up_to=max(per_page, self.list_max_show_all),
                orphans=orphans,
                allow_empty_first_page=allow_empty_first_page,
            )
        return super().get_paginator(request, queryset, per_page, orphans, allow_empty_first_page)

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

    def get_search_results(self, request, queryset, search_term):
        """A whole email address, searched by moderators who may see addresses, finds
        that commenter's comments exactly, in any case, from the lower(author_email)
        index: a search of every field for a part of a word reads the whole queue."""
        address = search_term.strip()
        if self.has_personal_data_permission(request) and _is_email_address(address):
            return queryset.by_emails([address]), False
        return super().get_search_results(request, queryset, search_term)

    def get_list_display(self, request):
        actions = row_actions_for(request) if self.has_moderate_permission(request) else []
        filters = request.GET.urlencode()

        @admin.display(description="comment")
        def comment(comment):
            return comment_cell(comment, actions=actions, filters=filters)

        commenter = (
            "commenter_with_contact" if self.has_personal_data_permission(request) else "commenter"
        )
        return self.with_report_columns(
            request, [comment, commenter, "in_response_to", "status_and_reason"]
        )

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        status = next(
            (spec.value() for spec in changelist.filter_specs if isinstance(spec, StatusFilter)),
            None,
        )
        changelist.title = queue_title(status, changelist.result_count)
        changelist.search_help_text = (
            SEARCH_HELP_WITH_EMAIL if self.has_personal_data_permission(request) else SEARCH_HELP
        )
        return changelist

    @admin.display(description="author", ordering="author_name")
    def commenter(self, comment):
        return comment.author_name

    @admin.display(description="author", ordering="author_name")
    def commenter_with_contact(self, comment):
        return format_html(
            '{}<br><small class="queue-contact">{}</small>'
            '<br><small class="queue-contact">{}</small>',
            comment.author_name,
            comment.author_email or "no email",
            comment.ip_address or "no IP address",
        )

    @admin.display(description="in response to", ordering="submitted_at")
    def in_response_to(self, comment):
        return format_html(
            '<a href="{}">{}</a> <small>(<a href="?{}={}">its queue</a>)</small><br>'
            '<a href="{}" class="queue-time" title="View on site">'
            '<time datetime="{}">{}</time></a>',
            comment.article.staff_url(),
            comment.article.title,
            ArticleFilter.parameter_name,
            comment.article_id,
            comment_url(comment),
            comment.submitted_at.isoformat(),
            date_format(timezone.localtime(comment.submitted_at), "DATETIME_FORMAT"),
        )

    @admin.display(description="status", ordering="status")
    def status_and_reason(self, comment):
        return format_html(
            '<strong class="queue-status queue-status-{}">{}</strong><br><small>{}</small>',
            comment.status,
            comment.get_status_display(),
            comment.moderation_reason,
        )

    @admin.display(description="article", ordering="article__title")
    def article_link(self, comment):
        return format_html(
            '<a href="{}">{}</a> <small>(<a href="{}?{}={}">queue</a>)</small>',
            comment.article.staff_url(),
            comment.article.title,
            reverse("admin:comments_comment_changelist"),
            ArticleFilter.parameter_name,
            comment.article_id,
        )

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
                "can_feature": comment.is_approved and not comment.is_featured,
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
                "<path:object_id>/feature/",
                self.admin_site.admin_view(self.feature_view),
                {"featured": True},
                name=f"{prefix}_feature",
            ),
            path(
                "<path:object_id>/unfeature/",
                self.admin_site.admin_view(self.feature_view),
                {"featured": False},
                name=f"{prefix}_unfeature",
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
            if QUEUE_FILTERS in request.POST:
                # A queue row's button: back to the queue as it was.
                self.message_user(request, move.message_for(comment, changed), messages.SUCCESS)
                return redirect(queue_url(request.POST[QUEUE_FILTERS]))
            return self._to_next_pending(request, comment, move, changed)
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

    def _to_next_pending(self, request, comment, move, changed):
        """After a move on a comment's own page: on to the oldest comment still waiting,
        or back to the (now empty) queue."""
        done = move.sentence if changed else f"Already {move.done}."
        following = next_pending(after=comment)
        if following is None:
            self.message_user(
                request, f"{done} No more comments awaiting moderation.", messages.SUCCESS
            )
            return redirect(queue_url())
        self.message_user(request, f"{done} Next comment awaiting moderation:", messages.SUCCESS)
        return redirect("admin:comments_comment_change", following.pk)

    def feature_view(self, request, object_id, featured):
        """Make one comment an editors' pick, or no longer one (POST, from its page)."""
        if request.method != "POST":
            return redirect("admin:comments_comment_change", object_id)
        comment = self._moderatable_comment(request, object_id)
        if featured:
            done = comment.feature(by=request.user)
            message = "Featured as an editors' pick." if done else NOT_FEATURED
        else:
            done = comment.unfeature(by=request.user)
            message = "No longer an editors' pick." if done else "It was not an editors' pick."
        self.message_user(request, message, messages.SUCCESS if done else messages.WARNING)
        return redirect("admin:comments_comment_change", comment.pk)

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
        description="Feature selected comments as editors' picks", permissions=["moderate"]
    )
    def feature(self, request, queryset):
        featured = queryset.feature(by=request.user)
        if featured:
            message = ngettext(
                "%(count)s comment featured as an editors' pick.",
                "%(count)s comments featured as editors' picks.",
                featured,
            ) % {"count": intcomma(featured)}
            self.message_user(request, message, messages.SUCCESS)
        else:
            self.message_user(request, NOT_FEATURED, messages.WARNING)

    @admin.action(description="Stop featuring selected comments", permissions=["moderate"])
    def unfeature(self, request, queryset):
        changed = queryset.unfeature(by=request.user)
        message = ngettext(
            "%(count)s comment is no longer an editors' pick.",
            "%(count)s comments are no longer editors' picks.",
            changed,
        ) % {"count": intcomma(changed)}
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(
        description="Export all comments by these commenters' emails (JSON)",
        permissions=["personal_data"],
    )
    def export_personal_data(self, request, queryset):
        emails = commenter_emails(queryset)
        data = {
            "emails": emails,
            "comments": Comment.objects.by_emails(emails).export_personal_data(),
            "sanctions": Sanction.objects.export_personal_data(emails),
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
    """Where readers find the comment: its permalink once visible; before, the article's
    staff preview, which shows it highlighted (comment_section's HIGHLIGHT parameter)."""
    if comment.is_approved and comment.article.is_published:
        return comment.get_absolute_url()
    preview = reverse("articles:preview", args=[comment.article_id])
    if comment.is_approved:
        return f"{preview}#comment-{comment.pk}"
    return f"{preview}?{HIGHLIGHT}={comment.pk}#comment-{comment.pk}"


def thread_of(comment):
    """The whole conversation the comment is part of, every status, nested as readers see
    it (to settings.COMMENTS_THREAD_DEPTH): the CommentNodes from its top comment down."""
    rows = Comment.objects.filter(article_id=comment.article_id).order_by().values(*PLACE_FIELDS)
    top = CommentThreads(rows, held_replies_first=False).thread_of(comment.pk)
    if top is None:
        return []
    conversation = list(top.in_reading_order())
    CommentThreads.read_display(conversation)
    return conversation


from . import subscription_admin  # noqa: E402, F401  (registers the subscribers' admin)
