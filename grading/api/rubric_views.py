"""Rubrics of a course and the grading options of one assignment (its rubric, extra credit).

Staff only (RUBRICS_MANAGE for rubrics, GRADE for an assignment's options).
"""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import grade_access as access
from ..gradebook import grades as reads
from ..services import rubrics
from ..services.grades import UNSET, grading_options_update
from . import grade_serializers as s
from .grade_mixins import AssignmentMixin, CourseMixin


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


# One assignment's grading options


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
