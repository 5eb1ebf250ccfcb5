"""Plain JSON shapes of attendance objects, shared by the API views."""

from ..models import MarkStatus


def _iso(value):
    return value.isoformat() if value else None


def user_data(user) -> dict:
    return {"id": user.pk, "name": user.full_name, "email": user.email}


def interval_data(interval) -> dict:
    return {
        "from": _iso(interval.started_at),
        "until": _iso(interval.ended_at),
        "open": interval.is_open,
        "source": interval.source,
        "connections": interval.connections,
    }


def mark_data(mark) -> dict:
    return {
        "id": mark.pk,
        "session": mark.session_id,
        "course": mark.course_id,
        "user": mark.user_id,
        "status": mark.status,
        "status_label": str(dict(MarkStatus.choices).get(mark.status, "")),
        "computed_status": mark.computed_status,
        "override_status": mark.override_status or None,
        "override_reason": mark.override_reason,
        "overridden_by": mark.overridden_by_id,
        "overridden_at": _iso(mark.overridden_at),
        "attended_seconds": mark.attended_seconds,
        "scheduled_seconds": mark.scheduled_seconds,
        "share": round(mark.share, 4),
        "first_join_at": _iso(mark.first_join_at),
        "last_leave_at": _iso(mark.last_leave_at),
        "checks_asked": mark.checks_asked,
        "checks_answered": mark.checks_answered,
        "flags": list(mark.flags),
        "evidence_source": mark.evidence_source,
        "is_final": mark.is_final,
        "computed_at": _iso(mark.computed_at),
    }


def change_data(change) -> dict:
    return {
        "action": change.action,
        "from": change.from_status or None,
        "to": change.to_status,
        "reason": change.reason,
        "by": change.changed_by_id,
        "at": _iso(change.changed_at),
    }


def dispute_data(dispute) -> dict:
    return {
        "id": dispute.pk,
        "mark": dispute.mark_id,
        "student": dispute.student_id,
        "message": dispute.message,
        "requested_status": dispute.requested_status or None,
        "status": dispute.status,
        "reply": dispute.reply,
        "resolved_by": dispute.resolved_by_id,
        "resolved_at": _iso(dispute.resolved_at),
        "created_at": _iso(dispute.created_at),
    }


def prompt_data(prompt) -> dict | None:
    if prompt is None:
        return None
    return {
        "id": prompt.pk,
        "deadline_at": _iso(prompt.deadline_at),
        "answered_at": _iso(prompt.answered_at),
    }


def rate(value) -> float | None:
    return None if value is None else round(value, 4)
