"""The test settings with the database task backend: what a worker process runs in tests/portal/core/test_tasks.py."""

from portal.settings.test import *  # noqa: F403

TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    "portal": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
