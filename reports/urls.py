from django.urls import path

from . import bulletin_views, escalation_views, score_views, views

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
    path("scores/", score_views.scores, name="scores"),
    path("scores/publish/", score_views.publish, name="scores_publish"),
    path("escalations/", escalation_views.escalation_list, name="escalations"),
    path("escalations/<int:notice_id>/", escalation_views.escalation_detail, name="escalation"),
    path(
        "escalations/<int:notice_id>/confirm/",
        escalation_views.escalation_confirm,
        name="escalation_confirm",
    ),
    path(
        "escalations/<int:notice_id>/dismiss/",
        escalation_views.escalation_dismiss,
        name="escalation_dismiss",
    ),
    path(
        "escalations/<int:notice_id>/reply/",
        escalation_views.escalation_reply,
        name="escalation_reply",
    ),
    path(
        "escalations/<int:notice_id>/resolve/",
        escalation_views.escalation_resolve,
        name="escalation_resolve",
    ),
    path(
        "escalations/<int:notice_id>/document/",
        escalation_views.escalation_document,
        name="escalation_document",
    ),
]
