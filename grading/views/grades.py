"""Grading pages: the grader (one submission at a time), the gradebook, the student's grades.

Thin: reads through the gradebook selectors, writes through the same services as the API. The
grader and the gradebook save through the API from the page's script (autosave with versions).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from lms.errors import ServiceError

from .. import grade_access as access
from ..api.gradebook_views import gradebook_file
from ..gradebook import grades as reads
from ..gradebook.math import course_total, display_for, format_score
from ..gradebook.selectors import course_gradebook, filter_rows
from ..models import SubmissionFile
from ..services import gradebook_import as importer
from ..services import release
from ..services.grades import grading_options
from .gradebook_cells import cells_html


def _language(request) -> str:
    return getattr(request, "LANGUAGE_CODE", "vi") or "vi"


@login_required
def grader_start(request, assignment_id):
    """The first student who needs grading (or the first student) of the assignment."""
    assignment = reads.assignment_for(request.user, assignment_id, access.GRADE)
    queue = reads.assignment_queue(assignment=assignment)
    if not queue:
        messages.info(request, _("No student in this course yet."))
        return redirect("grading:assignment", assignment.pk)
    first = next((e for e in queue if e.needs_grading), queue[0])
    url = reverse("grading:grader", args=[assignment.pk, first.student_id])
    return redirect(url + ("?needs=1" if request.GET.get("needs") else ""))


@login_required
def grader(request, assignment_id, student_id):
    assignment = reads.assignment_for(request.user, assignment_id, access.GRADE)
    needs = request.GET.get("needs") == "1"
    queue = reads.assignment_queue(assignment=assignment)
    ids = [e.student_id for e in queue]
    if student_id not in ids:
        from lms.errors import NotFound

        raise NotFound()
    entry = queue[ids.index(student_id)]
    walk = [e for e in queue if e.needs_grading or e.student_id == student_id] if needs else queue
    position = [e.student_id for e in walk].index(student_id)
    previous = walk[position - 1].student_id if position > 0 else None
    following = walk[position + 1].student_id if position + 1 < len(walk) else None
    options = grading_options(assignment)
    rubric = reads.rubric_with_levels(options.rubric_id)
    grade = reads.grade_of(assignment=assignment, student_id=student_id)
    submission = entry.submission
    files = (
        list(SubmissionFile.objects.filter(submission=submission)) if submission is not None else []
    )
    selections = {s["criterion"]: s for s in (grade.rubric_selections if grade else [])}
    criteria = []
    if rubric is not None:
        for criterion in rubric.criteria.all():
            chosen = selections.get(criterion.pk, {})
            criteria.append(
                {
                    "criterion": criterion,
                    "level": chosen.get("level"),
                    "comment": chosen.get("comment", ""),
                }
            )
    role = access.role_of(request.user, assignment.course)
    language = _language(request)
    return render(
        request,
        "grading/grade_grader.html",
        {
            "assignment": assignment,
            "course": assignment.course,
            "entry": entry,
            "grade": grade,
            "submission": submission,
            "files": files,
            "rubric": rubric,
            "criteria": criteria,
            "previous": previous,
            "next": following,
            "needs": needs,
            "position": position + 1,
            "count": len(walk),
            "left": sum(e.needs_grading for e in queue),
            "may_release": role == "teacher",
            "score_text": format_score(grade.raw_score, language) if grade else "",
            "points_text": format_score(assignment.points, language),
            "config": (
                {
                    "api": reverse("api-grade", args=[assignment.pk, student_id]),
                    "release": reverse("api-grade-release", args=[assignment.pk, student_id]),
                    "version": grade.version if grade else None,
                    "previous": reverse("grading:grader", args=[assignment.pk, previous])
                    + ("?needs=1" if needs else "")
                    if previous
                    else "",
                    "next": reverse("grading:grader", args=[assignment.pk, following])
                    + ("?needs=1" if needs else "")
                    if following
                    else "",
                    "pdfjs": static("grading/pdfjs/pdf.min.mjs"),
                    "pdfjsWorker": static("grading/pdfjs/pdf.worker.min.mjs"),
                    "language": language,
                    "files": [
                        {
                            "name": f.name,
                            "type": f.content_type,
                            "url": reverse(
                                "api-assignment-file-download",
                                args=[assignment.pk, submission.pk, f.file_id],
                            ),
                        }
                        for f in files
                    ],
                }
            ),
        },
    )


@login_required
@require_POST
def assignment_release_page(request, assignment_id):
    assignment = reads.assignment_for(request.user, assignment_id, access.GRADES_RELEASE)
    result = release.assignment_release(by=request.user, assignment=assignment)
    messages.success(request, _("%(n)s grades released to students.") % {"n": result["released"]})
    return redirect(
        request.POST.get("next") or reverse("grading:grader-start", args=[assignment.pk])
    )


@login_required
def gradebook(request, course_id):
    course = access.course_for(request.user, course_id, access.GRADEBOOK_READ)
    category = request.GET.get("category") or None
    book = course_gradebook(course=course, category=category)
    book = filter_rows(
        book, missing=bool(request.GET.get("missing")), late=bool(request.GET.get("late"))
    )
    chosen = request.GET.get("student")
    focus = next((r for r in book.rows if str(r.student_id) == chosen), None) or (
        book.rows[0] if book.rows else None
    )
    language = _language(request)
    excused = pgettext("excused grade, short", "EX")
    titles = {c.id: c.title for c in book.columns}
    for row in book.rows:
        row.display_text = display_for(row.display, language)
        for cell in row.cells:
            cell.text = excused if cell.excused else format_score(cell.score, language)
            cell.title = titles[cell.assignment_id]
    may_grade = access.can(request.user, course, access.GRADE)
    cells_html(book, editable=may_grade)
    return render(
        request,
        "grading/gradebook.html",
        {
            "course": course,
            "book": book,
            "focus": focus,
            "category": category or "",
            "categories": sorted({c.category for c in book.columns if c.category}),
            "missing": bool(request.GET.get("missing")),
            "late": bool(request.GET.get("late")),
            "may_grade": may_grade,
        },
    )


@login_required
def gradebook_export(request, course_id):
    course = access.course_for(request.user, course_id, access.GRADEBOOK_READ)
    return gradebook_file(course, request)


@login_required
def gradebook_import(request, course_id):
    """Upload → preview with a verdict per row → apply (the text travels in the form)."""
    course = access.course_for(request.user, course_id, access.GRADE)
    context = {"course": course}
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        upload = request.FILES.get("file")
        data = (
            upload.read(2 * 1024 * 1024 + 1)
            if upload
            else request.POST.get("content", "").encode("utf-8")
        )
        try:
            if request.POST.get("apply"):
                result = importer.import_apply(
                    by=request.user, course=course, data=data, reason=reason
                )
                messages.success(
                    request,
                    _("%(n)s scores imported.") % {"n": result["summary"]["scores"]},
                )
                return redirect("grading:gradebook", course.pk)
            context["preview"] = importer.import_preview(
                by=request.user, course=course, data=data, reason=reason
            )
            context["content"] = data.decode("utf-8-sig", errors="replace")
            context["reason"] = reason
        except ServiceError as exc:
            context["error"] = exc.message
    return render(request, "grading/gradebook_import.html", context)


@login_required
def my_grades(request, course_id):
    course = access.course_for(request.user, course_id, access.OWN_GRADES)
    book = course_gradebook(course=course, student_ids=[request.user.pk], released_only=True)
    row = book.rows[0] if book.rows else None
    grades = list(reads.released_grades(student=request.user, course=course))
    language = _language(request)
    rubrics = {}
    for grade in grades:
        grade.score_text = format_score(grade.score, language)
        grade.raw_text = format_score(grade.raw_score, language)
        grade.penalty_text = format_score(grade.penalty_applied, language)
        grade.points_text = format_score(grade.assignment.points, language)
        if grade.rubric_id and grade.rubric_id not in rubrics:
            rubrics[grade.rubric_id] = reads.rubric_with_levels(grade.rubric_id)
        grade.rubric_lines = _rubric_lines(rubrics.get(grade.rubric_id), grade.rubric_selections)
        requests = list(grade.regrade_requests.all())
        grade.regrade = requests[0] if requests else None
    total = row.total if row else course_total([])
    return render(
        request,
        "grading/grade_mine.html",
        {
            "course": course,
            "grades": grades,
            "display": display_for(row.display, language) if row else "",
            "percent": format_score(total.percent, language, 1)
            if total.percent is not None
            else "",
            "scale": book.settings.get_scale_display(),
        },
    )


def _rubric_lines(rubric, selections) -> list[dict]:
    if rubric is None:
        return []
    chosen = {s["criterion"]: s for s in selections or []}
    lines = []
    for criterion in rubric.criteria.all():
        selection = chosen.get(criterion.pk)
        level = None
        if selection and selection.get("level"):
            level = next((lv for lv in criterion.levels.all() if lv.pk == selection["level"]), None)
        lines.append(
            {
                "criterion": criterion,
                "level": level,
                "comment": (selection or {}).get("comment", ""),
            }
        )
    return lines


@login_required
@require_POST
def regrade_request(request, grade_id):
    grade = reads.released_grade_for(student=request.user, pk=grade_id)
    try:
        release.regrade_request_create(
            by=request.user, grade=grade, reason=request.POST.get("reason", "")
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your request was sent to your teacher."))
    return redirect("grading:my-grades", grade.assignment.course_id)
