"""Response headers every page gets: Permissions-Policy, and no caching of anything personal."""

from django.utils.cache import patch_cache_control

# The app uses none of these browser features; nothing embedded may ask for them either.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; `Cache-Control: no-store, private` on every
    response to a logged-in person: pages, evidence files, xlsx and other downloads alike, so
    neither a shared proxy nor the browser's disk keeps them. (The Content-Security-Policy is
    django-csp's, configured in settings.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
