"""Web pages for live lessons: thin, every rule lives in services and selectors."""

import zoneinfo
from datetime import timedelta
from functools import wraps

from csp.decorators import csp_update
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms import hooks
from lms.access import Cap
from lms.errors import Forbidden, NotFound, ServiceError
from lms.views.helpers import add_service_error

from . import conf, ical, permissions, selectors, services
from .forms import CancelForm, MoveForm, ReminderForm, SeriesEditForm, SeriesForm, SessionForm
from .models import LiveSession


def jitsi_csp(view):
    """Allow the configured Jitsi domain (and the IFrame API script) on this page only."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        config = conf.jitsi()
        sources = {f"https://{config.domain}"}
        script = config.external_api_url
        if script.startswith(("http://", "https://")):
            sources.add("/".join(script.split("/", 3)[:3]))
        sources = sorted(sources)
        directives = {"script-src": sources, "frame-src": sources}
        return csp_update(directives)(view)(request, *args, **kwargs)

    return wrapped


def _local_zone(course) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(course.effective_time_zone)


def _schedule_forms(request, course):
    series_form = SeriesForm(
        request.POST if request.POST.get("kind") == "series" else None,
        prefix="series",
        initial={"time_zone": course.effective_time_zone},
    )
    session_form = SessionForm(
        request.POST if request.POST.get("kind") == "session" else None, prefix="once"
    )
    return series_form, session_form


def _schedule_post(request, course, series_form, session_form) -> tuple[bool, set]:
    """Creates a weekly schedule or one lesson; True when done, else the forms carry errors."""
    kind = request.POST.get("kind")
    form = series_form if kind == "series" else session_form
    show_overlap = set()
    if not form.is_valid():
        return False, show_overlap
    try:
        if kind == "series":
            services.live_series_create(course=course, by=request.user, **form.cleaned_data)
            messages.success(request, _("The schedule was created."))
        else:
            starts_at, ends_at = form.interval(course.effective_time_zone)
            services.live_session_create(
                course=course,
                by=request.user,
                starts_at=starts_at,
                ends_at=ends_at,
                title=form.cleaned_data["title"],
                confirm_overlap=form.cleaned_data["confirm_overlap"],
            )
            messages.success(request, _("The lesson was scheduled."))
    except ServiceError as exc:
        add_service_error(form, exc)
        if exc.code == "overlap":
            show_overlap.add(kind)
        return False, show_overlap
    return True, show_overlap


@login_required
def schedule_new(request, course_id):
    """Scheduling has its own page: a weekly series or a single lesson."""
    course, role = selectors.course_for(request.user, course_id)
    if not permissions.may_manage(role):
        raise Forbidden()
    series_form, session_form = _schedule_forms(request, course)
    show_overlap = set()
    if request.method == "POST":
        done, show_overlap = _schedule_post(request, course, series_form, session_form)
        if done:
            return redirect("classrooms:schedule", course_id=course.pk)
    return render(
        request,
        "classrooms/schedule_new.html",
        {
            "course": course,
            "series_form": series_form,
            "session_form": session_form,
            "show_overlap": show_overlap,
            "active": "session" if request.POST.get("kind") == "session" else "series",
            "zone": course.effective_time_zone,
        },
    )


@login_required
def schedule(request, course_id):
    course, role = selectors.course_for(request.user, course_id)
    is_staff = permissions.may_manage(role)
    if request.method == "POST":
        # Older links and scripts post here; the forms themselves live on their own page.
        if not is_staff:
            raise Forbidden()
        return schedule_new(request, course_id)
    now = timezone.now()
    show = "past" if request.GET.get("show") == "past" else "coming"
    if show == "past":
        sessions = selectors.course_sessions(course, start=now - timedelta(days=365))
        sessions = sessions.filter(
            Q(ends_at__lte=now) | Q(status=LiveSession.Status.ENDED)
        ).order_by("-starts_at")
    else:
        # A lesson ended early by its teacher belongs to the past, not to "Coming".
        sessions = selectors.course_sessions(course, start=now).exclude(
            status=LiveSession.Status.ENDED
        )
    page = Paginator(sessions, 50).get_page(request.GET.get("page"))
    for session in page:
        session.join_state = services.join_state(session, now=now)
        session.opens_at = services.opens_at(session)
    return render(
        request,
        "classrooms/schedule.html",
        {
            "course": course,
            "role": role,
            "is_staff": is_staff,
            "series_list": course.live_series.order_by("-last_date")[:20] if is_staff else [],
            "page": page,
            "show": show,
            "zone": course.effective_time_zone,
        },
    )


@login_required
def series_edit(request, pk):
    series, _role = selectors.series_for(request.user, pk, Cap.LIVE_MANAGE)
    course = series.course
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(series.time_zone))
    form = SeriesEditForm(
        request.POST or None,
        initial={
            "from_date": max(today, series.first_date),
            "title": series.title,
            "weekdays": series.weekdays,
            "start_time": series.start_time,
            "duration_minutes": series.duration_minutes,
            "last_date": series.last_date,
            "time_zone": series.time_zone,
        },
    )
    overlap = set()
    if request.method == "POST" and form.is_valid():
        try:
            services.live_series_update(series=series, by=request.user, **form.cleaned_data)
        except ServiceError as exc:
            add_service_error(form, exc)
            if exc.code == "overlap":
                overlap.add("edit")
        else:
            messages.success(request, _("The schedule was changed."))
            return redirect("classrooms:schedule", course_id=course.pk)
    return render(
        request,
        "classrooms/series_edit.html",
        {"series": series, "course": course, "form": form, "show_overlap": overlap},
    )


@login_required
@require_POST
def session_action(request, pk, action):
    session, _role = selectors.session_for(request.user, pk, Cap.LIVE_MANAGE)
    back = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = ""
    try:
        if action == "start":
            services.live_session_start(session=session, by=request.user)
            messages.success(request, _("The lesson has started."))
            return redirect("classrooms:live", pk=session.pk)
        if action == "end":
            services.live_session_end(session=session, by=request.user)
            messages.success(request, _("The lesson has ended."))
        elif action == "cancel":
            form = CancelForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            services.live_session_cancel(session=session, by=request.user, reason=reason)
            messages.success(request, _("The lesson was cancelled."))
        else:
            raise Http404
    except ServiceError as exc:
        if isinstance(exc, NotFound):
            raise
        messages.error(request, exc.message)
    return redirect(back or reverse("classrooms:schedule", args=[session.course_id]))


@login_required
def session_move(request, pk):
    session, _role = selectors.session_for(request.user, pk, Cap.LIVE_MANAGE)
    zone = _local_zone(session.course)
    local = session.starts_at.astimezone(zone)
    form = MoveForm(
        request.POST or None,
        initial={
            "date": local.date(),
            "start_time": local.time().replace(second=0, microsecond=0),
            "duration_minutes": session.duration_minutes,
        },
    )
    overlap = set()
    if request.method == "POST" and form.is_valid():
        starts_at, ends_at = form.interval(session.course.effective_time_zone)
        try:
            services.live_session_move(
                session=session,
                by=request.user,
                starts_at=starts_at,
                ends_at=ends_at,
                confirm_overlap=form.cleaned_data["confirm_overlap"],
            )
        except ServiceError as exc:
            if isinstance(exc, NotFound):
                raise
            add_service_error(form, exc)
            if exc.code == "overlap":
                overlap.add("move")
        else:
            messages.success(request, _("The lesson was moved."))
            return redirect("classrooms:schedule", course_id=session.course_id)
    return render(
        request,
        "classrooms/move.html",
        {"session": session, "form": form, "show_overlap": overlap, "zone": str(zone)},
    )


@login_required
@jitsi_csp
def live(request, pk):
    session, role = selectors.session_for(request.user, pk)
    now = timezone.now()
    state = services.join_state(session, now=now)
    join = None
    if state == "open":
        join = services.live_session_join(session=session, by=request.user, now=now)
    config = conf.jitsi()
    room_link = ""
    if join:
        # The same room outside the page (the Jitsi app or a plain tab) when the embed fails.
        room_link = f"https://{join['domain']}/{join['room_path']}"
        if join.get("jwt"):
            room_link += f"?jwt={join['jwt']}"
    return render(
        request,
        "classrooms/live.html",
        {
            "session": session,
            "course": session.course,
            "role": role,
            "state": state,
            "opens_at": services.opens_at(session),
            "join_window": conf.join_window_minutes(),
            "join": join,
            "room_link": room_link,
            "script_timeout": conf.external_api_timeout_seconds(),
            "config": config,
            "is_staff": permissions.may_manage(role),
            "is_moderator": permissions.is_moderator(role),
            "is_observer": permissions.is_observer(role),
            # Attendance (presence reporting, checks, the teacher's roster) joins in here.
            "extras": hooks.collect("live_page_extras", request, session, role) if join else [],
        },
    )


@login_required
def lesson_ics(request, pk):
    session, _role = selectors.session_for(request.user, pk)
    response = HttpResponse(
        ical.calendar_for([session], name=session.course.title),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="lesson-{session.pk}.ics"'
    return response


@login_required
def calendar(request):
    feed = services.calendar_feed_get(user=request.user)
    form = ReminderForm(
        request.POST if request.POST.get("action") == "reminders" else None,
        initial={"email_enabled": selectors.reminders_enabled(request.user)},
    )
    if request.method == "POST":
        if request.POST.get("action") == "rotate":
            services.calendar_feed_rotate(user=request.user)
            messages.success(
                request, _("Your calendar has a new secret address; the old one no longer works.")
            )
            return redirect("classrooms:calendar")
        if form.is_valid():
            services.reminder_preference_set(
                user=request.user, email_enabled=form.cleaned_data["email_enabled"]
            )
            messages.success(request, _("Your reminder settings were saved."))
            return redirect("classrooms:calendar")
    feed_url = request.build_absolute_uri(reverse("classrooms:feed", args=[feed.key]))
    return render(
        request,
        "classrooms/calendar.html",
        {
            "feed": feed,
            "feed_url": feed_url,
            "webcal_url": "webcal://" + feed_url.split("://", 1)[-1],
            "form": form,
            "minutes": conf.reminder_minutes(),
        },
    )


def feed(request, key):
    """The private feed. The secret in the URL is the only credential: calendars cannot log in."""
    found = selectors.feed_by_key(key)
    if found is None:
        raise Http404
    services.calendar_feed_touch(feed=found)
    response = HttpResponse(
        ical.calendar_for(
            selectors.feed_sessions(found.user),
            name="Lophoc",
            extra=hooks.collect("calendar_feed_events", found.user),
        ),
        content_type="text/calendar; charset=utf-8",
    )
    response["Cache-Control"] = "private, max-age=300"
    return response
