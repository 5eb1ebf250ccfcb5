from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from .models import RosterImport

# Previewed files nobody applied hold personal data; they are kept only this long.
UNAPPLIED_UPLOAD_TTL = timedelta(days=2)


@shared_task
def roster_uploads_prune() -> int:
    """Delete roster files that were previewed but never applied. Idempotent."""
    cutoff = timezone.now() - UNAPPLIED_UPLOAD_TTL
    deleted, _detail = RosterImport.objects.filter(
        applied_at__isnull=True, created_at__lt=cutoff
    ).delete()
    return deleted
