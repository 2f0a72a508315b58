"""The notification centre of every user (the 催办 pages are notifications/reminder_views.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from tasks import clock

from .models import Notification

NOTIFICATIONS_PER_PAGE = 30


# --- everybody: my notifications ---------------------------------------------------------------


@login_required
@require_GET
def notification_list(request):
    """The user's own notifications, unread first, newest first within each."""
    queryset = Notification.objects.filter(user=request.user).order_by(
        F("read_at").asc(nulls_first=True), "-created_at", "-pk"
    )
    page = Paginator(queryset, NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "notifications/notifications.html", {"page": page})


@login_required
@require_POST
def mark_read(request, notification_id: int):
    """Mark one of the user's notifications read, then follow its link (or come back)."""
    notification = get_object_or_404(Notification, pk=notification_id, user=request.user)
    if notification.read_at is None:
        notification.read_at = clock.now()
        notification.save(update_fields=["read_at"])
    target = notification.url
    if request.POST.get("stay") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect("notify:list")
    return HttpResponseRedirect(target)  # a stored path, never a view name


@login_required
@require_POST
def mark_all_read(request):
    count = Notification.objects.filter(user=request.user, read_at__isnull=True).update(
        read_at=clock.now()
    )
    if count:
        messages.success(request, f"已将 {count} 条通知标为已读。")
    return redirect("notify:list")


# --- the office: reminder log and the one-click reminder -----------------------------------
