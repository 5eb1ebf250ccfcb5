"""Schemathesis against the OpenAPI schema on a live server, as a teacher and as a student.

A fixed small budget (a few examples per operation and role) keeps it under two minutes on a
laptop. Deselect with `-m "not api_contract"`.
"""

import pytest

from lms import services
from tests.factories.classrooms import LiveSessionFactory
from tests.factories.courses import CourseFactory, enrol
from tests.factories.lms import member

EXAMPLES_PER_OPERATION = 4


@pytest.mark.api_contract
@pytest.mark.django_db(transaction=True)
def test_the_api_matches_its_schema_and_never_answers_5xx(live_server, school, settings):
    import schemathesis
    from hypothesis import HealthCheck, Phase, given
    from hypothesis import settings as budget
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import response_schema_conformance

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    course = CourseFactory(school=school)
    teacher, student = member(school, "teacher"), member(school, "student")
    enrol(course, teacher, "teacher")
    enrol(course, student)
    LiveSessionFactory(course=course)
    tokens = {
        name: services.api_token_create(user=user, name="schemathesis")[1]
        for name, user in (("teacher", teacher), ("student", student))
    }
    schema = schemathesis.openapi.from_url(live_server.url + "/api/schema/")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 40
    failures, calls = [], {"count": 0}

    def run(operation, role: str, token: str) -> None:
        @budget(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def check(case):
            response = case.call(
                base_url=live_server.url, headers={"Authorization": f"Bearer {token}"}
            )
            calls["count"] += 1
            try:
                case.validate_response(
                    response, checks=[not_a_server_error, response_schema_conformance]
                )
            except (Exception, BaseExceptionGroup) as exc:  # collected: one run reports all
                failures.append(f"{role} {operation.label}: {str(exc).splitlines()[:8]}")

        check()

    for role, token in tokens.items():
        for operation in operations:
            run(operation, role, token)
    print(f"schemathesis: {calls['count']} responses, {len(failures)} failures")
    assert calls["count"] >= len(operations) * 2
    assert not failures, "\n".join(failures)
