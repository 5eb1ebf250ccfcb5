"""Grades, release and regrades over HTTP: thin over the services.

Students reach only their own released grades; every other endpoint is for the course's staff
(GRADE or GRADES_RELEASE), and a course the asker cannot see answers 404. Rubrics live in
`rubric_views`, the gradebook in `gradebook_views`; their names are re-exported here so older
imports keep working.
"""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from lms.errors import NotFound

from .. import grade_access as access
from ..gradebook import grades as reads
from ..gradebook.math import course_total
from ..gradebook.selectors import course_gradebook
from ..models import RegradeRequest
from ..services import release
from ..services.grades import GradeConflict, grade_save
from . import grade_serializers as s
from .grade_mixins import AssignmentMixin, CourseMixin, _flag, conflict_response
from .gradebook_views import (
    GradebookExport,
    GradebookImportApply,
    GradebookImportPreview,
    GradebookSettingsView,
    GradebookView,
    gradebook_file,
)
from .rubric_views import GradingOptions, RubricDetail, RubricListCreate

__all__ = [
    "AssignmentMixin",
    "AssignmentRelease",
    "CourseMixin",
    "FeedbackFileDownload",
    "GradeDetail",
    "GradeRelease",
    "GradebookExport",
    "GradebookImportApply",
    "GradebookImportPreview",
    "GradebookSettingsView",
    "GradebookView",
    "GradingOptions",
    "GradingQueue",
    "MyCourseGrades",
    "MyGrades",
    "RegradeAnswer",
    "RegradeCreate",
    "RegradeList",
    "RubricDetail",
    "RubricListCreate",
    "conflict_response",
    "gradebook_file",
]


# Grading one assignment


@extend_schema(parameters=[OpenApiParameter("needs_grading", OpenApiTypes.BOOL)])
class GradingQueue(AssignmentMixin, generics.ListAPIView):
    """Every student of the course with their latest attempt and grade, sorted by name."""

    serializer_class = s.QueueEntrySerializer
    pagination_class = None

    def get_queryset(self):
        return reads.assignment_queue(
            assignment=self.get_assignment(), needs_grading=_flag(self.request, "needs_grading")
        )


class GradeDetail(AssignmentMixin, APIView):
    """One student's grade on the assignment, with its history; PUT saves it (with the version
    last read; a stale version answers 409 with the stored grade)."""

    @extend_schema(responses={200: s.GradeDetailSerializer, 204: None})
    def get(self, request, assignment_id, student_id):
        grade = reads.grade_of(assignment=self.get_assignment(), student_id=student_id)
        if grade is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(s.GradeDetailSerializer(grade).data)

    @extend_schema(
        request=s.GradeInput,
        responses={200: s.GradeDetailSerializer, 409: s.ConflictSerializer},
    )
    def put(self, request, assignment_id, student_id):
        assignment = self.get_assignment()
        data = s.GradeInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        version = values.pop("version")
        reason = values.pop("reason", "")
        if "score" in values and values["score"] in ("", None):
            values["score"] = None
        elif "score" in values:
            from lms.errors import ServiceError

            from ..gradebook.math import ScoreError, parse_score

            try:
                values["score"] = parse_score(values["score"])
            except ScoreError:
                raise ServiceError(
                    _("The score must be a number."), code="not_a_number", field="score"
                ) from None
        try:
            grade_save(
                by=request.user,
                assignment=assignment,
                student_id=student_id,
                version=version,
                reason=reason,
                **values,
            )
        except GradeConflict as exc:
            return conflict_response(exc)
        grade = reads.grade_of(assignment=assignment, student_id=student_id)
        return Response(s.GradeDetailSerializer(grade).data)


class AssignmentRelease(AssignmentMixin, APIView):
    """Release every graded grade of the assignment now, or schedule it with `at`."""

    cap = access.GRADES_RELEASE

    @extend_schema(request=s.ReleaseInput, responses=s.ReleaseResult)
    def post(self, request, assignment_id):
        assignment = self.get_assignment()
        data = s.ReleaseInput(data=request.data)
        data.is_valid(raise_exception=True)
        result = release.assignment_release(
            by=request.user, assignment=assignment, at=data.validated_data.get("at")
        )
        return Response(s.ReleaseResult(result).data)


class GradeRelease(AssignmentMixin, APIView):
    """Release one student's grade."""

    cap = access.GRADES_RELEASE

    @extend_schema(request=None, responses=s.GradeSerializer)
    def post(self, request, assignment_id, student_id):
        grade = reads.grade_of(assignment=self.get_assignment(), student_id=student_id)
        if grade is None:
            raise NotFound()
        return Response(s.GradeSerializer(release.grade_release(by=request.user, grade=grade)).data)


# Students


class MyCourseGrades(CourseMixin, APIView):
    """The signed-in student's released grades in the course and the total they add up to."""

    cap = access.OWN_GRADES

    @extend_schema(responses=s.MyCourseGradesSerializer)
    def get(self, request, course_id):
        course = self.get_course()
        book = course_gradebook(course=course, student_ids=[request.user.pk], released_only=True)
        row = book.rows[0] if book.rows else None
        grades = list(reads.released_grades(student=request.user, course=course))
        total = row.total if row else course_total([])
        return Response(
            s.MyCourseGradesSerializer(
                {"total": total, "display": row.display if row else "", "grades": grades}
            ).data
        )


class MyGrades(generics.ListAPIView):
    """The signed-in user's released grades in every course, newest first."""

    serializer_class = s.StudentGradeSerializer

    def get_queryset(self):
        return reads.released_grades(student=self.request.user)


class RegradeCreate(APIView):
    """Ask for a released grade of yours to be looked at again."""

    @extend_schema(request=s.RegradeInput, responses={201: s.RegradeSerializer})
    def post(self, request, grade_id):
        grade = reads.released_grade_for(student=request.user, pk=grade_id)
        data = s.RegradeInput(data=request.data)
        data.is_valid(raise_exception=True)
        created = release.regrade_request_create(
            by=request.user, grade=grade, reason=data.validated_data["reason"]
        )
        return Response(s.RegradeSerializer(created).data, status=status.HTTP_201_CREATED)


@extend_schema(parameters=[OpenApiParameter("status", enum=RegradeRequest.Status.values)])
class RegradeList(CourseMixin, generics.ListAPIView):
    """Regrade requests of the course (staff)."""

    cap = access.GRADE
    serializer_class = s.RegradeSerializer

    def get_queryset(self):
        wanted = self.request.query_params.get("status")
        if wanted not in RegradeRequest.Status.values:
            wanted = None
        return reads.course_regrade_requests(course=self.get_course(), status=wanted)


class RegradeAnswer(CourseMixin, APIView):
    cap = access.GRADE

    @extend_schema(
        request=s.RegradeAnswerInput,
        responses={200: s.RegradeSerializer, 409: OpenApiResponse(s.ConflictSerializer)},
    )
    def post(self, request, course_id, pk):
        found = reads.regrade_request_in_course(course=self.get_course(), pk=pk)
        data = s.RegradeAnswerInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            answered = release.regrade_request_answer(
                by=request.user, request=found, **data.validated_data
            )
        except GradeConflict as exc:
            return conflict_response(exc)
        return Response(s.RegradeSerializer(answered).data)


class FeedbackFileDownload(APIView):
    """A short-lived link to a feedback file: for the student once the grade is released, and
    for the course's staff."""

    @extend_schema(responses=s.FeedbackDownloadSerializer)
    def get(self, request, grade_id, file_id):
        from media.services import download_url

        stored = reads.feedback_file_for(by=request.user, grade_id=grade_id, file_id=file_id)
        return Response({"url": download_url(file=stored)})
