from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("generate/", views.generate, name="generate"),
    path("jobs/<int:job_id>/", views.job_status, name="job"),
    path("<int:snapshot_id>/download/", views.download, name="download"),
]
