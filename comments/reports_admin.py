"""Reader reports in the moderators' admin: the queue's "Reported (N)" filter with each
comment's reasons and counts, the reports on a comment's page with a decision form, and
the record of reports and decisions (read-only)."""

from collections import Counter

from django import forms
from django.contrib import admin, messages
from django.contrib.humanize.templatetags.humanize import intcomma
from django.db.models import Prefetch
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import ngettext

from .reports import CommentReport, resolve_reports, with_open_reports


class ReportedFilter(admin.SimpleListFilter):
    """Comments readers reported that no moderator has decided on, whatever their status."""

    title = "reader reports"
    parameter_name = "reported"
    value_open = "open"

    def lookups(self, request, model_admin):
        count = CommentReport.objects.open().values("comment_id").distinct().count()
        return [(self.value_open, f"Reported ({intcomma(count)})")]

    def queryset(self, request, queryset):
        if self.value() != self.value_open:
            return queryset
        return with_open_reports(queryset).prefetch_related(
            Prefetch("reports", CommentReport.objects.open(), to_attr="open_reports")
        )

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": "All",
        }
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                # Reported comments are mostly approved ones: every status is shown.
                "query_string": changelist.get_query_string(
                    {self.parameter_name: lookup, "status": "all"}
                ),
                "display": title,
            }


class ResolveReportsForm(forms.Form):
    decision = forms.ChoiceField(
        choices=CommentReport.Decision.choices,
        widget=forms.RadioSelect,
        help_text="Kept: the comment is approved. Removed: it is taken off the site.",
    )
    reason = forms.CharField(
        max_length=400,
        help_text="Why; recorded on each report (the notice-and-action record).",
    )


class ReportsMixin:
    """For the Comment admin: the reports column under the "Reported" filter, and the
    reports with a decision form on a comment's page."""

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), ReportedFilter]

    def with_report_columns(self, request, columns):
        if request.GET.get(ReportedFilter.parameter_name) == ReportedFilter.value_open:
            return [*columns, "report_summary"]
        return columns

    @admin.display(description="reports", ordering="open_report_count")
    def report_summary(self, comment):
        reasons = Counter(report.get_reason_display() for report in comment.open_reports)
        return format_html_join(
            "", "<div>{} ×{}</div>", sorted(reasons.items(), key=lambda item: -item[1])
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        comment = extra_context.get("comment")
        if comment is not None:
            extra_context |= {
                "reports": list(comment.reports.select_related("resolved_by")),
                "resolve_form": ResolveReportsForm(),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/reports/",
                self.admin_site.admin_view(self.resolve_reports_view),
                name=f"{self.opts.app_label}_{self.opts.model_name}_resolve_reports",
            ),
            *super().get_urls(),
        ]

    def resolve_reports_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        # CommentAdmin's check: the moderation permission, then the comment or 404.
        comment = self._moderatable_comment(request, object_id)
        form = ResolveReportsForm(request.POST)
        if not form.is_valid():
            self.message_user(request, "Choose kept or removed, and say why.", messages.ERROR)
            return redirect("admin:comments_comment_change", comment.pk)
        decision = form.cleaned_data["decision"]
        resolved = resolve_reports(
            comment, decision=decision, by=request.user, reason=form.cleaned_data["reason"]
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d report resolved: comment %(decision)s.",
                "%(count)d reports resolved: comment %(decision)s.",
                resolved,
            )
            % {"count": resolved, "decision": CommentReport.Decision(decision).label.lower()},
            messages.SUCCESS,
        )
        return redirect("admin:comments_comment_change", comment.pk)


@admin.register(CommentReport)
class CommentReportAdmin(admin.ModelAdmin):
    """The record of notices and decisions; reports are decided on the comment's page."""

    list_display = [
        "comment_link",
        "reason",
        "reported_at",
        "decision",
        "resolved_by",
        "resolved_at",
        "decision_reason",
    ]
    list_filter = ["reason", "decision", "reported_at"]
    list_select_related = ["comment", "resolved_by"]
    search_fields = ["text", "decision_reason"]
    ordering = ["-reported_at", "-pk"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="comment", ordering="comment")
    def comment_link(self, report):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:comments_comment_change", args=[report.comment_id]),
            f"Comment {report.comment_id} by {report.comment.author_name}",
        )
