from django.utils.functional import SimpleLazyObject

from .head_review import pending_count


def review(request):
    """`review_count` in every template: a unit head's reports waiting for 审核 (one count,
    only for heads, and only if the menu uses it)."""

    def count() -> int:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        return pending_count(user)

    return {"review_count": SimpleLazyObject(count)}
