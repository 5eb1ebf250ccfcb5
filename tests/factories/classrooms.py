from datetime import timedelta

import factory
from django.utils import timezone

from classrooms.models import LiveSession

from .courses import CourseFactory


class LiveSessionFactory(factory.django.DjangoModelFactory):
    """A one-off lesson starting in an hour, 90 minutes long."""

    class Meta:
        model = LiveSession

    course = factory.SubFactory(CourseFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=1))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(minutes=90))
