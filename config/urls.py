from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from accounts.views import login_view
from config.health import healthz
from reports.views import home

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", RedirectView.as_view(url="/static/favicon.svg", permanent=True)),
    path("login/", login_view, name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("tasks/", include("tasks.urls")),
    path("leaders/", include("leaders.urls")),
    path("reports/", include("reports.urls")),
    path("notifications/channels/", include("notifications.urls")),
    path("notifications/", include("notifications.centre_urls")),
]
