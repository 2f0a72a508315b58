from django.contrib import admin

from .models import Acknowledgement, Instruction, InstructionResponse, Leader


@admin.register(Leader)
class LeaderAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "sort_order"]
    list_editable = ["title", "sort_order"]
    search_fields = ["name", "title"]
    raw_id_fields = ["user"]

    def save_model(self, request, obj, form, change):
        # Linking an account makes it a leader: audited with the admin as the actor.
        obj.save(changed_by=request.user)


@admin.register(Instruction)
class InstructionAdmin(admin.ModelAdmin):
    list_display = ["task", "leader", "state", "published_at"]
    list_filter = ["state", "leader"]
    search_fields = ["text", "task__number"]
    raw_id_fields = ["task"]


@admin.register(Acknowledgement)
class AcknowledgementAdmin(admin.ModelAdmin):
    list_display = ["instruction", "department", "acknowledged_by", "acknowledged_at"]
    raw_id_fields = ["instruction"]


@admin.register(InstructionResponse)
class InstructionResponseAdmin(admin.ModelAdmin):
    list_display = ["instruction", "department", "written_by", "written_at"]
    raw_id_fields = ["instruction"]
