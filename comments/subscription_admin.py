"""Notification subscribers in the admin: read-only, and only for those who may see
commenters' personal data (their addresses are never shown to anyone else)."""

from django.contrib import admin

from .subscriptions import Subscriber, Subscription

PERSONAL_DATA_PERMISSION = "comments.view_commenter_personal_data"


class SubscriptionInline(admin.TabularInline):
    model = Subscription
    fields = ("kind", "article", "comment", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ("email", "created_at", "confirmed_at", "unsubscribed_all_at")
    list_filter = (
        ("confirmed_at", admin.EmptyFieldListFilter),
        ("unsubscribed_all_at", admin.EmptyFieldListFilter),
    )
    search_fields = ("email",)
    fields = ("email", "created_at", "confirmation_sent_at", "confirmed_at", "unsubscribed_all_at")
    readonly_fields = fields
    inlines = [SubscriptionInline]
    show_full_result_count = False

    # Read-only: subscribers confirm and unsubscribe themselves, from their emails;
    # `manage.py personal_data erase` deletes one.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.has_perm(PERSONAL_DATA_PERMISSION)

    def has_module_permission(self, request):
        return self.has_view_permission(request)
