from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("generate/", views.generate, name="generate"),
    path("jobs/<int:job_id>/", views.job_status, name="job"),
    path("jobs/<int:job_id>/retry/", views.retry, name="retry"),
    path("<int:snapshot_id>/download/", views.download, name="download"),
]
