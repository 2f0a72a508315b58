from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("password/", views.password_change, name="password_change"),
    path("no-role/", views.no_role, name="no_role"),
    path("", views.account_list, name="list"),
    path("import/", views.account_import, name="import"),
    path("unlock/", views.unlock, name="unlock"),
    path("<int:user_id>/reset-password/", views.reset_password, name="reset_password"),
]
