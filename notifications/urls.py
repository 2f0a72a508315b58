from django.urls import path

from . import views

app_name = "channels"
urlpatterns = [
    path("", views.settings_page, name="settings"),
    path("rules/", views.save_rules, name="rules"),
    path("units/<int:department_id>/", views.unit_page, name="unit"),
    path("sms/", views.sms_gateway, name="sms"),
    path("mine/", views.mine, name="mine"),
]
