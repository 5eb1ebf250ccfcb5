"""seed_demo gives every demo course two assignments, hand-ins, a late one and a PDF."""

import pytest
from django.core.management import call_command

from grading.models import Assignment, Submission, SubmissionFile


@pytest.mark.django_db
def test_demo_assignments(settings, tmp_path):
    settings.MEDIA_PRIVATE_ROOT = str(tmp_path / "private")
    call_command("seed_demo", "--quiet-logins")
    call_command("seed_demo", "--quiet-logins")  # idempotent
    courses = {a.course_id for a in Assignment.objects.all()}
    assert courses and all(
        Assignment.objects.filter(course_id=c, status="published").count() == 2 for c in courses
    )
    submitted = Submission.objects.filter(state="submitted")
    assert submitted.exists()
    assert submitted.filter(seconds_late__gt=0).exists()
    pdf = SubmissionFile.objects.first()
    assert pdf is not None and pdf.name.endswith(".pdf") and len(pdf.sha256) == 64
    assert pdf.file.state == "verified"
