from django.urls import path

from . import centre_views as views
from . import reminder_views

app_name = "notify"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:notification_id>/read/", views.mark_read, name="read"),
    path("read-all/", views.mark_all_read, name="read_all"),
    path("reminders/", reminder_views.reminder_log, name="reminders"),
    path("reminders/send/", reminder_views.send_now, name="send_reminders"),
    path(
        "reminders/<int:plan_id>/<str:period_key>/",
        reminder_views.reminder_result,
        name="reminder_result",
    ),
]
