"""Alerts: absence alerts after the register is reviewed, chronic absence to the school's
administrators. Each goes through the lms inbox, claimed by a unique key (sent once).

Fair timing (DESIGN.md): a lesson's absence alerts wait until the teacher confirms the register
or the review period (ATTENDANCE_ALERT_REVIEW_HOURS, default 12) has passed since the final
marks, and then go out for the marks as they are at that moment: a mark excused or recomputed
meanwhile sends nothing.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation

from lms import notifications
from lms.mail import render_text
from lms.models import Role, School, User

from .. import conf, rules
from ..models import AttendanceMark, ChronicAbsence, LessonRegister


def render(template: str, language: str, context: dict) -> tuple[str, str]:
    with translation.override(language):
        subject = " ".join(render_text(f"{template}_subject.txt", context).split())
        body = render_text(f"{template}.txt", context)
    return subject, body


def site_url(path: str) -> str:
    return getattr(settings, "SITE_URL", "").rstrip("/") + path


def _send(*, key, kind, template, context, language, user=None, address="", url="", ref=""):
    title, body = render(template, language, context)
    return notifications.notify(
        user=user,
        kind=kind,
        key=key,
        title=title,
        body=body,
        url=url,
        address=address,
        language=language,
        ref=ref,
    )


def absence_alert_send(*, mark: AttendanceMark) -> int:
    """To the student, and to the guardian's address when there is one. Once per mark."""
    if not mark.is_final or mark.status not in rules.ALERT_STATUSES:
        return 0
    student, session = mark.user, mark.session
    path = reverse("attendance:mark", args=[mark.pk])
    context = {
        "student": student,
        "session": session,
        "course": session.course,
        "mark": mark,
        "status": mark.status,
        "url": site_url(path),
    }
    ref = f"attendance.mark:{mark.pk}"
    sent = 0
    if _send(
        key=f"absence:{mark.pk}:user:{student.pk}",
        kind="absence",
        template="attendance/email/absence",
        context={**context, "for_guardian": False},
        language=student.preferred_language,
        user=student,
        url=path,
        ref=ref,
    ):
        sent += 1
    if student.guardian_email and _send(
        key=f"absence:{mark.pk}:guardian",
        kind="absence",
        template="attendance/email/absence",
        context={**context, "for_guardian": True},
        language=session.course.school.default_language,
        address=student.guardian_email,
        ref=ref,
    ):
        sent += 1
    return sent


def alerts_schedule(*, session_id: int) -> None:
    from .. import tasks

    transaction.on_commit(lambda: tasks.session_alerts_send.delay(session_id))


def absence_alert_after_change(*, mark: AttendanceMark) -> None:
    """A staff change after the lesson's alerts went out is a decision: alert it at once.
    Before that, the register's alerts will read the mark as it then is."""
    if not mark.is_final or mark.status not in rules.ALERT_STATUSES:
        return
    sent = LessonRegister.objects.filter(
        session_id=mark.session_id, alerts_sent_at__isnull=False
    ).exists()
    if sent:
        mark_id = mark.pk
        transaction.on_commit(lambda: _absence_alert_by_id(mark_id))


def _absence_alert_by_id(mark_id: int) -> None:
    mark = (
        AttendanceMark.objects.select_related("user", "session__course__school")
        .filter(pk=mark_id)
        .first()
    )
    if mark is not None:
        absence_alert_send(mark=mark)


def alerts_due(now: datetime | None = None):
    """Registers whose alerts may go out: confirmed, or past the review period."""
    now = now or timezone.now()
    review_until = now - timedelta(hours=conf.alert_review_hours())
    return LessonRegister.objects.filter(alerts_sent_at__isnull=True).filter(
        Q(confirmed_at__isnull=False) | Q(final_at__lte=review_until)
    )


def session_alerts_send(*, session_id: int, now: datetime | None = None) -> int:
    """Send a lesson's absence alerts if its register is due, once (the register row is the
    claim), then check the students for chronic absence."""
    now = now or timezone.now()
    with transaction.atomic():
        register = (
            alerts_due(now)
            .select_for_update(skip_locked=True)
            .filter(session_id=session_id)
            .first()
        )
        if register is None:
            return 0
        register.alerts_sent_at = now
        register.save(update_fields=["alerts_sent_at"])
        marks = list(
            AttendanceMark.objects.filter(session_id=session_id, is_final=True).select_related(
                "user", "session__course__school"
            )
        )
        sent = sum(absence_alert_send(mark=m) for m in marks if m.status in rules.ALERT_STATUSES)
        if marks:
            school = marks[0].session.course.school
            sent += chronic_absence_evaluate(
                school=school, user_ids=[m.user_id for m in marks], now=now
            )
    return sent


def alerts_send_due(*, now: datetime | None = None, limit: int = 100) -> int:
    """The periodic job: every register past its review period sends its alerts."""
    now = now or timezone.now()
    ids = list(alerts_due(now).order_by("final_at").values_list("session_id", flat=True)[:limit])
    return sum(session_alerts_send(session_id=i, now=now) for i in ids)


def school_rates(*, school: School, user_ids, now: datetime, weeks: int) -> dict[int, tuple]:
    """{user_id: (counted, credited)} over the school's lessons of the last `weeks` weeks."""
    since = now - timedelta(weeks=weeks)
    rows = (
        AttendanceMark.objects.filter(
            course__school=school,
            user_id__in=list(user_ids),
            is_final=True,
            session__starts_at__gte=since,
        )
        .values("user_id")
        .annotate(counted=rules.counted_expression(), credited=rules.credit_expression())
    )
    return {r["user_id"]: (r["counted"], float(r["credited"] or 0)) for r in rows}


def chronic_absence_evaluate(*, school: School, user_ids, now: datetime | None = None) -> int:
    """Alert the school's administrators when a student falls under the threshold (once per
    crossing; going back above re-arms the alert)."""
    now = now or timezone.now()
    threshold, weeks = conf.chronic_threshold(), conf.chronic_weeks()
    user_ids = list(user_ids)
    rates = school_rates(school=school, user_ids=user_ids, now=now, weeks=weeks)
    states = {
        s.user_id: s for s in ChronicAbsence.objects.filter(school=school, user_id__in=user_ids)
    }
    admins = None
    sent = 0
    for user_id in user_ids:
        counted, credited = rates.get(user_id, (0, 0.0))
        if counted < conf.chronic_min_lessons():
            continue
        rate = rules.rate(counted, credited)
        state = states.get(user_id) or ChronicAbsence(school=school, user_id=user_id)
        state.last_rate = rate
        below = rate * 100 < threshold
        crossed = below and not state.is_below
        if crossed:
            state.crossings += 1
        state.is_below = below
        state.save()
        if not crossed:
            continue
        if admins is None:
            admins = list(
                User.objects.filter(
                    memberships__school=school, memberships__role=Role.ADMIN, is_active=True
                ).distinct()
            )
        student = User.objects.get(pk=user_id)
        path = reverse("attendance:school", args=[school.slug])
        for admin in admins:
            if _send(
                key=f"chronic:{school.pk}:{user_id}:{state.crossings}:{admin.pk}",
                kind="chronic",
                template="attendance/email/chronic",
                context={
                    "student": student,
                    "school": school,
                    "rate": round(rate * 100),
                    "threshold": threshold,
                    "weeks": weeks,
                    "url": site_url(path),
                },
                language=admin.preferred_language,
                user=admin,
                url=path,
                ref=f"lms.user:{user_id}",
            ):
                sent += 1
    return sent
