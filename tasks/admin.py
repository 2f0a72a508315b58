from django.contrib import admin

from .models import Plan, PlanSource, Section, Task, TaskLeader, TaskUnit


class PlanSourceInline(admin.StackedInline):
    model = PlanSource
    can_delete = False


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "year", "doc_number", "issued_on", "is_active"]
    list_filter = ["year", "is_active"]
    search_fields = ["title", "slug", "doc_number"]
    inlines = [SectionInline, PlanSourceInline]
    readonly_fields = ["created_at", "updated_at"]


class TaskLeaderInline(admin.TabularInline):
    model = TaskLeader
    extra = 0
    autocomplete_fields = ["leader"]


class TaskUnitInline(admin.TabularInline):
    model = TaskUnit
    extra = 0
    autocomplete_fields = ["department", "group"]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["number", "short_text", "section", "plan"]
    list_filter = ["plan", "section"]
    search_fields = ["number", "title", "text"]
    list_select_related = ["plan", "section"]
    inlines = [TaskLeaderInline, TaskUnitInline]
    raw_id_fields = ["parent"]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "plan", "order"]
    list_filter = ["plan"]
