from django.conf import settings
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from lms import notifications, people, selectors, services
from lms.models import Role

from . import serializers as s


class MeView(APIView):
    @extend_schema(responses=s.MeSerializer)
    def get(self, request):
        return Response(self._render(request.user))

    @extend_schema(request=s.MeUpdateSerializer, responses=s.MeSerializer)
    def patch(self, request):
        data = s.MeUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.user_update_preferences(user=request.user, **data.validated_data)
        return Response(self._render(user))

    def _render(self, user):
        context = {"roles_by_school": selectors.roles_by_school(user)}
        return s.MeSerializer(user, context=context).data


class SchoolAdminMixin:
    """The school of the URL, if the user administers it (404 otherwise), resolved before the
    request body is read, so strangers learn nothing from validation errors."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.get_school()

    def get_school(self):
        if not hasattr(self, "_school"):
            self._school = selectors.school_administered_by(self.request.user, self.kwargs["slug"])
        return self._school


@extend_schema(
    parameters=[
        OpenApiParameter("role", enum=Role.values, description="Only people with this role."),
        OpenApiParameter("q", description="Part of a name or e-mail address."),
    ]
)
class SchoolUserList(SchoolAdminMixin, generics.ListAPIView):
    """People in a school you administer."""

    serializer_class = s.SchoolUserSerializer

    def get_queryset(self):
        role = self.request.query_params.get("role") or None
        if role and role not in Role.values:
            from rest_framework.exceptions import ValidationError

            raise ValidationError({"role": [f"Use one of: {', '.join(Role.values)}."]})
        return selectors.school_people_in_name_order(
            school=self.get_school(), role=role, query=self.request.query_params.get("q", "")
        )


class InvitationListCreate(SchoolAdminMixin, generics.ListAPIView):
    """Invitations of a school you administer; POST sends a new one."""

    serializer_class = s.InvitationSerializer

    def get_queryset(self):
        return selectors.school_invitations(school=self.get_school())

    @extend_schema(
        request=s.InvitationCreateSerializer, responses={201: s.InvitationCreatedSerializer}
    )
    def post(self, request, slug):
        data = s.InvitationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitation, raw = people.invitation_invite(
            by=request.user, school=self.get_school(), **data.validated_data
        )
        invitation.link = settings.SITE_URL + reverse("invitation_accept", args=[raw])
        return Response(s.InvitationCreatedSerializer(invitation).data, status=201)


class InvitationRevoke(SchoolAdminMixin, APIView):
    @extend_schema(request=None, responses={200: s.InvitationSerializer})
    def post(self, request, slug, pk):
        invitation = get_object_or_404(
            selectors.school_invitations(school=self.get_school()), pk=pk
        )
        return Response(
            s.InvitationSerializer(services.invitation_revoke(invitation=invitation)).data
        )


class InvitationAccept(APIView):
    """Accept an invitation: signed in as the invited address, or creating that account."""

    permission_classes = [AllowAny]

    @extend_schema(request=s.InvitationAcceptSerializer, responses={200: s.MeSerializer})
    def post(self, request, token):
        data = s.InvitationAcceptSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.invitation_accept(
            raw_token=token,
            user=request.user if request.user.is_authenticated else None,
            full_name=data.validated_data.get("full_name", ""),
            password=data.validated_data.get("password"),
        )
        context = {"roles_by_school": selectors.roles_by_school(user)}
        return Response(s.MeSerializer(user, context=context).data)


class TokenListCreate(generics.ListAPIView):
    """Your API tokens. The secret is returned once, when the token is created."""

    serializer_class = s.ApiTokenSerializer

    def get_queryset(self):
        return selectors.user_api_tokens(user=self.request.user)

    @extend_schema(request=s.ApiTokenCreateSerializer, responses={201: s.ApiTokenCreatedSerializer})
    def post(self, request):
        data = s.ApiTokenCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token, raw = services.api_token_create(user=request.user, **data.validated_data)
        token.token = raw
        return Response(s.ApiTokenCreatedSerializer(token).data, status=status.HTTP_201_CREATED)


class TokenRevoke(APIView):
    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk):
        token = get_object_or_404(selectors.user_api_tokens(user=request.user), pk=pk)
        services.api_token_revoke(token=token)
        return Response(status=status.HTTP_204_NO_CONTENT)


class NotificationList(generics.ListAPIView):
    """Your notifications, newest first."""

    serializer_class = s.NotificationSerializer

    def get_queryset(self):
        return notifications.inbox(self.request.user)


class NotificationsRead(APIView):
    """Mark your notifications read: the ids given, or all of them."""

    @extend_schema(
        request=s.NotificationsReadSerializer, responses=s.NotificationsReadResultSerializer
    )
    def post(self, request):
        body = s.NotificationsReadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        count = notifications.mark_read(user=request.user, ids=body.validated_data.get("ids"))
        return Response({"read": count})
