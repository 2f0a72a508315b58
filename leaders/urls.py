from django.urls import path

from . import views

app_name = "leaders"
urlpatterns = [
    path("<int:leader_id>/", views.portfolio, name="portfolio"),
]
