"""Web pages for courses: the school's course list, a course's roster, joining by code."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lms.errors import NotFound, ServiceError
from lms.models import Role
from lms.selectors import school_administered_by
from lms.views.helpers import add_service_error

from . import permissions, selectors, services
from .api.views import read_upload, roster_csv_response
from .forms import AddPersonForm, CourseForm, JoinCodeExpiryForm, JoinForm, RosterUploadForm
from .models import Course, Enrollment
from .roster import Verdict

# --- Hooks: navigation and dashboard ---------------------------------------------------------


def nav_items(request, schools) -> list[dict]:
    items = []
    admin_schools = [school for school, roles in schools if Role.ADMIN in roles]
    for school in admin_schools:
        url = reverse("school_courses", args=[school.slug])
        label = _("Courses") if len(admin_schools) == 1 else f"{_('Courses')} · {school.slug}"
        items.append({"label": label, "url": url, "active": request.path.startswith(url)})
    if any(Role.STUDENT in roles for _school, roles in schools):
        url = reverse("course_join")
        items.append(
            {"label": _("Join a course"), "url": url, "active": request.path.startswith(url)}
        )
    return items


def dashboard_panels(request, schools) -> list[dict]:
    taught = list(selectors.courses_taught_by(request.user)[:50])
    is_student = any(Role.STUDENT in roles for _school, roles in schools)
    if not taught and not is_student:
        return []
    return [
        {
            "template": "courses/_dashboard_panel.html",
            "taught": taught,
            "is_student": is_student,
        }
    ]


# --- School administrators: courses ---------------------------------------------------------


def _school_course(school, pk) -> Course:
    course = selectors.school_courses(school=school).filter(pk=pk).first()
    if course is None:
        raise NotFound()
    return course


@login_required
def school_courses(request, slug):
    school = school_administered_by(request.user, slug)
    status = request.GET.get("status") if request.GET.get("status") in Course.Status.values else ""
    query = request.GET.get("q", "").strip()
    page = Paginator(
        selectors.school_courses(school=school, status=status, query=query), 50
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "courses/school_courses.html",
        {
            "school": school,
            "page": page,
            "status": status,
            "query": query,
            "statuses": Course.Status.choices,
        },
    )


@login_required
def course_create(request, slug):
    school = school_administered_by(request.user, slug)
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_create(school=school, by=request.user, **form.cleaned_data)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request, _("The course “%(title)s” was created.") % {"title": course.title}
            )
            return redirect("course_roster", pk=course.pk)
    return render(
        request, "courses/course_form.html", {"school": school, "form": form, "course": None}
    )


@login_required
def course_edit(request, slug, pk):
    school = school_administered_by(request.user, slug)
    course = _school_course(school, pk)
    form = CourseForm(request.POST or None, initial=CourseForm.initial_for(course))
    if request.method == "POST" and form.is_valid():
        try:
            services.course_update(course=course, by=request.user, **form.cleaned_data)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The course was saved."))
            return redirect("school_courses", slug=school.slug)
    return render(
        request, "courses/course_form.html", {"school": school, "form": form, "course": course}
    )


@login_required
@require_POST
def course_archive(request, slug, pk):
    school = school_administered_by(request.user, slug)
    course = services.course_archive(course=_school_course(school, pk), by=request.user)
    messages.success(
        request,
        _("“%(title)s” was archived. Its people and history are kept.") % {"title": course.title},
    )
    return redirect("school_courses", slug=school.slug)


# --- Course staff: roster -------------------------------------------------------------------


def _roster_page(request, course, *, add_form=None, upload_form=None, status_code=200):
    role = request.GET.get("role") if request.GET.get("role") in Enrollment.Role.values else ""
    status = (
        request.GET.get("status") if request.GET.get("status") in Enrollment.Status.values else ""
    )
    query = request.GET.get("q", "").strip()
    page = Paginator(
        selectors.roster_in_name_order(
            selectors.course_roster(course=course, role=role, status=status, query=query)
        ),
        100,
    ).get_page(request.GET.get("page"))
    can_manage = permissions.may_manage_roster(request.user, course)
    return render(
        request,
        "courses/roster.html",
        {
            "course": course,
            "page": page,
            "role": role,
            "status": status,
            "query": query,
            "roles": Enrollment.Role.choices,
            "statuses": Enrollment.Status.choices,
            "pending": selectors.pending_in_name_order(
                selectors.course_pending_enrollments(course=course)[:200]
            ),
            "can_manage": can_manage,
            "can_edit": permissions.may_edit_course(request.user, course),
            "add_form": add_form or AddPersonForm(),
            "upload_form": upload_form or RosterUploadForm(),
            "expiry_form": JoinCodeExpiryForm(initial={"expires_at": course.join_code_expires_at}),
            "join_link": request.build_absolute_uri(reverse("course_join"))
            + f"?code={course.join_code or ''}",
        },
        status=status_code,
    )


@login_required
def roster(request, pk):
    course = selectors.course_with_roster_access(request.user, pk)
    if request.method == "POST":
        course = selectors.course_with_roster_access(request.user, pk, manage=True)
        form = AddPersonForm(request.POST)
        if form.is_valid():
            try:
                enrollment = services.enrollment_create_by_email(
                    course=course, by=request.user, **form.cleaned_data
                )
            except ServiceError as exc:
                add_service_error(form, exc)
            else:
                messages.success(
                    request,
                    _("%(name)s was added as %(role)s.")
                    % {"name": enrollment.user.full_name, "role": enrollment.get_role_display()},
                )
                return redirect("course_roster", pk=course.pk)
        return _roster_page(request, course, add_form=form, status_code=400)
    return _roster_page(request, course)


@login_required
@require_POST
def roster_drop(request, pk, enrollment_id):
    course = selectors.course_with_roster_access(request.user, pk, manage=True)
    enrollment = selectors.enrollment_in_course(course=course, pk=enrollment_id)
    services.enrollment_drop(enrollment=enrollment, by=request.user)
    messages.success(
        request,
        _("%(name)s was dropped. Their work and attendance are kept.")
        % {"name": enrollment.user.full_name},
    )
    return redirect("course_roster", pk=course.pk)


@login_required
@require_POST
def pending_cancel(request, pk, pending_id):
    course = selectors.course_with_roster_access(request.user, pk, manage=True)
    pending = selectors.course_pending_enrollments(course=course).filter(pk=pending_id).first()
    if pending is None:
        raise NotFound()
    pending.course = course  # loaded with the role, so the service's check costs no query
    services.pending_enrollment_cancel(pending=pending, by=request.user)
    messages.success(request, _("%(email)s will not be enrolled.") % {"email": pending.email})
    return redirect("course_roster", pk=course.pk)


@login_required
@require_POST
def join_code(request, pk):
    course = selectors.course_with_roster_access(request.user, pk, manage=True)
    action = request.POST.get("action")
    try:
        if action == "rotate":
            services.join_code_rotate(course=course, by=request.user)
            messages.success(request, _("A new join code was made; the old one no longer works."))
        elif action in ("enable", "disable"):
            services.join_code_update(course=course, by=request.user, enabled=action == "enable")
            messages.success(
                request,
                _("Joining with the code is on.")
                if action == "enable"
                else _("Joining with the code is off."),
            )
        elif action == "expiry":
            form = JoinCodeExpiryForm(request.POST)
            if not form.is_valid():
                raise ServiceError(_("Enter a date and time, or leave the field empty."))
            services.join_code_update(
                course=course, by=request.user, expires_at=form.cleaned_data["expires_at"]
            )
            messages.success(request, _("The code's expiry was saved."))
        else:
            raise ServiceError(_("Unknown action."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("course_roster", pk=course.pk)


@login_required
@require_POST
def roster_import(request, pk):
    course = selectors.course_with_roster_access(request.user, pk, manage=True)
    form = RosterUploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            record, rows = services.roster_import_upload(
                course=course, data=read_upload(upload), filename=upload.name, by=request.user
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            return render(
                request,
                "courses/roster_preview.html",
                {
                    "course": course,
                    "upload": record,
                    "rows": rows,
                    "summary": record.summary,
                    "actionable": record.summary["changes"],
                    "verdicts": Verdict,
                },
            )
    return _roster_page(request, course, upload_form=form, status_code=400)


@login_required
@require_POST
def roster_import_apply(request, pk, import_id):
    course = selectors.course_with_roster_access(request.user, pk, manage=True)
    record = selectors.roster_import_for(course=course, pk=import_id)
    try:
        result = services.roster_import_apply(upload=record, by=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _(
                "Roster imported: %(enrolled)s enrolled, %(invited)s invited, "
                "%(already)s unchanged, %(error)s skipped with errors."
            )
            % result,
        )
    return redirect("course_roster", pk=course.pk)


@login_required
@require_GET
def roster_export(request, pk):
    return roster_csv_response(selectors.course_with_roster_access(request.user, pk))


# --- Students: join by code -----------------------------------------------------------------


def _after_join_url(course) -> str:
    # The course content app owns the student's course pages; fall back to the dashboard.
    try:
        return reverse("my_courses")
    except NoReverseMatch:
        return reverse("dashboard")


@login_required
def join(request):
    form = JoinForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    status_code = 200
    if request.method == "POST" and form.is_valid():
        try:
            enrollment = services.enrollment_join_by_code(
                user=request.user, code=form.cleaned_data["code"]
            )
        except ServiceError as exc:
            add_service_error(form, exc)
            status_code = exc.status
        else:
            messages.success(
                request, _("Welcome to %(course)s!") % {"course": enrollment.course.title}
            )
            return redirect(_after_join_url(enrollment.course))
    elif request.method == "POST":
        status_code = 400
    return render(request, "courses/join.html", {"form": form}, status=status_code)
