from celery import shared_task
from django.conf import settings
from django.urls import reverse

from .mail import send_templated_mail
from .models import Invitation, School


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_invitation_email(invitation_id: int, raw_token: str) -> None:
    invitation = (
        Invitation.objects.select_related("school", "invited_by").filter(pk=invitation_id).first()
    )
    if invitation is None or invitation.accepted_at or invitation.revoked_at:
        return
    send_templated_mail(
        template="lms/email/invitation",
        to=invitation.email,
        language=invitation.school.default_language,
        context={
            "invitation": invitation,
            "link": settings.SITE_URL + reverse("invitation_accept", args=[raw_token]),
        },
    )


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_signup_email(school_id: int, email: str, token: str) -> None:
    school = School.objects.get(pk=school_id)
    send_templated_mail(
        template="lms/email/signup",
        to=email,
        language=school.default_language,
        context={
            "school": school,
            "link": settings.SITE_URL + reverse("signup_confirm", args=[token]),
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
