from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from common.phones import normalize_phone, phone_problem

from .models import Profile, RoleChange


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = [
            "department",
            "is_reporter",
            "is_unit_head",
            "is_office",
            "phone",
            "must_change_password",
        ]

    def clean_phone(self):
        phone = self.cleaned_data.get("phone", "")
        if problem := phone_problem(phone):
            raise forms.ValidationError(problem)
        return normalize_phone(phone)


class ProfileInline(admin.StackedInline):
    model = Profile
    form = ProfileForm
    can_delete = False
    autocomplete_fields = ["department"]


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class AccountAdmin(UserAdmin):
    inlines = [ProfileInline]

    def save_formset(self, request, form, formset, change):
        # Profile changes made in the admin are audited with the admin as the actor.
        for instance in formset.save(commit=False):
            if isinstance(instance, Profile):
                instance.save(changed_by=request.user)
            else:
                instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


@admin.register(RoleChange)
class RoleChangeAdmin(admin.ModelAdmin):
    list_display = ["changed_at", "user", "what", "old_value", "new_value", "changed_by"]
    list_filter = ["what"]
    search_fields = ["user__username", "user__first_name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
