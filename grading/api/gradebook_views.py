"""The gradebook of a course: the grid, its settings, and CSV/XLSX export and import.

For the course's staff and school administrators (GRADEBOOK_READ; changing the settings needs
GRADES_RELEASE, importing needs GRADE).
"""

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from courses.roster import MAX_BYTES
from lms.memory import collector_paused

from .. import grade_access as access
from ..gradebook import exports
from ..gradebook.selectors import course_gradebook, filter_rows
from ..services import gradebook_import
from . import grade_serializers as s
from .grade_mixins import CourseMixin, _flag
from .gradebook_json import gradebook_json

JSON = "application/json"


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
        course = self.get_course()
        with collector_paused():
            book = _book(request, course)
            body = gradebook_json(book, _settings_data(book))
            # Freed while the collector is paused, so it never walks the 20,000 cells.
            del book
        return HttpResponse(body, content_type=JSON)


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
