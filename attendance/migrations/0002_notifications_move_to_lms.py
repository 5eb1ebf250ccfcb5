"""Notifications moved to lms (one inbox for every app): copy every row, then drop this table.

Ids are kept, so links and keys stay valid; the old `mark` foreign key becomes lms's generic
`ref` ("attendance.mark:<pk>") because lms may not point at attendance's tables.
"""

from django.core.management.color import no_style
from django.db import migrations

FIELDS = ("id", "key", "kind", "user_id", "email", "language", "title", "body", "url",
          "created_at", "read_at")


def _reset_sequence(apps, schema_editor, model_name):
    model = apps.get_model(*model_name.split("."))
    for sql in schema_editor.connection.ops.sequence_reset_sql(no_style(), [model]):
        schema_editor.execute(sql)


def copy_to_lms(apps, schema_editor):
    Old = apps.get_model("attendance", "Notification")
    New = apps.get_model("lms", "Notification")
    batch = []
    for row in Old.objects.all().values(*FIELDS, "mark_id").iterator(chunk_size=2000):
        mark_id = row.pop("mark_id")
        batch.append(New(**row, ref=f"attendance.mark:{mark_id}" if mark_id else ""))
        if len(batch) >= 2000:
            New.objects.bulk_create(batch)
            batch = []
    New.objects.bulk_create(batch)
    _reset_sequence(apps, schema_editor, "lms.Notification")


def copy_back(apps, schema_editor):
    Old = apps.get_model("attendance", "Notification")
    New = apps.get_model("lms", "Notification")
    Mark = apps.get_model("attendance", "AttendanceMark")
    rows = list(New.objects.filter(kind__in=("absence", "chronic")).values(*FIELDS, "ref"))
    mark_ids = {
        int(r["ref"].split(":", 1)[1]) for r in rows if r["ref"].startswith("attendance.mark:")
    }
    existing = set(Mark.objects.filter(pk__in=mark_ids).values_list("pk", flat=True))
    batch = []
    for row in rows:
        ref = row.pop("ref")
        mark_id = int(ref.split(":", 1)[1]) if ref.startswith("attendance.mark:") else None
        batch.append(Old(**row, mark_id=mark_id if mark_id in existing else None))
    Old.objects.bulk_create(batch, batch_size=2000)
    New.objects.filter(pk__in=[r["id"] for r in rows]).delete()
    _reset_sequence(apps, schema_editor, "attendance.Notification")


class Migration(migrations.Migration):
    dependencies = [
        ("attendance", "0001_initial"),
        ("lms", "0002_notification_inbox"),
    ]

    operations = [
        migrations.RunPython(copy_to_lms, copy_back),
        migrations.DeleteModel(name="Notification"),
    ]
