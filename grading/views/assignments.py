"""Assignment pages: thin, every rule lives in services and selectors."""

import contextlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.errors import ServiceError
from lms.views.helpers import add_service_error
from media.connect_src import uploads_from_page

from .. import permissions
from ..forms import AssignmentForm, ExtensionForm
from ..selectors import assignments as assignment_selectors
from ..selectors import submissions as submission_selectors
from ..services import archives as archive_services
from ..services import assignments as assignment_services
from ..services import submissions as submission_services


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@login_required
def course_assignments(request, course_id):
    course, role = assignment_selectors.course_for(request.user, course_id)
    assignments = assignment_selectors.assignments_of_course(request.user, course, role)
    return render(
        request,
        "grading/assignment_list.html",
        {
            "course": course,
            "assignments": assignments,
            "is_staff": permissions.may_read_all(role),
            "may_manage": permissions.may_manage(role),
            "now": timezone.now(),
        },
    )


def _assignment_form(request, course, assignment=None):
    form = AssignmentForm(request.POST or None, instance=assignment)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        try:
            if assignment is None:
                assignment = assignment_services.assignment_create(
                    by=request.user,
                    course=course,
                    publish="publish" in request.POST,
                    **values,
                )
                messages.success(request, _("The assignment was created."))
            else:
                assignment = assignment_services.assignment_update(
                    by=request.user, assignment=assignment, **values
                )
                if "publish" in request.POST:
                    assignment_services.assignment_publish(by=request.user, assignment=assignment)
                messages.success(request, _("The assignment was saved."))
            return redirect("grading:assignment", assignment.pk)
        except ServiceError as exc:
            add_service_error(form, exc)
    return render(
        request,
        "grading/assignment_form.html",
        {"course": course, "form": form, "assignment": assignment},
        status=400 if form.errors else 200,
    )


@login_required
def assignment_new(request, course_id):
    course, role = assignment_selectors.course_for(request.user, course_id)
    _require(permissions.may_manage(role))
    return _assignment_form(request, course)


@login_required
def assignment_edit(request, pk):
    assignment, role = assignment_selectors.assignment_for(request.user, pk)
    _require(permissions.may_manage(role))
    return _assignment_form(request, assignment.course, assignment)


@login_required
@uploads_from_page
def assignment_page(request, pk):
    assignment, role = assignment_selectors.assignment_for(request.user, pk)
    context = {
        "assignment": assignment,
        "course": assignment.course,
        "role": role,
        "is_staff": permissions.may_read_all(role),
        "may_manage": permissions.may_manage(role),
        "now": timezone.now(),
    }
    if permissions.may_submit(role):
        extension = assignment.extensions.filter(student=request.user).first()
        due, cutoff = submission_services.deadlines_for(assignment, extension)
        attempts = list(submission_selectors.attempts_of(assignment, request.user.pk))
        draft = submission_selectors.draft_of(assignment, request.user)
        context |= {
            "extension": extension,
            "due_at": due,
            "cutoff": cutoff,
            "attempts": attempts,
            "draft": draft,
            # The attempt the button means to create: every tab opened before it exists sends
            # the same key, so double clicks, retries and a second tab land on one attempt.
            "client_key": f"attempt-{len(attempts) + 1:04d}",
            "attempts_left": (
                None
                if assignment.max_attempts is None
                else max(0, assignment.max_attempts - len(attempts))
            ),
            "is_open": (
                not assignment.available_from or assignment.available_from <= context["now"]
            )
            and context["now"] <= cutoff,
            "draft_api": reverse("api-assignment-draft", args=[assignment.pk]),
            "slot_api": reverse("api-assignment-upload-slot", args=[assignment.pk]),
        }
    return render(request, "grading/assignment_detail.html", context)


@login_required
@require_POST
def assignment_submit(request, pk):
    assignment, role = assignment_selectors.assignment_for(request.user, pk)
    _require(permissions.may_submit(role))
    text = request.POST.get("text") if assignment.accepts_text else None
    file_ids = None
    if assignment.accepts_files and request.POST.get("files_sent"):
        file_ids = request.POST.getlist("files")
    try:
        submission, created = submission_services.submission_submit(
            by=request.user,
            assignment=assignment,
            client_key=request.POST.get("client_key", ""),
            text=text,
            file_ids=file_ids,
        )
    except ServiceError as exc:
        if text is not None:
            # Keep what was typed: a refusal must not lose the student's work.
            with contextlib.suppress(ServiceError):
                submission_services.submission_draft_save(
                    by=request.user, assignment=assignment, text=text
                )
        messages.error(request, exc.message)
        return redirect("grading:assignment", assignment.pk)
    if created:
        messages.success(request, _("Your work was handed in. Here is your receipt."))
    else:
        messages.info(request, _("This work was already handed in; nothing new was recorded."))
    return redirect("grading:receipt", assignment.pk, submission.pk)


@login_required
def receipt_page(request, pk, attempt_id):
    assignment, role = assignment_selectors.assignment_for(request.user, pk)
    submission = submission_selectors.submission_for(
        assignment, attempt_id, by=request.user, may_read_all=permissions.may_read_all(role)
    )
    return render(
        request,
        "grading/submission_receipt.html",
        {
            "assignment": assignment,
            "course": assignment.course,
            "submission": submission,
            "receipt": submission_selectors.receipt_for(submission),
            "is_staff": permissions.may_read_all(role),
        },
    )


@login_required
def submission_list(request, pk):
    assignment, role = assignment_selectors.assignment_for(request.user, pk)
    _require(permissions.may_read_all(role))
    state = request.GET.get("status") or None
    if state not in (None, *submission_selectors.STATUSES):
        state = None
    sort = request.GET.get("sort") or "name"
    if sort not in submission_selectors.SORTS:
        sort = "name"
    query = request.GET.get("q", "").strip()[:100]
    rows = submission_selectors.submission_roster(assignment, status=state, sort=sort, query=query)
    return render(
        request,
        "grading/submission_list.html",
        {
            "assignment": assignment,
            "course": assignment.course,
            "rows": rows,
            "status": state or "",
            "sort": sort,
            "query": query,
            "statuses": submission_selectors.STATUSES,
            "may_manage": permissions.may_manage(role),
            "extension_form": ExtensionForm(),
            "archive": assignment.archives.filter(requested_by=request.user).first(),
        },
    )


@login_required
@require_POST
def extension_grant(request, pk, student_id):
    assignment, role = assignment_selectors.assignment_for(request.user, pk)
    _require(permissions.may_manage(role))
    form = ExtensionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("grading:submissions", assignment.pk)
    try:
        assignment_services.extension_grant(
            by=request.user, assignment=assignment, student_id=student_id, **form.cleaned_data
        )
    except ServiceError as exc:
        if exc.status == 404:
            raise Http404 from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The extension was granted."))
    return redirect("grading:submissions", assignment.pk)


@login_required
def file_download(request, pk, attempt_id, file_id):
    """Send the browser to a short-lived link; the file's bytes never pass through here."""
    assignment, role = assignment_selectors.assignment_for(request.user, pk)
    submission = submission_selectors.submission_for(
        assignment, attempt_id, by=request.user, may_read_all=permissions.may_read_all(role)
    )
    return redirect(submission_services.submitted_file_url(submission=submission, file_id=file_id))


@login_required
@require_POST
def archive_start(request, pk):
    assignment, role = assignment_selectors.assignment_for(request.user, pk)
    _require(permissions.may_read_all(role))
    archive_services.archive_request(by=request.user, assignment=assignment)
    messages.info(request, _("The archive is being built; refresh this page to follow it."))
    return redirect("grading:submissions", assignment.pk)


@login_required
def archive_download(request, pk, archive_id):
    assignment, role = assignment_selectors.assignment_for(request.user, pk)
    _require(permissions.may_read_all(role))
    archive = archive_services.archive_for(by=request.user, assignment=assignment, pk=archive_id)
    try:
        return redirect(archive_services.archive_download_url(archive=archive))
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("grading:submissions", assignment.pk)


@login_required
def student_attempts(request, pk, student_id):
    """Every attempt one student handed in, newest first, with its files (staff, admins)."""
    assignment, role = assignment_selectors.assignment_for(request.user, pk)
    _require(permissions.may_read_all(role))
    attempts = list(
        submission_selectors.attempts_of(assignment, student_id).select_related("student")
    )
    if not attempts:
        raise Http404
    return render(
        request,
        "grading/submission_attempts.html",
        {
            "assignment": assignment,
            "course": assignment.course,
            "student": attempts[0].student,
            "attempts": attempts,
        },
    )
