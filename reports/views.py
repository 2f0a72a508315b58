from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render

from accounts import throttle
from accounts.roles import person_of, start_url
from departments.models import Department, RoleChange
from tasks.models import Plan


@login_required
def home(request):
    """`/`: the office's dashboard; everybody else goes to his or her own start page."""
    if not person_of(request.user).is_office:
        return redirect(start_url(request.user))
    plans = Plan.objects.annotate(task_count=Count("tasks")).order_by("-year", "slug")
    context = {
        "plans": plans,
        "department_count": Department.objects.filter(is_active=True).count(),
        "account_count": get_user_model().objects.filter(is_active=True).count(),
        "locks": throttle.current_locks(),
        "role_changes": RoleChange.objects.select_related("user", "changed_by")[:10],
    }
    return render(request, "reports/dashboard.html", context)
