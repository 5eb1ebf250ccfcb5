"""How the apps above lms join in without lms importing them.

An app declares hooks on its AppConfig as lists of dotted paths, for example::

    class CmsConfig(AppConfig):
        hooks = {"school_created": ["cms.services.school_home_page_ensure"]}

and lms calls them with `run("school_created", school=school)`. Hooks run in INSTALLED_APPS
order. Known hook names:

- school_created(school), membership_granted(membership): lms services
- demo_seed(people): `manage.py seed_demo`, after the demo school and people exist
- nav_items(request, schools) -> list of {"label", "url", "active"}: top navigation
- dashboard_panels(request, schools) -> list of {"template", ...}: dashboard sections
- course_created(course), course_updated(course), course_archived(course),
  enrollment_changed(enrollment): courses services; enrollments_changed(enrollments) for
  bulk changes (a roster import), so listeners can work per course rather than per person
- course_page_panels(request, course) -> list of {"template", ...}: the course home page
- next_live_lesson(course) -> [LiveSession] or []: lesson blocks and course pages
- live_session_started(session), live_session_ended(session): classrooms, after commit
- live_page_extras(request, session, role) -> list of {"template", ...}: the live-lesson page
- lesson_assignment(request, course, assignment_id) -> [{"template", ...}] or []: the lesson
  block linking an assignment (cms stores only the id)
- calendar_feed_events(user) -> list of {"uid", "summary", "start", "end"?, "url"?,
  "description"?}: more events for the user's private calendar feed (classrooms), e.g.
  assignment deadlines; "uid" is unique and stable per event
- invitation_courses(invitation) -> list of {"code", "title", "role", "teachers"}: what the
  invitation e-mail says is waiting for the person (courses from a roster import)
"""

from functools import cache

from django.apps import apps
from django.utils.module_loading import import_string


@cache
def functions(name: str) -> tuple:
    found = []
    for config in apps.get_app_configs():
        for path in getattr(config, "hooks", {}).get(name, []):
            found.append(import_string(path))
    return tuple(found)


def run(name: str, **kwargs) -> None:
    for function in functions(name):
        function(**kwargs)


def collect(name: str, *args, **kwargs) -> list:
    """Call every function of a hook and concatenate the lists they return."""
    results: list = []
    for function in functions(name):
        results.extend(function(*args, **kwargs) or [])
    return results
