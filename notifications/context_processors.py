from django.utils.functional import SimpleLazyObject

from .models import Notification


def notifications(request):
    """`unread_count` in every template: one query, and only if a template uses it."""

    def count() -> int:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        return Notification.objects.filter(user=user, read_at__isnull=True).count()

    return {"unread_count": SimpleLazyObject(count)}
