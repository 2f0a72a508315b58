"""The project's URLconf plus one careless view, for the test that a new URL gets walked."""

from django.http import HttpResponse
from django.urls import include, path


def careless(request, item_id: int):
    # Trusts its query parameter: "abc" or "99999999999999999999" in ?n= is a 500.
    number = int(request.GET.get("n", "1"))
    return HttpResponse(str([0, 1][number]))


urlpatterns = [
    path("", include("config.urls")),
    path("careless/<int:item_id>/", careless),
]
