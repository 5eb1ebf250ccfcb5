from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from lms.errors import Forbidden, NotFound

from .. import selectors, services
from ..models import LessonProgress
from . import serializers as s

COURSE_ID = OpenApiParameter("course_id", int, OpenApiParameter.PATH)
LESSON_ID = OpenApiParameter("lesson_id", int, OpenApiParameter.PATH)


def _lesson_item(lesson, modules: dict) -> dict:
    module = modules[lesson.module_id]
    return {
        "id": lesson.id,
        "title": lesson.title,
        "summary": lesson.summary,
        "url": lesson.url,
        "position": lesson.position,
        "module": {"id": module.id, "title": module.title},
        "done": lesson.done,
        "completed_at": lesson.completed_at,
    }


@extend_schema(parameters=[COURSE_ID])
class CourseLessonList(generics.ListAPIView):
    """Published lessons of a course you are in (or administer), in order, with your done marks."""

    serializer_class = s.LessonListItemSerializer

    def get_queryset(self):
        _course, page, _access = selectors.course_readable_by(
            user=self.request.user, course_id=self.kwargs["course_id"]
        )
        outline = selectors.course_outline(course_page=page, user=self.request.user)
        modules = {module.id: module for module in outline.modules}
        return [_lesson_item(lesson, modules) for lesson in outline.lessons]


@extend_schema(parameters=[LESSON_ID])
class LessonDetail(APIView):
    """One published lesson, rendered, if you may read it."""

    @extend_schema(responses=s.LessonDetailSerializer)
    def get(self, request, lesson_id: int):
        lesson, _access = selectors.lesson_readable_by(user=request.user, lesson_id=lesson_id)
        course_page = lesson.course_page
        outline = selectors.course_outline(course_page=course_page, user=request.user)
        entry = outline.lesson(lesson.id)
        if entry is None:
            raise NotFound()
        before, after = outline.neighbours(lesson.id)
        modules = {module.id: module for module in outline.modules}
        body = lesson.body.render_as_block(
            context={"page": lesson, "course": course_page.course, "request": request}
        )
        data = _lesson_item(entry, modules) | {
            "course_id": course_page.course_id,
            "reading_minutes": lesson.reading_minutes,
            "body_html": str(body),
            "previous_id": before.id if before else None,
            "next_id": after.id if after else None,
            "last_published_at": lesson.last_published_at,
        }
        return Response(s.LessonDetailSerializer(data).data)


@extend_schema(parameters=[LESSON_ID])
class LessonProgressView(APIView):
    """Mark a lesson of your course done (POST) or not done (DELETE)."""

    @extend_schema(request=s.LessonProgressMarkSerializer, responses=s.LessonProgressSerializer)
    def post(self, request, lesson_id: int):
        data = s.LessonProgressMarkSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        lesson, _access = selectors.lesson_readable_by(user=request.user, lesson_id=lesson_id)
        progress = services.lesson_progress_mark(
            user=request.user,
            lesson=lesson,
            source=data.validated_data.get("source") or LessonProgress.Source.API,
        )
        body = {"lesson": lesson.id, "done": True, "completed_at": progress.completed_at}
        return Response(s.LessonProgressSerializer(body).data, status=status.HTTP_200_OK)

    @extend_schema(responses=s.LessonProgressSerializer)
    def delete(self, request, lesson_id: int):
        lesson, _access = selectors.lesson_readable_by(user=request.user, lesson_id=lesson_id)
        services.lesson_progress_undo(user=request.user, lesson=lesson)
        body = {"lesson": lesson.id, "done": False, "completed_at": None}
        return Response(s.LessonProgressSerializer(body).data)


@extend_schema(parameters=[COURSE_ID])
class MyCourseProgress(APIView):
    """Your progress through a course: finished lessons out of the published ones."""

    @extend_schema(responses=s.CourseProgressSerializer)
    def get(self, request, course_id: int):
        course, page, _access = selectors.course_readable_by(user=request.user, course_id=course_id)
        progress = selectors.course_progress(
            selectors.course_outline(course_page=page, user=request.user)
        )
        body = {
            "course": course.id,
            "done": progress.done,
            "total": progress.total,
            "percent": progress.percent,
        }
        return Response(s.CourseProgressSerializer(body).data)


@extend_schema(parameters=[COURSE_ID])
class StudentProgressList(generics.ListAPIView):
    """Every active student's progress through a course: for its teachers and school admins."""

    serializer_class = s.StudentProgressSerializer

    def get_queryset(self):
        course, page, access = selectors.course_readable_by(
            user=self.request.user, course_id=self.kwargs["course_id"]
        )
        if not access.staff:
            raise Forbidden()
        report = selectors.course_progress_report(course=course, course_page=page)
        return [
            {
                "user": {
                    "id": row.user.id,
                    "full_name": row.user.full_name,
                    "email": row.user.email,
                },
                "done": row.done,
                "total": row.total,
                "percent": row.percent,
                "last_completed_at": row.last_completed_at,
            }
            for row in report.students
        ]
