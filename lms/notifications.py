"""The in-app inbox every app notifies through (and the e-mail that goes with a message).

`notify` claims the message by its unique key first: a second call with the same key, from a
retried task or a racing worker, does nothing. The e-mail is queued only after the claim has
committed, so a rolled-back action never sends anything. Callers render `title` and `body` in
the recipient's language (`translation.override(user.preferred_language)`).
"""

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from .models import Notification, User


def notify(
    *,
    user: User | None,
    kind: str,
    key: str,
    title: str,
    body: str,
    url: str = "",
    email: bool = True,
    address: str = "",
    language: str = "",
    ref: str = "",
) -> Notification | None:
    """Put a message in `user`'s inbox and e-mail it on commit. None when `key` was used.

    `address` sends to someone without an account (a guardian); with a user it replaces the
    user's own address.
    """
    to = address or (user.email if user is not None and email else "")
    notification = Notification(
        key=key[:200],
        kind=kind[:40],
        user=user,
        email=to if email else "",
        language=language or (user.preferred_language if user is not None else ""),
        title=" ".join(title.split())[:300],
        body=body,
        url=url[:300],
        ref=ref[:100],
    )
    try:
        with transaction.atomic():
            notification.save()
    except IntegrityError:
        if Notification.objects.filter(key=notification.key).exists():
            return None
        raise
    if notification.email:
        from .tasks import send_notification_email

        send_notification_email.delay_on_commit(notification.pk)
    return notification


def inbox(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


def unread_count(user: User) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


@transaction.atomic
def mark_read(*, user: User, ids=None) -> int:
    """Mark the user's messages read (all of them without ids); others' ids are ignored."""
    rows = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=timezone.now())
