import factory

from courses.models import Course, Enrollment

from .lms import SchoolFactory, UserFactory


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    school = factory.SubFactory(SchoolFactory)
    code = factory.Sequence(lambda n: f"C{n:03d}")
    title = factory.Sequence(lambda n: f"Toán {n}")
    status = Course.Status.ACTIVE


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    course = factory.SubFactory(CourseFactory)
    user = factory.SubFactory(UserFactory)
    role = Enrollment.Role.STUDENT


def enrol(course: Course, user, role: str = Enrollment.Role.STUDENT, **fields) -> Enrollment:
    """An active enrolment, created directly (no membership check, no hooks)."""
    return Enrollment.objects.create(course=course, user=user, role=role, **fields)


def roster_csv(rows, *, header=("email", "full_name", "role"), bom: bool = True) -> bytes:
    """A roster file as a spreadsheet would save it (UTF-8, optional BOM, CRLF)."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if header:
        writer.writerow(header)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode()


def bulk_members(school, count: int, role: str = "student", *, prefix: str = "hs"):
    """Many school members at once (two INSERTs), for size-dependent tests."""
    from lms.models import Membership, User

    domain = (school.allowed_email_domains or ["example.test"])[0]
    start = User.objects.count()
    users = User.objects.bulk_create(
        User(
            email=f"{prefix}{start + i}@{domain}",
            full_name=f"Trần Thị {prefix} {start + i}",
            password="!",
        )
        for i in range(count)
    )
    Membership.objects.bulk_create(Membership(user=u, school=school, role=role) for u in users)
    return users


def bulk_enrol(course, users, role: str = Enrollment.Role.STUDENT) -> list[Enrollment]:
    return Enrollment.objects.bulk_create(
        Enrollment(course=course, user=u, role=role) for u in users
    )
