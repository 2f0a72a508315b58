import tempfile

import pytest

from . import shipped


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database; at the end also the clone with the shipped data, made
    by the first class that needed it (tests/shipped.py)."""
    yield
    with django_db_blocker.unblock():
        shipped.drop()


@pytest.fixture(autouse=True, scope="session")
def private_media_root():
    """Uploaded evidence goes to a throwaway directory, never into var/ of the work tree."""
    from django.conf import settings

    if not settings.configured:  # pure tests run without Django (-p no:django)
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="dudu-media-") as path:
        settings.MEDIA_ROOT = path
        yield path


@pytest.fixture(autouse=True)
def forget_remembered_figures():
    """Each test starts with nothing remembered in this process (tasks.revision)."""
    from django.conf import settings

    if settings.configured:
        from tasks import revision

        revision.forget()
    yield
