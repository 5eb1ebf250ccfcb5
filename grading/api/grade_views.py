"""Grades, rubrics, release, regrades and the gradebook over HTTP: thin over the services.

Students reach only their own released grades; every other endpoint is for the course's staff
(GRADE, GRADES_RELEASE or GRADEBOOK_READ), and a course the asker cannot see answers 404.
"""

from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from courses.roster import MAX_BYTES
from lms.errors import NotFound

from .. import grade_access as access
from ..gradebook import exports
from ..gradebook import grades as reads
from ..gradebook.math import course_total
from ..gradebook.selectors import course_gradebook, filter_rows
from ..models import RegradeRequest
from ..services import gradebook_import, release, rubrics
from ..services.grades import UNSET, GradeConflict, grade_save, grading_options_update
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


# Rubrics


class RubricListCreate(CourseMixin, generics.ListAPIView):
    """The course's rubrics, with criteria and levels. Staff only."""

    cap = access.RUBRICS_MANAGE
    serializer_class = s.RubricSerializer

    def get_queryset(self):
        return reads.course_rubrics(course=self.get_course()).order_by("title", "pk")

    @extend_schema(request=s.RubricInput, responses={201: s.RubricSerializer})
    def post(self, request, course_id):
        course = self.get_course()
        data = s.RubricInput(data=request.data)
        data.is_valid(raise_exception=True)
        rubric = rubrics.rubric_create(by=request.user, course=course, **data.validated_data)
        rubric = reads.rubric_in_course(course=self.get_course(), pk=rubric.pk)
        return Response(s.RubricSerializer(rubric).data, status=status.HTTP_201_CREATED)


class RubricDetail(CourseMixin, APIView):
    cap = access.RUBRICS_MANAGE

    def get_rubric(self):
        return reads.rubric_in_course(course=self.get_course(), pk=self.kwargs["pk"])

    @extend_schema(responses=s.RubricSerializer)
    def get(self, request, course_id, pk):
        return Response(s.RubricSerializer(self.get_rubric()).data)

    @extend_schema(request=s.RubricPatch, responses=s.RubricSerializer)
    def patch(self, request, course_id, pk):
        rubric = self.get_rubric()
        data = s.RubricPatch(data=request.data)
        data.is_valid(raise_exception=True)
        rubrics.rubric_update(by=request.user, rubric=rubric, **data.validated_data)
        return Response(s.RubricSerializer(self.get_rubric()).data)

    @extend_schema(responses={204: None})
    def delete(self, request, course_id, pk):
        rubrics.rubric_delete(by=request.user, rubric=self.get_rubric())
        return Response(status=status.HTTP_204_NO_CONTENT)


# Grading one assignment


class GradingOptions(AssignmentMixin, APIView):
    """The assignment's rubric and extra-credit switch."""

    @extend_schema(responses=s.GradingOptionsSerializer)
    def get(self, request, assignment_id):
        from ..services.grades import grading_options

        return Response(s.GradingOptionsSerializer(grading_options(self.get_assignment())).data)

    @extend_schema(request=s.GradingOptionsSerializer, responses=s.GradingOptionsSerializer)
    def patch(self, request, assignment_id):
        assignment = self.get_assignment()
        data = s.GradingOptionsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        rubric = UNSET
        if "rubric_id" in values:
            rubric = values["rubric_id"] and reads.rubric_in_course(
                course=assignment.course, pk=values["rubric_id"]
            )
        options = grading_options_update(
            by=request.user,
            assignment=assignment,
            rubric=rubric or (None if rubric is not UNSET else UNSET),
            extra_credit=values.get("extra_credit", UNSET),
        )
        return Response(s.GradingOptionsSerializer(options).data)


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


# The gradebook


def _settings_data(book) -> dict:
    return {
        "weighting": book.settings.weighting,
        "scale": book.settings.scale,
        "missing_counts_zero": book.settings.missing_counts_zero,
        "attendance_weight": book.settings.attendance_weight,
        "categories": [
            {"id": c.pk, "name": c.name, "weight": c.weight, "drop_lowest": c.drop_lowest}
            for c in book.categories
        ],
    }


def _book(request, course):
    book = course_gradebook(course=course, category=request.GET.get("category") or None)
    return filter_rows(book, missing=_flag(request, "missing"), late=_flag(request, "late"))


@extend_schema(
    parameters=[
        OpenApiParameter("category", str),
        OpenApiParameter("missing", OpenApiTypes.BOOL),
        OpenApiParameter("late", OpenApiTypes.BOOL),
    ]
)
class GradebookView(CourseMixin, APIView):
    """Students × published assignments with totals (staff and school administrators)."""

    @extend_schema(responses=s.GradebookSerializer)
    def get(self, request, course_id):
        return Response(gradebook_payload(_book(request, self.get_course())))


def _number(value) -> str | None:
    return None if value is None else str(value)


def gradebook_payload(book) -> dict:
    """What GradebookSerializer documents, built directly: 20,000 cells through DRF's field
    machinery cost more than the whole query."""
    settings = _settings_data(book)
    settings["attendance_weight"] = _number(settings["attendance_weight"])
    for category in settings["categories"]:
        category["weight"] = _number(category["weight"])
    return {
        "course": book.course.pk,
        "settings": settings,
        "attendance_column": book.attendance_column,
        "columns": [
            {
                "id": c.id,
                "title": c.title,
                "points": _number(c.points),
                "category": c.category,
                "due_at": c.due_at.isoformat().replace("+00:00", "Z"),
                "released": c.released,
            }
            for c in book.columns
        ],
        "rows": [
            {
                "student_id": r.student_id,
                "full_name": r.full_name,
                "email": r.email,
                "cells": [
                    {
                        "score": _number(c.score),
                        "excused": c.excused,
                        "released": c.released,
                        "version": c.version,
                        "submitted": c.submitted,
                        "late": c.late,
                        "missing": c.missing,
                    }
                    for c in r.cells
                ],
                "total": {
                    "percent": _number(r.total.percent),
                    "ten": _number(r.total.ten),
                    "dropped": r.total.dropped,
                },
                "display": r.display,
                "attendance_rate": None
                if r.attendance_rate is None
                else str(r.attendance_rate.quantize(Decimal("0.0001"))),
            }
            for r in book.rows
        ],
    }


class GradebookSettingsView(CourseMixin, APIView):
    """How the course adds grades up; teachers change it (categories replaced as a whole)."""

    @extend_schema(responses=s.GradebookSettingsSerializer)
    def get(self, request, course_id):
        book = course_gradebook(course=self.get_course(), student_ids=[])
        return Response(s.GradebookSettingsSerializer(_settings_data(book)).data)

    @extend_schema(request=s.GradebookSettingsSerializer, responses=s.GradebookSettingsSerializer)
    def put(self, request, course_id):
        from ..services.settings import gradebook_settings_update

        course = self.get_course()
        access.require(request.user, course, access.GRADES_RELEASE)
        data = s.GradebookSettingsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        gradebook_settings_update(by=request.user, course=course, **data.validated_data)
        book = course_gradebook(course=course, student_ids=[])
        return Response(s.GradebookSettingsSerializer(_settings_data(book)).data)


@extend_schema(
    parameters=[
        OpenApiParameter("as", enum=["csv", "xlsx"]),
        OpenApiParameter("category", str),
    ],
    responses={
        (200, "text/csv"): OpenApiTypes.STR,
        (
            200,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ): OpenApiTypes.BINARY,
    },
)
class GradebookExport(CourseMixin, APIView):
    """The gradebook as CSV or XLSX: names sorted Vietnamese-style, formulas neutralised."""

    def get(self, request, course_id):
        return gradebook_file(self.get_course(), request)


def gradebook_file(course, request) -> HttpResponse:
    book = _book(request, course)
    stamp = timezone.localdate().isoformat()
    if request.GET.get("as") == "xlsx":
        response = HttpResponse(
            exports.export_xlsx(book),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = f"gradebook-{course.pk}-{stamp}.xlsx"
    else:
        response = HttpResponse(
            "\ufeff" + exports.export_csv(book), content_type="text/csv; charset=utf-8"
        )
        name = f"gradebook-{course.pk}-{stamp}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class GradebookImportPreview(CourseMixin, APIView):
    """Read a scores file and say what each row would change. Nothing is saved."""

    cap = access.GRADE
    parser_classes = [MultiPartParser]

    @extend_schema(request=s.ImportUploadSerializer, responses=s.ImportResultSerializer)
    def post(self, request, course_id):
        course = self.get_course()
        data = s.ImportUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = gradebook_import.import_preview(
            by=request.user,
            course=course,
            data=data.validated_data["file"].read(MAX_BYTES + 1),
            reason=data.validated_data.get("reason", ""),
        )
        return Response(s.ImportResultSerializer(result).data)


class GradebookImportApply(GradebookImportPreview):
    """Apply a scores file: every change or, while any row has an error, none."""

    @extend_schema(request=s.ImportUploadSerializer, responses=s.ImportResultSerializer)
    def post(self, request, course_id):
        course = self.get_course()
        data = s.ImportUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = gradebook_import.import_apply(
            by=request.user,
            course=course,
            data=data.validated_data["file"].read(MAX_BYTES + 1),
            reason=data.validated_data.get("reason", ""),
        )
        return Response(s.ImportResultSerializer(result).data)


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
