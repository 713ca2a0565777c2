"""Test settings: the production settings with a fast hasher and plain static storage."""

from .settings import *  # noqa: F403

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "members.hashers.OneTimePasswordHasher",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_ENABLED = True
# Each test process its own cache, emptied before every test (tests/conftest.py): rate limits
# and one-time tokens do not leak from one test into the next. The rate-limit test that needs
# several processes sharing a cache points at Redis itself (tests/campaign/test_feedback_send.py).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
