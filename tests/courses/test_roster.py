import re
import time

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses import roster, services
from courses.access import SYSTEM
from courses.models import Enrollment, PendingEnrollment, RosterImport
from lms import services as lms_services
from lms.errors import ServiceError
from lms.models import Invitation, Membership, Role
from tests.factories.courses import bulk_members, enrol, roster_csv
from tests.factories.lms import member

pytestmark = pytest.mark.django_db


def _preview(course, data, by=SYSTEM):
    upload, rows = services.roster_import_upload(course=course, data=data, by=by)
    return upload, {row.line: row for row in rows}


@pytest.fixture
def teacher(admin_user):
    """The importer here is the school's administrator, who may also invite teachers to the
    school; what a teacher's import may do is in test_security_findings."""
    return admin_user


@pytest.fixture
def domain(school):
    return school.allowed_email_domains[0]


@pytest.fixture
def people(school, course, domain):
    """Existing people in every situation a roster row can meet."""
    return {
        "member": member(school, Role.STUDENT, email=f"an@{domain}", full_name="Lê Văn An"),
        "enrolled": enrol(
            course, member(school, Role.STUDENT, email=f"binh@{domain}", full_name="Bình")
        ).user,
        "dropped": enrol(
            course, member(school, Role.STUDENT, email=f"chi@{domain}"), status="dropped"
        ).user,
        "teacher": member(school, Role.TEACHER, email=f"dung@{domain}", full_name="Đặng Dũng"),
        # has an account (another school) but is not in this school
        "outsider": member(
            __import__("tests.factories.lms", fromlist=["SchoolFactory"]).SchoolFactory(),
            Role.STUDENT,
            email=f"giang@{domain}",
        ),
    }


def test_preview_gives_a_verdict_per_row(course, people, domain, teacher):
    data = roster_csv(
        [
            (f"AN@{domain}", "Lê Văn An", "student"),  # 2 existing member, any case
            (f"binh@{domain}", "Bình", "Student"),  # 3 already enrolled
            (f"chi@{domain}", "", "học sinh"),  # 4 dropped: enrolled again
            (f"dung@{domain}", "Đặng Dũng", "assistant"),  # 5 staff member
            (f"giang@{domain}", "Giang", "student"),  # 6 account elsewhere: invitation
            (f"hoa@{domain}", "Nguyễn Thị Hoa", ""),  # 7 new person, empty role = student
            ("khong-hop-le", "X", "student"),  # 8 bad e-mail
            ("lan@gmail.com", "Lan", "student"),  # 9 Gmail: staff may invite any address
            (f"minh@{domain}", "Minh", "principal"),  # 10 unknown role
            (f"hoa@{domain}", "Hoa again", "student"),  # 11 duplicate row
            (f"an@{domain}", "Lê Văn An", "teacher"),  # 12 duplicate of line 2
        ]
    )
    with CaptureQueriesContext(connection) as queries:
        upload, rows = _preview(course, data, by=teacher)
    # Four reads, the stored upload and two access checks (role, school role), whatever the size.
    assert len(queries) <= 8
    verdicts = {line: row.verdict for line, row in rows.items()}
    assert verdicts == {
        2: "existing",
        3: "already",
        4: "existing",
        5: "existing",
        6: "invite",
        7: "new",
        8: "error",
        9: "new",
        10: "error",
        11: "error",
        12: "error",
    }
    assert "enrolled again" in rows[4].message
    assert rows[5].role == "assistant"
    assert rows[7].role == "student"
    assert "valid e-mail" in rows[8].message
    assert "invitation" in rows[9].message and "student" in rows[9].message
    assert "assistant of the course" in rows[5].message
    assert "Unknown role" in rows[10].message
    assert "Duplicate of line 7" in rows[11].message
    assert "Duplicate of line 2" in rows[12].message
    assert upload.summary == {
        "rows": 11,
        "new": 2,
        "invite": 1,
        "existing": 3,
        "already": 1,
        "error": 4,
        "changes": 6,
        "refused": 4,
    }
    # a preview changes nothing
    assert not PendingEnrollment.objects.exists()
    assert not Invitation.objects.exists()
    assert Enrollment.objects.filter(course=course, status="active").count() == 1


def test_apply_then_reimport_changes_nothing(
    course, people, domain, teacher, django_capture_on_commit_callbacks
):
    data = roster_csv(
        [
            (f"an@{domain}", "Lê Văn An", "student"),
            (f"chi@{domain}", "", "student"),
            (f"dung@{domain}", "Đặng Dũng", "teacher"),
            (f"giang@{domain}", "Giang", "student"),
            (f"hoa@{domain}", "Nguyễn Thị Hoa", "student"),
            ("bad", "Bad", "student"),
        ]
    )
    upload, _rows = _preview(course, data, by=teacher)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.roster_import_apply(upload=upload, by=teacher)
    assert result["enrolled"] == 3 and result["invited"] == 2 and result["invitations_sent"] == 2
    assert result["error"] == 1
    active = set(
        Enrollment.objects.filter(course=course, status="active").values_list("user__email", "role")
    )
    assert active == {
        (f"an@{domain}", "student"),
        (f"binh@{domain}", "student"),
        (f"chi@{domain}", "student"),
        (f"dung@{domain}", "teacher"),
    }
    assert set(PendingEnrollment.objects.values_list("email", flat=True)) == {
        f"giang@{domain}",
        f"hoa@{domain}",
    }
    assert sorted(m.to[0] for m in mail.outbox) == [f"giang@{domain}", f"hoa@{domain}"]

    def state():
        return (
            list(Enrollment.objects.order_by("pk").values_list("pk", "status", "role")),
            list(PendingEnrollment.objects.order_by("pk").values_list("pk", "role")),
            Invitation.objects.count(),
            len(mail.outbox),
        )

    before = state()
    again, rows = _preview(course, data, by=teacher)
    assert {r.verdict for r in rows.values() if r.email != "bad"} == {"already"}
    with django_capture_on_commit_callbacks(execute=True):
        second = services.roster_import_apply(upload=again, by=teacher)
    assert second["enrolled"] == 0 and second["invited"] == 0
    assert state() == before
    # applying the same upload twice (a double click) returns the first result
    assert services.roster_import_apply(upload=upload, by=teacher)["enrolled"] == 3
    assert state() == before


def test_invited_people_are_enrolled_when_they_accept(
    course, school, domain, teacher, django_capture_on_commit_callbacks
):
    data = roster_csv(
        [(f"hoa@{domain}", "Nguyễn Thị Hoa", "student"), (f"tam@{domain}", "Tâm", "assistant")]
    )
    upload, _rows = _preview(course, data, by=teacher)
    with django_capture_on_commit_callbacks(execute=True):
        services.roster_import_apply(upload=upload, by=teacher)
    links = {m.to[0]: re.search(r"/invite/([^/\s]+)/", m.body).group(1) for m in mail.outbox}
    assert Invitation.objects.get(email=f"tam@{domain}").role == Role.TEACHER

    hoa = lms_services.invitation_accept(
        raw_token=links[f"hoa@{domain}"], full_name="Nguyễn Thị Hoa", password="mat-khau-2026!"
    )
    enrollment = Enrollment.objects.get(course=course, user=hoa)
    assert enrollment.role == "student" and enrollment.status == "active"
    pending = PendingEnrollment.objects.get(email=f"hoa@{domain}")
    assert pending.fulfilled_at and pending.enrollment == enrollment
    assert enrollment.changes.get().source == "invitation"

    tam = lms_services.invitation_accept(
        raw_token=links[f"tam@{domain}"], full_name="Tâm", password="mat-khau-2026!"
    )
    assert Enrollment.objects.get(course=course, user=tam).role == "assistant"
    # once fulfilled, a re-import sees them as enrolled
    _again, rows = _preview(course, data, by=teacher)
    assert {r.verdict for r in rows.values()} == {"already"}


def test_school_without_domains_invites_anyone(course, school, teacher):
    school.allowed_email_domains = []
    school.save()
    _upload, rows = _preview(course, roster_csv([("ai@gmail.com", "Ai", "student")]))
    assert rows[2].verdict == "new"


def test_pending_invitation_is_reused_across_courses(
    course, school, domain, teacher, django_capture_on_commit_callbacks
):
    from tests.factories.courses import CourseFactory

    second = CourseFactory(school=school)
    data = roster_csv([(f"hoa@{domain}", "Hoa", "student")])
    for target in (course, second):
        upload, _rows = _preview(target, data, by=teacher)
        with django_capture_on_commit_callbacks(execute=True):
            services.roster_import_apply(upload=upload, by=teacher)
    assert Invitation.objects.count() == 1 and len(mail.outbox) == 1
    assert PendingEnrollment.objects.count() == 2
    raw = re.search(r"/invite/([^/\s]+)/", mail.outbox[0].body).group(1)
    hoa = lms_services.invitation_accept(raw_token=raw, full_name="Hoa", password="mat-khau-2026!")
    assert set(Enrollment.objects.filter(user=hoa).values_list("course_id", flat=True)) == {
        course.pk,
        second.pk,
    }


def test_membership_granted_later_also_fulfils(course, school, domain):
    PendingEnrollment.objects.create(course=course, email=f"x@{domain}", role="student")
    user = member(
        __import__("tests.factories.lms", fromlist=["x"]).SchoolFactory(), email=f"x@{domain}"
    )
    Membership.objects.filter(user=user).delete()
    lms_services.membership_grant(user=user, school=school, role=Role.TEACHER)
    assert not Enrollment.objects.filter(user=user).exists()  # a teacher is not a student
    lms_services.membership_grant(user=user, school=school, role=Role.STUDENT)
    assert Enrollment.objects.get(user=user, course=course).role == "student"


# --- Files that cannot be read ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty_file"),
        (b"   \r\n  ", "empty_file"),
        (b"\xef\xbb\xbf", "empty_file"),
        (b"email,full_name,role\r\n", "empty_file"),
        (b"name,phone\r\nAn,0903\r\n", "wrong_columns"),
        (b"email;full_name\r\na@b.vn;An\r\n", "wrong_columns"),
        ("email,full_name,role\r\nan@x.vn,Lê Văn An,student\r\n".encode("cp1258"), "bad_encoding"),
        ("email,full_name,role\r\n".encode("utf-16"), "not_csv"),
        (b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)) * 10, "not_csv"),
        (b"email,full_name,role\r\n" + b"a" * (roster.MAX_BYTES + 10), "file_too_large"),
        (b'email,full_name,role\r\n"an@x.vn,"Lan\r\n' + b"x" * 200_000, "bad_csv"),
    ],
    ids=[
        "empty",
        "blank",
        "only-bom",
        "header-only",
        "wrong-columns",
        "missing-column",
        "cp1258",
        "utf16",
        "xlsx-junk",
        "too-large",
        "broken-quotes",
    ],
)
def test_unreadable_files_import_nothing(course, teacher, data, code):
    with pytest.raises(ServiceError) as exc:
        services.roster_import_upload(course=course, data=data, by=teacher)
    assert exc.value.code == code
    assert exc.value.field == "file"
    assert not RosterImport.objects.exists()


def test_ten_megabytes_of_junk_is_refused_quickly(course, teacher):
    junk = bytes(range(256)) * (10 * 1024 * 1024 // 256)
    started = time.perf_counter()
    with pytest.raises(ServiceError) as exc:
        services.roster_import_upload(course=course, data=junk, by=teacher)
    assert exc.value.code == "file_too_large"
    assert time.perf_counter() - started < 1


def test_row_cap(course, teacher, monkeypatch):
    monkeypatch.setattr(roster, "MAX_ROWS", 3)
    data = roster_csv([(f"p{i}@x.vn", "P", "student") for i in range(4)])
    with pytest.raises(ServiceError) as exc:
        services.roster_import_upload(course=course, data=data, by=teacher)
    assert exc.value.code == "too_many_rows"


def test_bom_semicolons_aliases_and_vietnamese(course, school, domain):
    text = (
        "\ufeffE-mail;Họ tên;Vai trò\r\n"
        f"hoa@{domain};Nguyễn Thị Hoà;Học sinh\r\n"
        f"dung@{domain};Đặng Văn Dũng;giáo viên\r\n"
    )
    _upload, rows = _preview(course, text.encode())
    assert rows[2].full_name == "Nguyễn Thị Hoà" and rows[2].role == "student"
    assert rows[3].role == "teacher" and rows[3].verdict == "new"


def test_export_is_excel_friendly_and_reimportable(course, school, domain, teacher):
    enrol(course, member(school, email=f"an@{domain}", full_name="Lê Văn Ân"))
    enrol(course, member(school, email=f"evil@{domain}", full_name="=HYPERLINK(1)"))
    dropped = enrol(course, member(school, email=f"chi@{domain}"))
    services.enrollment_drop(enrollment=dropped, by=SYSTEM)
    PendingEnrollment.objects.create(course=course, email=f"hoa@{domain}", full_name="Hoa")
    text = roster.export_csv(
        Enrollment.objects.filter(course=course).select_related("user"),
        PendingEnrollment.objects.filter(course=course),
    )
    assert "Lê Văn Ân" in text and "'=HYPERLINK(1)" in text
    assert ",dropped," in text and ",invited," in text
    _upload, rows = _preview(course, ("\ufeff" + text).encode())
    by_email = {row.email: row for row in rows.values()}
    assert by_email[f"evil@{domain}"].full_name == "=HYPERLINK(1)"
    assert {row.verdict for row in rows.values()} == {"already"}  # nothing changes
    assert "dropped" in by_email[f"chi@{domain}"].message


def test_a_thousand_rows_in_bounded_queries(course, school, teacher):
    """Half members of the school, half new people. The reads and the enrolments are bulk
    queries; what grows with the file is one invitation_create per new person and the
    enrollment_changed hook per enrolment (timings: tests/courses/bench_roster_import.py)."""
    existing = bulk_members(school, 500)
    rows = [(u.email, u.full_name, "student") for u in existing]
    rows += [
        (f"new{i}@{school.allowed_email_domains[0]}", f"Người mới {i}", "") for i in range(500)
    ]
    upload, preview = _preview(course, roster_csv(rows), by=teacher)
    assert upload.summary["existing"] == 500 and upload.summary["new"] == 500
    with CaptureQueriesContext(connection) as queries:
        result = services.roster_import_apply(upload=upload, by=teacher)
    assert result["enrolled"] == 500 and result["invited"] == 500
    mine = [
        q["sql"]
        for q in queries.captured_queries
        if "courses_enrollment" in q["sql"] or "courses_pendingenrollment" in q["sql"]
    ]
    assert len(mine) < 20
    assert Enrollment.objects.filter(course=course).count() == 500
