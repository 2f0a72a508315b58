from django.urls import path

from . import (
    closure_views,
    extension_list,
    extension_views,
    head_review,
    import_views,
    node_views,
    report_views,
    views,
)

app_name = "tasks"
urlpatterns = [
    path("", views.task_list, name="list"),
    path("mine/", views.my_tasks, name="mine"),
    path("review/", report_views.review_queue, name="review"),
    path("review/approve/", head_review.approve_selected, name="review_approve"),
    path("review/accept/", report_views.accept_batch, name="accept_batch"),
    path("import/", import_views.upload, name="import"),
    path("import/<int:import_id>/", import_views.preview_page, name="import_preview"),
    path("import/<int:import_id>/status/", import_views.status_page, name="import_status"),
    path("reports/<int:report_id>/", report_views.report_history, name="report_history"),
    path("reports/<int:report_id>/<str:action>/", report_views.report_action, name="report_action"),
    path("attachments/<int:attachment_id>/", report_views.attachment_download, name="attachment"),
    path(
        "nodes/proposals/<int:proposal_id>/<str:action>/",
        node_views.decide_proposal,
        name="node_decide",
    ),
    path("closure/", closure_views.pending_list, name="closure_list"),
    path("closure/<int:application_id>/approve/", closure_views.approve, name="closure_approve"),
    path("closure/<int:application_id>/return/", closure_views.send_back, name="closure_return"),
    path("closure/files/<int:file_id>/", closure_views.evidence_download, name="closure_file"),
    path("extensions/", extension_list.extension_list, name="extensions"),
    path("extensions/<int:application_id>/", extension_views.detail, name="extension"),
    path(
        "extensions/<int:application_id>/<str:decision>/",
        extension_views.decide,
        name="extension_decide",
    ),
    path("<str:plan_key>/<str:number>/", views.task_detail, name="detail"),
    path("<str:plan_key>/<str:number>/nodes/", node_views.edit_nodes, name="nodes"),
    path("<str:plan_key>/<str:number>/closure/", closure_views.apply, name="closure_apply"),
    path("<str:plan_key>/<str:number>/reopen/", closure_views.reopen, name="closure_reopen"),
    path("<str:plan_key>/<str:number>/extension/", extension_views.apply, name="extension_apply"),
    path("<str:plan_key>/<str:number>/report/", report_views.report_form, name="report"),
    path(
        "<str:plan_key>/<str:number>/indicators/",
        report_views.edit_indicators,
        name="indicators",
    ),
]
