"""The app's URLs plus /__floor__: a plain HttpResponse through Django's full middleware stack,
the cheapest page Django can serve here (session, auth, CSRF and the app's middleware run)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import include, path


def floor(request):
    return HttpResponse("ok", content_type="text/plain")


def frame(request):
    return render(request, "base.html", {})


urlpatterns = [
    path("__floor__", floor),
    path("__frame__", frame),
    path("", include("config.urls")),
]
