from django.contrib import admin

from .models import Leader


@admin.register(Leader)
class LeaderAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "sort_order"]
    list_editable = ["title", "sort_order"]
    search_fields = ["name", "title"]
    raw_id_fields = ["user"]

    def save_model(self, request, obj, form, change):
        # Linking an account makes it a leader: audited with the admin as the actor.
        obj.save(changed_by=request.user)
