"""Outbound messages in the admin, read-only (robot URLs and secrets are never listed)."""

from django.contrib import admin

from .models import Delivery


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "notice_type", "channel", "label", "state", "attempts", "sent_at")
    list_filter = ("state", "channel", "notice_type")
    search_fields = ("label", "source")
    exclude = ("address",)  # the label shows the number masked
    readonly_fields = [f.name for f in Delivery._meta.fields if f.name != "address"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
