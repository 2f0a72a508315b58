from django.urls import path

from . import centre_views as views

app_name = "notify"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:notification_id>/read/", views.mark_read, name="read"),
    path("read-all/", views.mark_all_read, name="read_all"),
    path("reminders/", views.reminder_log, name="reminders"),
    path("reminders/send/", views.send_now, name="send_reminders"),
    path(
        "reminders/<int:plan_id>/<str:period_key>/",
        views.reminder_result,
        name="reminder_result",
    ),
]
