from datetime import timedelta

import factory
from django.utils import timezone

from grading.models import Assignment

from .courses import CourseFactory


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    course = factory.SubFactory(CourseFactory)
    title = factory.Sequence(lambda n: f"Bài tập {n}")
    instructions = "<p>Làm bài 1–5.</p>"
    due_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    status = Assignment.Status.PUBLISHED
    submission_type = Assignment.SubmissionType.BOTH
    max_attempts = 2
