import pytest
from django.core.cache import cache
from django.utils import translation

from tests.factories.attendance import EVENT_SYNC_TOKEN, JAAS_SECRET


@pytest.fixture(autouse=True)
def _attendance_settings(settings):
    settings.ATTENDANCE_EVENT_SYNC_TOKEN = EVENT_SYNC_TOKEN
    settings.ATTENDANCE_JAAS_WEBHOOK_SECRET = JAAS_SECRET
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cache.clear()  # throttle counters, fold debounce keys

    from attendance import services

    services.resolution_cache_clear()  # rooms and people of earlier tests were rolled back


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield
