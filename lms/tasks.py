from celery import shared_task
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from . import hooks
from .mail import send_templated_mail
from .models import Invitation, School


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_invitation_email(invitation_id: int) -> None:
    from .services import invitation_secret

    invitation = (
        Invitation.objects.select_related("school", "invited_by").filter(pk=invitation_id).first()
    )
    if invitation is None or invitation.accepted_at or invitation.revoked_at:
        return
    language = invitation.school.default_language
    with translation.override(language):
        # Rendered in the recipient's language: course roles are translated words.
        courses = hooks.collect("invitation_courses", invitation)
    send_templated_mail(
        template="lms/email/invitation",
        to=invitation.email,
        language=language,
        context={
            "invitation": invitation,
            "inviter": invitation.invited_by.full_name if invitation.invited_by else "",
            "courses": courses,
            "link": settings.SITE_URL
            + reverse("invitation_accept", args=[invitation_secret(invitation)]),
        },
    )


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_signup_email(school_id: int, email: str, pending_id: int | None) -> None:
    """The confirmation link of a pending sign-up; with no pending sign-up (the address has an
    account already), a note saying so, so the sign-up form itself never tells."""
    from .models import PendingSignup
    from .services import signup_secret

    school = School.objects.get(pk=school_id)
    if pending_id is None:
        send_templated_mail(
            template="lms/email/signup_exists",
            to=email,
            language=school.default_language,
            context={"school": school, "link": settings.SITE_URL + reverse("login")},
        )
        return
    pending = PendingSignup.objects.filter(pk=pending_id, used_at__isnull=True).first()
    if pending is None:
        return
    send_templated_mail(
        template="lms/email/signup",
        to=pending.email,
        language=school.default_language,
        context={
            "school": school,
            "link": settings.SITE_URL + reverse("signup_confirm", args=[signup_secret(pending)]),
        },
    )


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification_email(notification_id: int) -> None:
    from .mail import send_text_mail
    from .models import Notification

    notification = Notification.objects.filter(pk=notification_id).first()
    if notification is None or not notification.email:
        return
    send_text_mail(subject=notification.title, body=notification.body, to=notification.email)
