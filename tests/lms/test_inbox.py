"""The in-app inbox in lms: one message per key, e-mail after commit, the page, the API, and
the migration that moved attendance's notifications here without losing any."""

import pytest
from django.core import mail
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from lms import notifications
from lms.models import Notification
from tests.factories.lms import member


@pytest.fixture(autouse=True)
def _locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.mark.django_db
def test_notify_claims_the_key_once_and_mails_after_commit(
    school, django_capture_on_commit_callbacks
):
    student = member(school, "student", preferred_language="vi")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with translation.override(student.preferred_language):
            first = notifications.notify(
                user=student, kind="grade_released", key="k:1", title="Điểm  mới", body="8,5"
            )
        assert first is not None and not mail.outbox  # nothing before commit
    assert len(callbacks) == 1
    assert [m.subject for m in mail.outbox] == ["Điểm mới"]
    assert first.language == "vi" and first.email == student.email
    with django_capture_on_commit_callbacks(execute=True):
        again = notifications.notify(user=student, kind="x", key="k:1", title="t", body="b")
    assert again is None and len(mail.outbox) == 1
    assert Notification.objects.count() == 1


@pytest.mark.django_db
def test_a_rolled_back_action_sends_nothing_and_frees_the_key(
    school, django_capture_on_commit_callbacks
):
    student = member(school, "student")
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                notifications.notify(user=student, kind="k", key="gone", title="t", body="b")
                raise RuntimeError
        except RuntimeError:
            pass
    assert not mail.outbox and not Notification.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.notify(user=student, kind="k", key="gone", title="t", body="b")
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_in_app_only_and_address_only_messages(school, django_capture_on_commit_callbacks):
    student = member(school, "student")
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(user=student, kind="k", key="a", title="t", body="b", email=False)
        notifications.notify(
            user=None, kind="k", key="g", title="t", body="b", address="me@example.test"
        )
    assert [m.to for m in mail.outbox] == [["me@example.test"]]
    assert notifications.unread_count(student) == 1


@pytest.mark.django_db
def test_page_api_badge_and_read(client, api_client, school):
    student, other = member(school, "student"), member(school, "student")
    for i in range(3):
        notifications.notify(user=student, kind="k", key=f"s{i}", title=f"T{i}", body="b")
    theirs = notifications.notify(user=other, kind="k", key="o", title="Not yours", body="b")
    client.force_login(student)
    page = client.get("/notifications/").content.decode()
    assert "T2" in page and "Not yours" not in page
    assert 'class="badge badge-info"' in client.get("/dashboard/").content.decode()
    api_client.force_authenticate(student)
    listed = api_client.get("/api/v1/notifications/").json()
    assert listed["count"] == 3 and [r["title"] for r in listed["results"]][0] == "T2"
    mine = listed["results"][0]["id"]
    read = api_client.post("/api/v1/notifications/read/", {"ids": [mine, theirs.pk]}, format="json")
    assert read.json() == {"read": 1}  # another person's id is ignored
    assert notifications.unread_count(other) == 1
    assert (
        api_client.post("/api/v1/notifications/read/", {"ids": "x"}, format="json").status_code
        == 400
    )
    client.post("/notifications/")
    assert notifications.unread_count(student) == 0
    assert api_client.get("/api/v1/notifications/").json()["results"][0]["read_at"]


@pytest.mark.django_db
def test_inbox_lists_in_a_constant_number_of_queries(
    api_client, school, django_assert_max_num_queries
):
    student = member(school, "student")
    api_client.force_authenticate(student)
    for size in (2, 40):
        for i in range(size):
            notifications.notify(user=student, kind="k", key=f"{size}:{i}", title="t", body="b")
        with django_assert_max_num_queries(4):
            assert api_client.get("/api/v1/notifications/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_migration_moves_attendance_notifications_to_lms_keeping_rows():
    before = [("attendance", "0001_initial"), ("lms", "0001_initial")]
    after = [("attendance", "0002_notifications_move_to_lms")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    User = old_apps.get_model("lms", "User")
    OldNotification = old_apps.get_model("attendance", "Notification")
    user = User.objects.create(email="old@example.test", full_name="Cũ", password="x")
    OldNotification.objects.create(
        key="absence:1:user:1",
        kind="absence",
        user=user,
        email=user.email,
        language="vi",
        title="Vắng mặt",
        body="…",
        url="/attendance/marks/1/",
    )
    OldNotification.objects.create(
        key="absence:1:guardian",
        kind="absence",
        email="g@example.test",
        language="vi",
        title="Vắng mặt",
        body="…",
    )
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    moved = list(Notification.objects.order_by("pk").values_list("key", "user_id", "read_at"))
    assert moved == [("absence:1:user:1", user.pk, None), ("absence:1:guardian", None, None)]
    assert "attendance_notification" not in connection.introspection.table_names()
    # The sequence continues after the copied ids.
    created = Notification.objects.create(key="new", kind="k", language="en", title="t", body="")
    assert created.pk > max(
        pk for pk in Notification.objects.exclude(key="new").values_list("pk", flat=True)
    )
