"""API for a school administrator's People actions: roles, deactivation, invitations."""

from django.conf import settings
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from lms import people, selectors
from lms.errors import NotFound
from lms.models import Role

from . import serializers as s
from .views import SchoolAdminMixin


class PersonUpdateSerializer(serializers.Serializer):
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=Role.choices), required=False, allow_empty=True
    )
    is_active = serializers.BooleanField(required=False)


class BatchSerializer(serializers.Serializer):
    text = serializers.CharField(
        max_length=100_000, help_text="One person per line: “Name <address>” or “Name, address”."
    )
    role = serializers.ChoiceField(choices=Role.choices, default=Role.STUDENT)
    apply = serializers.BooleanField(
        default=False, help_text="false: only say what each line would do. true: send."
    )


class BatchRowSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    full_name = serializers.CharField()
    email = serializers.CharField()
    verdict = serializers.ChoiceField(choices=people.BatchVerdict.choices)
    verdict_label = serializers.CharField()
    message = serializers.CharField()


class BatchResultSerializer(serializers.Serializer):
    summary = serializers.DictField(child=serializers.IntegerField())
    rows = BatchRowSerializer(many=True)


class SchoolPersonDetail(SchoolAdminMixin, APIView):
    """A person of a school you administer. PATCH sets their roles there and/or deactivates
    (is_active false) or reactivates them."""

    def _render(self, user_id):
        user = selectors.school_users(school=self.get_school()).filter(pk=user_id).first()
        return Response(s.SchoolUserSerializer(user).data)

    @extend_schema(responses=s.SchoolUserSerializer)
    def get(self, request, slug, pk):
        if not selectors.school_users(school=self.get_school()).filter(pk=pk).exists():
            raise NotFound()
        return self._render(pk)

    @extend_schema(request=PersonUpdateSerializer, responses=s.SchoolUserSerializer)
    def patch(self, request, slug, pk):
        school = self.get_school()  # first: nobody learns anything about another school
        data = PersonUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if "roles" in data.validated_data:
            people.membership_roles_set(
                by=request.user, school=school, user_id=pk, roles=data.validated_data["roles"]
            )
        if "is_active" in data.validated_data:
            people.school_user_set_active(
                by=request.user, school=school, user_id=pk, active=data.validated_data["is_active"]
            )
        return self._render(pk)


class InvitationResend(SchoolAdminMixin, APIView):
    """A new link for a pending or expired invitation (the old link stops working)."""

    @extend_schema(request=None, responses=s.InvitationCreatedSerializer)
    def post(self, request, slug, pk):
        invitation, raw = people.invitation_resend(
            by=request.user, school=self.get_school(), invitation_id=pk
        )
        invitation.link = settings.SITE_URL + reverse("invitation_accept", args=[raw])
        return Response(s.InvitationCreatedSerializer(invitation).data)


class InvitationBatch(SchoolAdminMixin, APIView):
    """Invite several people at once with their names: preview (apply false), then apply."""

    @extend_schema(request=BatchSerializer, responses=BatchResultSerializer)
    def post(self, request, slug):
        school = self.get_school()  # first: nobody learns anything about another school
        data = BatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        args = {
            "by": request.user,
            "school": school,
            "text": data.validated_data["text"],
            "role": data.validated_data["role"],
        }
        if data.validated_data["apply"]:
            result = people.invitation_batch_apply(**args)
            rows = result.pop("rows")
            summary = result
        else:
            result = people.invitation_batch_preview(**args)
            rows, summary = result["rows"], result["summary"]
        return Response({"summary": summary, "rows": [row.as_dict() for row in rows]})
