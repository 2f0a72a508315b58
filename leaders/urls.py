from django.urls import path

from . import coordination_views, instruction_views, views

app_name = "leaders"
urlpatterns = [
    path("<int:leader_id>/", views.portfolio, name="portfolio"),
    path(
        "tasks/<str:plan_key>/<str:number>/instruction/",
        instruction_views.instruction_write,
        name="instruction_write",
    ),
    path(
        "instructions/pending/",
        instruction_views.instructions_pending,
        name="instructions_pending",
    ),
    path(
        "instructions/<int:instruction_id>/",
        instruction_views.instruction_detail,
        name="instruction_detail",
    ),
    path(
        "instructions/<int:instruction_id>/sheet/",
        instruction_views.instruction_sheet_download,
        name="instruction_sheet",
    ),
    path(
        "instructions/<int:instruction_id>/acknowledge/",
        instruction_views.instruction_acknowledge,
        name="instruction_acknowledge",
    ),
    path("coordination/", coordination_views.coordination_list, name="coordination_list"),
    path(
        "coordination/<int:item_id>/",
        coordination_views.coordination_detail,
        name="coordination_detail",
    ),
    path(
        "coordination/<int:item_id>/<str:action>/",
        coordination_views.coordination_action,
        name="coordination_action",
    ),
    path(
        "instructions/<int:instruction_id>/respond/",
        instruction_views.instruction_respond,
        name="instruction_respond",
    ),
]
