from django.urls import path

from . import views

app_name = "tasks"
urlpatterns = [
    path("", views.task_list, name="list"),
    path("mine/", views.my_tasks, name="mine"),
    path("<str:plan_key>/<str:number>/", views.task_detail, name="detail"),
]
