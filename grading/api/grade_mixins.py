"""What every grading endpoint shares: the course or assignment it acts on, checked once per
request, and the answer to a stale save."""

from rest_framework import status
from rest_framework.response import Response

from .. import grade_access as access
from ..gradebook import grades as reads
from ..services.grades import GradeConflict
from . import grade_serializers as s


def _flag(request, name: str) -> bool:
    return request.GET.get(name, "").lower() in ("1", "true", "yes")


class CourseMixin:
    cap: str = access.GRADEBOOK_READ

    def get_course(self):
        if not hasattr(self, "_course"):
            self._course = access.course_for(self.request.user, self.kwargs["course_id"], self.cap)
        return self._course


class AssignmentMixin:
    cap: str = access.GRADE

    def get_assignment(self):
        if not hasattr(self, "_assignment"):
            self._assignment = reads.assignment_for(
                self.request.user, self.kwargs["assignment_id"], self.cap
            )
        return self._assignment


def conflict_response(exc: GradeConflict) -> Response:
    return Response(
        {
            "detail": str(exc.message),
            "code": exc.code,
            "fields": {"version": [str(exc.message)]},
            "current": s.GradeSerializer(exc.current).data,
            "yours": exc.yours,
        },
        status=status.HTTP_409_CONFLICT,
    )
