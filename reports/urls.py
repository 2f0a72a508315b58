from django.urls import path

from . import bulletin_views, views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("generate/", views.generate, name="generate"),
    path("jobs/<int:job_id>/", views.job_status, name="job"),
    path("jobs/<int:job_id>/retry/", views.retry, name="retry"),
    path("<int:snapshot_id>/download/", views.download, name="download"),
    path("bulletins/", bulletin_views.bulletin_list, name="bulletins"),
    path("bulletins/preview/", bulletin_views.bulletin_preview, name="bulletin_preview"),
    path("bulletins/issue/", bulletin_views.bulletin_issue, name="bulletin_issue"),
    path(
        "bulletins/<int:bulletin_id>/download/",
        bulletin_views.bulletin_download,
        name="bulletin_download",
    ),
]
