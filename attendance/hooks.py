"""What attendance does when classrooms says a lesson started or ended (after commit)."""

from django.db import transaction

from . import services, tasks


def live_session_started(session) -> None:
    services.session_started(session=session)


def live_session_ended(session) -> None:
    # The marks are computed by a worker; in tests (eager) and the embedded setup right away.
    session_id = session.pk
    transaction.on_commit(lambda: tasks.session_marks_compute.delay(session_id))
