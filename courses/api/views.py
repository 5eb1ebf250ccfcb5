from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from courses import roster, selectors, services
from courses.access import CourseCapability, courses_with_role
from courses.models import Course, Enrollment
from courses.selectors import with_counts
from lms.access import Cap
from lms.selectors import school_administered_by

from . import serializers as s


def _choice(request, name: str, values) -> str | None:
    value = request.query_params.get(name) or None
    if value and value not in values:
        raise ValidationError({name: [f"Use one of: {', '.join(values)}."]})
    return value


def read_upload(upload) -> bytes:
    """At most one byte more than the cap, so a 10 MB file is refused without reading it all."""
    return upload.read(roster.MAX_BYTES + 1)


class CourseMixin:
    """Resolves /courses/<pk>/ for the signed-in user before anything else is read (the
    request body included): 404 when they have no role in it, 403 when their role lacks the
    view's `course_cap` (a Cap, or a dict by HTTP method)."""

    permission_classes = [IsAuthenticated, CourseCapability]
    course_cap = Cap.COURSE_VIEW

    def course_queryset(self):
        return with_counts(courses_with_role(self.request.user))

    def get_course(self) -> Course:
        return self.course


@extend_schema(
    parameters=[
        OpenApiParameter("status", enum=Course.Status.values),
        OpenApiParameter("school", description="Only courses of the school with this slug."),
        OpenApiParameter("role", enum=[*Enrollment.Role.values, selectors.SCHOOL_ADMIN]),
    ]
)
class CourseList(generics.ListAPIView):
    """Courses you may see, with your role in each: your enrolments, and every course of the
    schools you administer."""

    serializer_class = s.CourseSerializer

    def get_queryset(self):
        courses = selectors.courses_for_user(
            self.request.user,
            status=_choice(self.request, "status", Course.Status.values),
            role=_choice(self.request, "role", [*Enrollment.Role.values, selectors.SCHOOL_ADMIN]),
        )
        slug = self.request.query_params.get("school")
        if slug:
            courses = courses.filter(school__slug=slug)
        return courses


@extend_schema(
    parameters=[
        OpenApiParameter("status", enum=Course.Status.values),
        OpenApiParameter("q", description="Part of a code or title."),
    ]
)
class SchoolCourseListCreate(generics.ListAPIView):
    """Every course of a school you administer; POST creates one."""

    serializer_class = s.SchoolCourseSerializer

    def get_school(self):
        return school_administered_by(self.request.user, self.kwargs["slug"])

    def get_queryset(self):
        return selectors.school_courses(
            school=self.get_school(),
            status=_choice(self.request, "status", Course.Status.values),
            query=self.request.query_params.get("q", "").strip(),
        )

    @extend_schema(request=s.CourseWriteSerializer, responses={201: s.SchoolCourseSerializer})
    def post(self, request, slug):
        school = self.get_school()
        data = s.CourseWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        course = services.course_create(school=school, by=request.user, **data.validated_data)
        course = selectors.school_courses(school=school).get(pk=course.pk)
        return Response(s.SchoolCourseSerializer(course).data, status=status.HTTP_201_CREATED)


class CourseDetail(CourseMixin, APIView):
    """A course you are a member of, or of a school you administer; PATCH for administrators."""

    course_cap = {"GET": Cap.COURSE_VIEW, "*": Cap.COURSE_EDIT}

    @extend_schema(responses=s.CourseSerializer)
    def get(self, request, pk):
        return Response(s.CourseSerializer(self.get_course()).data)

    @extend_schema(request=s.CourseWriteSerializer, responses=s.CourseSerializer)
    def patch(self, request, pk):
        course = self.get_course()
        data = s.CourseWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.course_update(course=course, by=request.user, **data.validated_data)
        return Response(s.CourseSerializer(selectors.course_for_user(request.user, pk)).data)


class CourseArchive(CourseMixin, APIView):
    course_cap = Cap.COURSE_EDIT

    @extend_schema(request=None, responses=s.CourseSerializer)
    def post(self, request, pk):
        services.course_archive(course=self.get_course(), by=request.user)
        return Response(s.CourseSerializer(selectors.course_for_user(request.user, pk)).data)


@extend_schema(
    parameters=[
        OpenApiParameter("role", enum=Enrollment.Role.values),
        OpenApiParameter("status", enum=Enrollment.Status.values),
        OpenApiParameter("q", description="Part of a name or e-mail address."),
    ]
)
class EnrollmentListCreate(CourseMixin, generics.ListAPIView):
    """The roster of a course you teach or administer (dropped people included, with the
    date); POST adds a member of the school."""

    serializer_class = s.EnrollmentSerializer
    course_cap = {"GET": Cap.ROSTER_READ, "*": Cap.ROSTER_MANAGE}

    def get_queryset(self):
        return selectors.roster_in_name_order(
            selectors.course_roster(
                course=self.get_course(),
                role=_choice(self.request, "role", Enrollment.Role.values),
                status=_choice(self.request, "status", Enrollment.Status.values),
                query=self.request.query_params.get("q", "").strip(),
            )
        )

    @extend_schema(request=s.EnrollmentCreateSerializer, responses={201: s.EnrollmentSerializer})
    def post(self, request, pk):
        course = self.get_course()
        data = s.EnrollmentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        enrollment = services.enrollment_create_by_email(
            course=course, by=request.user, **data.validated_data
        )
        return Response(s.EnrollmentSerializer(enrollment).data, status=status.HTTP_201_CREATED)


class EnrollmentDrop(CourseMixin, APIView):
    """Drop someone from the course. Their history (submissions, attendance) stays."""

    course_cap = Cap.ROSTER_MANAGE

    @extend_schema(request=None, responses=s.EnrollmentSerializer)
    def post(self, request, pk, enrollment_id):
        enrollment = selectors.enrollment_in_course(course=self.get_course(), pk=enrollment_id)
        enrollment = services.enrollment_drop(enrollment=enrollment, by=request.user)
        return Response(s.EnrollmentSerializer(enrollment).data)


class PendingEnrollmentList(CourseMixin, generics.ListAPIView):
    """People invited by a roster import who have not accepted yet."""

    serializer_class = s.PendingEnrollmentSerializer
    course_cap = Cap.ROSTER_READ

    def get_queryset(self):
        return selectors.pending_in_name_order(
            selectors.course_pending_enrollments(course=self.get_course())
        )


class JoinCodeView(CourseMixin, APIView):
    """The course's join code, for its teachers and the school's administrators."""

    course_cap = Cap.ROSTER_MANAGE

    @extend_schema(responses=s.JoinCodeSerializer)
    def get(self, request, pk):
        return Response(s.JoinCodeSerializer(self.get_course()).data)

    @extend_schema(request=s.JoinCodeUpdateSerializer, responses=s.JoinCodeSerializer)
    def patch(self, request, pk):
        data = s.JoinCodeUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        course = services.join_code_update(
            course=self.get_course(), by=request.user, **data.validated_data
        )
        return Response(s.JoinCodeSerializer(course).data)


class JoinCodeRotate(CourseMixin, APIView):
    course_cap = Cap.ROSTER_MANAGE

    @extend_schema(request=None, responses=s.JoinCodeSerializer)
    def post(self, request, pk):
        course = services.join_code_rotate(course=self.get_course(), by=request.user)
        return Response(s.JoinCodeSerializer(course).data)


class JoinByCode(APIView):
    """A student enrols themself in a course of their school with the code their teacher gave.

    Wrong codes answer 404, codes of another school 403, disabled or expired codes 410,
    already enrolled 409, too many wrong codes 429."""

    @extend_schema(
        request=s.JoinSerializer,
        responses={
            201: s.JoinedSerializer,
            403: OpenApiResponse(description="Not a student of the course's school."),
            404: OpenApiResponse(description="No course has this code."),
            409: OpenApiResponse(description="Already in the course."),
            410: OpenApiResponse(description="Code switched off or expired, course closed."),
            429: OpenApiResponse(description="Too many wrong codes; wait."),
        },
    )
    def post(self, request):
        data = s.JoinSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        enrollment = services.enrollment_join_by_code(
            user=request.user, code=data.validated_data["code"]
        )
        course = selectors.course_for_user(request.user, enrollment.course_id)
        return Response(
            s.JoinedSerializer({"course": course, "enrollment": enrollment}).data,
            status=status.HTTP_201_CREATED,
        )


class RosterPreview(CourseMixin, APIView):
    """Read a roster file and say what each row would do. Nothing is enrolled or sent."""

    course_cap = Cap.ROSTER_MANAGE
    parser_classes = [MultiPartParser]

    @extend_schema(request=s.RosterUploadSerializer, responses=s.RosterPreviewSerializer)
    def post(self, request, pk):
        data = s.RosterUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        record, rows = services.roster_import_upload(
            course=self.get_course(),
            data=read_upload(upload),
            filename=upload.name,
            by=request.user,
        )
        return Response(
            {
                "import_id": record.pk,
                "summary": record.summary,
                "rows": [row.as_dict() for row in rows],
            }
        )


class RosterApply(CourseMixin, APIView):
    """Apply a previewed roster (import_id), or read and apply a file in one step."""

    course_cap = Cap.ROSTER_MANAGE
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(request=s.RosterApplySerializer, responses=s.RosterResultSerializer)
    def post(self, request, pk):
        course = self.get_course()
        data = s.RosterApplySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if data.validated_data.get("import_id"):
            record = selectors.roster_import_for(course=course, pk=data.validated_data["import_id"])
        else:
            upload = data.validated_data["file"]
            record, _rows = services.roster_import_upload(
                course=course, data=read_upload(upload), filename=upload.name, by=request.user
            )
        return Response(services.roster_import_apply(upload=record, by=request.user))


@extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR})
class RosterExport(CourseMixin, APIView):
    """The roster as CSV (UTF-8 with a BOM, so Excel shows Vietnamese names correctly)."""

    course_cap = Cap.ROSTER_READ

    def get(self, request, pk):
        return roster_csv_response(self.get_course())


def roster_csv_response(course: Course) -> HttpResponse:
    text = roster.export_csv(
        selectors.roster_in_name_order(selectors.course_roster(course=course)),
        selectors.pending_in_name_order(selectors.course_pending_enrollments(course=course)),
    )
    response = HttpResponse("\ufeff" + text, content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="roster-{course.pk}-{stamp}.csv"'
    return response
