"""Grading pages: the grader, the gradebook, the student's grades, panels and the demo."""

from decimal import Decimal as D

import pytest
from django.utils import translation

from grading.models import Grade
from grading.services import release
from grading.services.grades import grade_save, grading_options_update
from tests.factories.grades import assignment, simple_rubric, submission, world


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def w(db):
    return world(names=["Trần Văn Đức", "Nguyễn Thị Dung", "Lê An"])


def test_grader_page_walks_the_queue(w, client):
    a = assignment(w.course, title="Bài luận")
    grading_options_update(by=w.teacher, assignment=a, rubric=simple_rubric(w.course, w.teacher))
    for s in w.students:
        submission(a, s)
    an, dung, duc = sorted(
        w.students, key=lambda u: ["Lê An", "Nguyễn Thị Dung", "Trần Văn Đức"].index(u.full_name)
    )
    grade_save(by=w.teacher, assignment=a, student_id=an.pk, version=None, score=D(7))
    client.force_login(w.assistant)
    start = client.get(f"/grading/assignments/{a.pk}/")
    assert start.status_code == 302 and start["Location"].endswith(f"/students/{dung.pk}/")
    page = client.get(start["Location"]).content.decode()
    assert "Nguyễn Thị Dung" in page and "Nội dung" in page and 'name="criterion-' in page
    assert f"/students/{an.pk}/" in page and f"/students/{duc.pk}/" in page
    assert "grading/grader.js" in page and "pdf.min.mjs" in page
    assert "release-one" not in page  # assistants do not release
    needs = client.get(f"/grading/assignments/{a.pk}/students/{dung.pk}/?needs=1").content.decode()
    assert f"/students/{an.pk}/" not in needs  # An is graded: skipped in "needs grading"
    client.force_login(w.students[0])
    assert client.get(f"/grading/assignments/{a.pk}/students/{dung.pk}/").status_code == 403
    client.force_login(w.other_teacher)
    assert client.get(f"/grading/assignments/{a.pk}/students/{dung.pk}/").status_code == 404


def test_gradebook_page_and_exports(w, client):
    a = assignment(w.course, title="Kiểm tra", category="tx")
    grade_save(
        by=w.teacher, assignment=a, student_id=w.students[0].pk, version=None, score=D("8.5")
    )
    client.force_login(w.teacher)
    page = client.get(f"/grading/courses/{w.course.pk}/gradebook/").content.decode()
    assert 'data-testid="gradebook"' in page and "Kiểm tra" in page
    assert page.index("Lê An") < page.index("Nguyễn Thị Dung") < page.index("Trần Văn Đức")
    assert 'value="8.5"' in page and "gradebook.js" in page
    w.teacher.preferred_language = "vi"
    w.teacher.save()
    page = client.get(f"/grading/courses/{w.course.pk}/gradebook/").content.decode()
    assert 'value="8,5"' in page
    export = client.get(f"/grading/courses/{w.course.pk}/gradebook/export/?as=xlsx")
    assert export["Content-Disposition"].endswith('.xlsx"')
    client.force_login(w.admin)
    page = client.get(f"/grading/courses/{w.course.pk}/gradebook/").content.decode()
    assert "gradebook.js" not in page and "<input aria-label" not in page  # reads, no editing
    client.force_login(w.students[0])
    assert client.get(f"/grading/courses/{w.course.pk}/gradebook/").status_code == 403
    assert client.get(f"/grading/courses/{w.course.pk}/gradebook/export/").status_code == 403


def test_gradebook_cells_are_escaped_and_marked(w, client):
    """The page writes its cells in Python: names and titles escaped, drafts and states shown."""
    a = assignment(w.course, title='<b>"Bài" 1</b>', category="tx")
    mark = assignment(w.course, title="Bài 2", category="tx")
    w.students[0].full_name = "Lê <i>An</i>"
    w.students[0].save()
    grade_save(by=w.teacher, assignment=a, student_id=w.students[0].pk, version=None, score=D(7))
    five = grade_save(
        by=w.teacher, assignment=mark, student_id=w.students[1].pk, version=None, score=D(5)
    )
    release.grade_release(by=w.teacher, grade=five)
    client.force_login(w.teacher)
    page = client.get(f"/grading/courses/{w.course.pk}/gradebook/").content.decode()
    assert "<i>An</i>" not in page and '<b>"Bài"' not in page
    assert (
        'aria-label="Lê &lt;i&gt;An&lt;/i&gt; · &lt;b&gt;&quot;Bài&quot; 1&lt;/b&gt;" value="7"'
        in page
    )
    assert page.count('title="draft: not released"') == 1  # the unreleased 7, not the 5
    assert 'class="missing " data-assignment' in page  # nothing handed in, past due
    client.force_login(w.admin)
    page = client.get(f"/grading/courses/{w.course.pk}/gradebook/").content.decode()
    assert "<span>7</span>" in page and "<span>—</span>" in page


def test_student_page_shows_released_only_and_regrade(w, client):
    shown = assignment(w.course, title="Đã trả")
    hidden = assignment(w.course, title="Chưa trả")
    s = w.students[0]
    grade = grade_save(
        by=w.teacher,
        assignment=shown,
        student_id=s.pk,
        version=None,
        score=D(9),
        comment="Giỏi lắm",
    )
    grade_save(
        by=w.teacher, assignment=hidden, student_id=s.pk, version=None, score=D(1), comment="BÍ MẬT"
    )
    release.grade_release(by=w.teacher, grade=grade)
    client.force_login(s)
    page = client.get(f"/grading/courses/{w.course.pk}/my-grades/").content.decode()
    assert "Giỏi lắm" in page and "Đã trả" in page
    assert "BÍ MẬT" not in page and "Chưa trả" not in page
    dashboard = client.get("/dashboard/").content.decode()
    assert 'data-testid="recent-grades-panel"' in dashboard and "BÍ MẬT" not in dashboard
    response = client.post(f"/grading/grades/{grade.pk}/regrade/", {"reason": "Câu 2"})
    assert response.status_code == 302
    assert "open" in client.get(f"/grading/courses/{w.course.pk}/my-grades/").content.decode()
    hidden_grade = Grade.objects.get(assignment=hidden)
    assert (
        client.post(f"/grading/grades/{hidden_grade.pk}/regrade/", {"reason": "x"}).status_code
        == 404
    )


def test_to_grade_panel_for_teachers(w, client):
    a = assignment(w.course, title="Cần chấm")
    submission(a, w.students[0])
    client.force_login(w.teacher)
    page = client.get("/dashboard/").content.decode()
    assert 'data-testid="to-grade-panel"' in page and "Cần chấm" in page


def test_import_page_preview_then_apply(w, client):
    a = assignment(w.course, title="Miệng")
    s = w.students[0]
    client.force_login(w.teacher)
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = f'email,Miệng [{a.pk}]\r\n{s.email},"7,5"\r\n'.encode()
    page = client.post(
        f"/grading/courses/{w.course.pk}/gradebook/import/",
        {"file": SimpleUploadedFile("diem.csv", content, "text/csv")},
    ).content.decode()
    assert 'data-testid="import-preview"' in page and "import-apply" in page
    assert not Grade.objects.exists()
    response = client.post(
        f"/grading/courses/{w.course.pk}/gradebook/import/",
        {"content": content.decode(), "apply": "1", "reason": ""},
    )
    assert response.status_code == 302
    assert Grade.objects.get().score == D("7.5")
    bad = client.post(
        f"/grading/courses/{w.course.pk}/gradebook/import/",
        {"file": SimpleUploadedFile("x.csv", b"name\r\nx\r\n", "text/csv")},
    ).content.decode()
    assert 'data-testid="import-error"' in bad


def test_demo_seed_grades_and_is_idempotent(db, settings, tmp_path):
    from django.core.management import call_command

    settings.MEDIA_PRIVATE_ROOT = str(tmp_path / "private")
    call_command("seed_demo", "--quiet-logins")
    call_command("seed_demo", "--quiet-logins")
    from grading.grade_demo import RUBRIC
    from grading.models import RegradeRequest, Rubric

    assert Grade.objects.filter(released_at__isnull=False).count() >= 1
    assert Grade.objects.filter(score__isnull=False, rubric__title=RUBRIC).exists()
    assert Rubric.objects.filter(title=RUBRIC).count() == 1
    assert RegradeRequest.objects.count() == 1
