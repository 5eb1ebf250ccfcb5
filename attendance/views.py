"""Attendance pages (Django templates + htmx): thin, every rule lives in services/selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.selectors import courses_for_user
from lms import notifications
from lms.errors import NotFound, ServiceError
from lms.views.helpers import add_service_error

from . import conf, exports, permissions, selectors, services
from .forms import DisputeForm, OverrideForm, PolicyForm, ResolveForm
from .models import Dispute, MarkStatus


def _fail(request, exc: ServiceError) -> None:
    if isinstance(exc, NotFound):
        raise exc
    messages.error(request, exc.message)


# --- hooks ---------------------------------------------------------------------------------------


def live_page_extras(request, session, role) -> list[dict]:
    """Hook for the classrooms live page: presence reporting, check prompts, teacher roster."""
    if role not in ("teacher", "assistant", "student"):
        return []
    return [
        {
            "template": "attendance/_live_extras.html",
            "session": session,
            "is_staff": permissions.may_check(role),
            "is_student": role == "student",
            "heartbeat_seconds": conf.heartbeat_seconds(),
            "poll_seconds": conf.check_poll_seconds(),
        }
    ]


def nav_items(request, schools) -> list[dict]:
    if not request.user.is_authenticated:
        return []
    url = reverse("attendance:index")
    return [{"label": _("Attendance"), "url": url, "active": request.path.startswith(url)}]


def dashboard_panels(request, schools) -> list[dict]:
    user = request.user
    if not user.is_authenticated:
        return []
    marks = selectors.recent_marks(user)
    review = selectors.sessions_to_review(user)
    if not marks and not review:
        return []
    return [
        {
            "template": "attendance/_dashboard_panel.html",
            "marks": marks,
            "review": review,
            "unread": notifications.unread_count(user),
        }
    ]


def course_page_panels(request, course) -> list[dict]:
    from courses.selectors import course_role_for

    role = course_role_for(request.user, course)
    if role is None:
        return []
    return [
        {
            "template": "attendance/_course_panel.html",
            "course": course,
            "is_reader": permissions.may_read_all(role),
        }
    ]


# --- pages ---------------------------------------------------------------------------------------


@login_required
def index(request):
    user = request.user
    courses = [c for c in courses_for_user(user) if permissions.may_read_all(c.my_role)]
    return render(
        request,
        "attendance/index.html",
        {
            "history": selectors.student_history(user=user),
            "courses": courses,
            "schools": selectors.schools_administered(user),
            "disputes": selectors.open_disputes_for(user)[:20],
            "review": selectors.sessions_to_review(user, limit=10),
        },
    )


@login_required
def lesson(request, pk):
    session, role = permissions.session_access(request.user, pk)
    fmt = request.GET.get("export")
    rows = selectors.lesson_report(session, user=request.user, role=role)
    if fmt in exports.FORMATS:
        headers, body = exports.lesson_table(session, rows)
        return exports.render(fmt, headers, body, filename=f"attendance-lesson-{session.pk}")
    if request.method == "POST" and request.POST.get("action") == "compute":
        if not permissions.may_read_all(role) or role == "admin":
            raise Http404
        final = services.session_is_over(session, timezone.now())
        services.marks_compute(session=session, final=final)
        messages.success(request, _("The marks were computed."))
        return redirect("attendance:lesson", pk=session.pk)
    return render(
        request,
        "attendance/lesson.html",
        {
            "session": session,
            "course": session.course,
            "role": role,
            "is_reader": permissions.may_read_all(role),
            "may_override": permissions.may_override(role),
            "rows": rows,
            "statuses": MarkStatus.choices,
            "is_over": services.session_is_over(session, timezone.now()),
        },
    )


@login_required
def live_panel(request, pk):
    """The attendance side of a live lesson on its own page (a second tab next to the room)."""
    session, role = permissions.session_access(request.user, pk)
    extras = live_page_extras(request, session, role)
    return render(
        request,
        "attendance/live_panel.html",
        {"session": session, "course": session.course, "role": role, "extras": extras},
    )


@login_required
def roster_partial(request, pk):
    session, role = permissions.session_staff_access(request.user, pk)
    return render(
        request,
        "attendance/_roster.html",
        {"session": session, "roster": selectors.live_roster(session)},
    )


@login_required
@require_POST
def check_ask(request, pk):
    session, role = permissions.session_access(request.user, pk)
    if not permissions.may_check(role):
        raise Http404
    htmx = bool(request.headers.get("HX-Request"))
    notice, error = "", ""
    try:
        check = services.presence_check_ask(session=session, by=request.user, role=role)
        notice = _("Presence check sent to %(count)s students in the room.") % {
            "count": check.prompt_count
        }
    except ServiceError as exc:
        if isinstance(exc, NotFound):
            raise
        error = str(exc.message)
    if htmx:
        return render(
            request,
            "attendance/_roster.html",
            {
                "session": session,
                "roster": selectors.live_roster(session),
                "notice": notice,
                "error": error,
            },
        )
    if notice:
        messages.success(request, notice)
    else:
        messages.error(request, error)
    return redirect("attendance:live", pk=session.pk)


@login_required
def prompt_partial(request, pk):
    session, _role = permissions.session_access(request.user, pk)
    return render(
        request,
        "attendance/_prompt.html",
        {"session": session, "prompt": selectors.pending_prompt(session, request.user)},
    )


@login_required
@require_POST
def prompt_answer(request, pk):
    prompt = selectors.prompt_for(request.user, pk)
    answered = None
    try:
        answered = services.presence_prompt_answer(prompt=prompt, user=request.user)
    except ServiceError as exc:
        _fail(request, exc)
    if request.headers.get("HX-Request"):
        return render(
            request,
            "attendance/_prompt.html",
            {"session": prompt.session, "prompt": None, "answered": answered},
        )
    if answered:
        messages.success(request, _("Thank you: your presence is confirmed."))
    return redirect("attendance:live", pk=prompt.session_id)


@login_required
def mark(request, pk):
    found, role = selectors.mark_for(request.user, pk)
    is_self = found.user_id == request.user.pk
    override_form = OverrideForm(
        request.POST if request.POST.get("action") == "override" else None,
        initial={"status": found.status},
        prefix="override",
    )
    dispute_form = DisputeForm(
        request.POST if request.POST.get("action") == "dispute" else None, prefix="dispute"
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "override" and override_form.is_valid():
                services.attendance_override(
                    mark=found, by=request.user, role=role, **override_form.cleaned_data
                )
                messages.success(request, _("The mark was changed."))
                return redirect("attendance:mark", pk=found.pk)
            if action == "dispute" and dispute_form.is_valid():
                if not is_self:
                    raise Http404
                services.dispute_open(mark=found, user=request.user, **dispute_form.cleaned_data)
                messages.success(request, _("Your dispute was sent to your teacher."))
                return redirect("attendance:mark", pk=found.pk)
        except ServiceError as exc:
            if isinstance(exc, NotFound):
                raise
            add_service_error(override_form if action == "override" else dispute_form, exc)
    evidence = selectors.mark_evidence(found)
    open_dispute = next((d for d in evidence["disputes"] if d.status == Dispute.Status.OPEN), None)
    return render(
        request,
        "attendance/mark.html",
        {
            "mark": found,
            "session": found.session,
            "course": found.course,
            "role": role,
            "is_self": is_self,
            "may_override": permissions.may_override(role),
            "override_form": override_form,
            "dispute_form": dispute_form,
            "resolve_form": ResolveForm(prefix="resolve"),
            "open_dispute": open_dispute,
            **evidence,
        },
    )


@login_required
@require_POST
def dispute_resolve(request, pk):
    dispute, role = selectors.dispute_for(request.user, pk)
    if not permissions.may_override(role):
        raise Http404
    form = ResolveForm(request.POST, prefix="resolve")
    if form.is_valid():
        try:
            services.dispute_resolve(
                dispute=dispute,
                by=request.user,
                role=role,
                accept=form.cleaned_data["decision"] == "accept",
                reply=form.cleaned_data["reply"],
                status=form.cleaned_data["status"],
            )
            messages.success(request, _("Your answer was saved."))
        except ServiceError as exc:
            _fail(request, exc)
    else:
        messages.error(request, _("Choose accept or decline."))
    return redirect("attendance:mark", pk=dispute.mark_id)


@login_required
def disputes(request):
    return render(
        request,
        "attendance/disputes.html",
        {"disputes": selectors.open_disputes_for(request.user)[:200]},
    )


@login_required
def course(request, pk):
    found, role = selectors.course_for_member(request.user, pk)
    if not permissions.may_read_all(role):
        return redirect("attendance:student", pk=found.pk, user_id=request.user.pk)
    matrix = selectors.course_matrix(found)
    fmt = request.GET.get("export")
    if fmt in exports.FORMATS:
        headers, body = exports.matrix_table(matrix)
        return exports.render(fmt, headers, body, filename=f"attendance-course-{found.pk}")
    return render(
        request,
        "attendance/course.html",
        {
            "course": found,
            "role": role,
            "matrix": matrix,
            "columns": list(zip(matrix["sessions"], matrix["session_rates"], strict=True)),
            "may_edit_policy": permissions.may_override(role),
        },
    )


@login_required
def student(request, pk, user_id):
    found, role = selectors.course_for_member(request.user, pk)
    if not permissions.may_read_all(role) and user_id != request.user.pk:
        raise Http404
    person = selectors.course_student(found, user_id)
    history = selectors.student_history(user=person, course=found)
    fmt = request.GET.get("export")
    if fmt in exports.FORMATS:
        headers, body = exports.history_table(history)
        return exports.render(fmt, headers, body, filename=f"attendance-{found.pk}-{person.pk}")
    return render(
        request,
        "attendance/student.html",
        {"course": found, "history": history, "is_reader": permissions.may_read_all(role)},
    )


@login_required
def my_history(request):
    history = selectors.student_history(user=request.user)
    fmt = request.GET.get("export")
    if fmt in exports.FORMATS:
        headers, body = exports.history_table(history)
        return exports.render(fmt, headers, body, filename="my-attendance")
    return render(request, "attendance/student.html", {"course": None, "history": history})


@login_required
def policy(request, pk):
    found, role = selectors.course_for_reader(request.user, pk)
    if not permissions.may_override(role):
        raise Http404
    current = services.policy_for(found)
    form = PolicyForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_update(
                course=found,
                role=role,
                **{name: form.cleaned_data[name] for name in PolicyForm.Meta.fields},
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The attendance rules were saved."))
            return redirect("attendance:course", pk=found.pk)
    return render(request, "attendance/policy.html", {"course": found, "form": form})


@login_required
def school(request, slug):
    found = selectors.school_for_admin(request.user, slug)
    try:
        threshold = int(request.GET.get("threshold") or 0) or None
    except ValueError:
        threshold = None
    if threshold is not None and not 1 <= threshold <= 100:
        threshold = None
    report = selectors.school_report(found, threshold=threshold)
    fmt = request.GET.get("export")
    if fmt in exports.FORMATS:
        headers, body = exports.school_table(report)
        return exports.render(fmt, headers, body, filename=f"attendance-{found.slug}")
    return render(request, "attendance/school.html", {"school": found, "report": report})


@login_required
def unmatched(request):
    events = selectors.unmatched_events(request.user)
    if not request.user.is_staff and not selectors.schools_administered(request.user).exists():
        raise Http404
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "attendance/unmatched.html", {"page": page})
