"""The moderators' screens for sanctions, and "Ban this address" for the queue.

Sanctions are made, changed and ended in the admin, so each step is in its history
(LogEntry); a sanction is never deleted, only ended (its expiry set), to keep the record.
"""

from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext

from .admin_queue import QUEUE_FILTERS, queue_url
from .models import Comment
from .sanctions import Sanction

BANNED_FROM_QUEUE = "Banned from the moderation queue."


class InForceFilter(admin.SimpleListFilter):
    title = "in force"
    parameter_name = "in_force"

    def lookups(self, request, model_admin):
        return [("yes", "In force"), ("no", "Ended")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.in_force()
        if self.value() == "no":
            return queryset.exclude(pk__in=Sanction.objects.in_force().values("pk"))
        return queryset


@admin.register(Sanction)
class SanctionAdmin(admin.ModelAdmin):
    # Two columns, so that a phone shows whom, what, why and until when without
    # scrolling sideways.
    list_display = ["target", "what"]
    list_display_links = ["target"]
    radio_fields = {"kind": admin.VERTICAL, "target_type": admin.VERTICAL}
    list_filter = [InForceFilter, "kind", "target_type"]
    search_fields = ["value", "reason"]
    list_select_related = ["created_by"]
    ordering = ["-created_at", "-pk"]
    actions = ["end_now"]
    fields = ["kind", "target_type", "value", "reason", "expires_at", "created_by", "created_at"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return [f for f in self.fields if f not in ("created_by", "created_at")]
        return self.fields

    def get_readonly_fields(self, request, obj=None):
        # Who and whom stay as they were made; the reason and the end can change (logged).
        if obj is None:
            return ["created_by", "created_at"]
        return ["kind", "target_type", "value", "created_by", "created_at"]

    def has_delete_permission(self, request, obj=None):
        return False

    SHORT_KINDS = {"ban": "Banned", "hold": "Always held", "trust": "Trusted"}

    @admin.display(description="sanction", ordering="kind")
    def what(self, sanction):
        return format_html(
            "<strong>{}</strong><br><small>{}<br>{}</small>",
            self.SHORT_KINDS[sanction.kind],
            sanction.get_target_type_display(),
            self.until(sanction),
        )

    @admin.display(description="whom, and why", ordering="value")
    def target(self, sanction):
        return format_html(
            "{}<br><small>{}<br>{}, {}</small>",
            sanction.value,
            sanction.reason,
            sanction.created_by or "unknown",
            date_format(timezone.localtime(sanction.created_at), "DATE_FORMAT"),
        )

    def until(self, sanction):
        if sanction.expires_at is None:
            return "No end"
        when = date_format(timezone.localtime(sanction.expires_at), "DATETIME_FORMAT")
        return f"Until {when}" if sanction.in_force else f"Ended {when}"

    def changelist_view(self, request, extra_context=None):
        title = "Sanctions: banned, always held and trusted commenters"
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description="End the selected sanctions now", permissions=["change"])
    def end_now(self, request, queryset):
        ending = list(queryset.in_force())
        ended = Sanction.objects.filter(pk__in=[s.pk for s in ending]).expire()
        if ending:
            LogEntry.objects.log_actions(request.user.pk, ending, CHANGE, "Ended.")
        self.message_user(
            request,
            ngettext("%(count)d sanction ended.", "%(count)d sanctions ended.", ended)
            % {"count": ended},
            messages.SUCCESS,
        )


class BanCommentersMixin:
    """For the Comment admin: "Ban this address" on one comment (POST), and the bulk
    action "Ban these commenters". Both ban the email addresses and move every pending
    comment from them to spam (Sanction.ban_commenters), audited."""

    def get_urls(self):
        return [
            path(
                "<path:object_id>/ban/",
                self.admin_site.admin_view(self.ban_view),
                name=f"{self.opts.app_label}_{self.opts.model_name}_ban",
            ),
            *super().get_urls(),
        ]

    def ban_view(self, request, object_id):
        """admin:comments_comment_ban: ban this comment's address; back to `next` (a queue
        row's page) or to the comment."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        # CommentAdmin's check: the moderation permission, then the comment or 404.
        comment = self._moderatable_comment(request, object_id)
        if not comment.author_email:
            self.message_user(request, "This comment has no email address to ban.", messages.ERROR)
        else:
            reason = request.POST.get("reason", "").strip()[:255] or BANNED_FROM_QUEUE
            banned, moved = Sanction.ban_commenters(
                Comment.objects.filter(pk=comment.pk), by=request.user, reason=reason
            )
            self.message_user(request, ban_message(banned, moved), messages.SUCCESS)
        if QUEUE_FILTERS in request.POST:
            # A queue row's button: back to the queue as it was filtered.
            return redirect(queue_url(request.POST[QUEUE_FILTERS]))
        following = request.POST.get("next", "")
        if following and url_has_allowed_host_and_scheme(
            following, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(following)
        return redirect("admin:comments_comment_change", comment.pk)

    @admin.action(
        description="Ban these commenters (their email addresses)", permissions=["moderate"]
    )
    def ban_commenters(self, request, queryset):
        banned, moved = Sanction.ban_commenters(queryset, by=request.user, reason=BANNED_FROM_QUEUE)
        self.message_user(request, ban_message(banned, moved), messages.SUCCESS)


def ban_message(banned, moved):
    addresses = ngettext("%(count)d address banned", "%(count)d addresses banned", banned) % {
        "count": banned
    }
    comments = ngettext(
        "%(count)d pending comment moved to spam", "%(count)d pending comments moved to spam", moved
    ) % {"count": moved}
    return f"{addresses}; {comments}."
