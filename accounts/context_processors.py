from django.utils.functional import SimpleLazyObject

from .roles import person_of


def person(request):
    """`person` in every template: roles and unit of the viewer, loaded only if used."""
    return {"person": SimpleLazyObject(lambda: person_of(request.user))}
