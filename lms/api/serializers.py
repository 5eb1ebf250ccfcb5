from django.conf import settings
from rest_framework import serializers

from lms.models import ApiToken, Invitation, Notification, Role, School, User


class SchoolRolesSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices))


class MeSerializer(serializers.ModelSerializer):
    schools = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "preferred_language", "time_zone", "schools"]
        read_only_fields = ["id", "email"]

    def get_schools(self, user) -> list[dict]:
        return [
            {"slug": school.slug, "name": school.name, "roles": roles}
            for school, roles in self.context["roles_by_school"]
        ]


class MeUpdateSerializer(serializers.Serializer):
    full_name = serializers.CharField(required=False, max_length=150)
    preferred_language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)
    time_zone = serializers.CharField(required=False, max_length=64)


class SchoolUserSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "roles", "date_joined", "is_active"]

    def get_roles(self, user) -> list[str]:
        return sorted(m.role for m in user.school_memberships)


class SchoolSerializer(serializers.ModelSerializer):
    class Meta:
        model = School
        fields = ["slug", "name", "time_zone", "default_language", "allowed_email_domains"]


class InvitationSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)
    invited_by = serializers.CharField(source="invited_by.full_name", read_only=True, default=None)

    class Meta:
        model = Invitation
        fields = [
            "id",
            "email",
            "full_name",
            "role",
            "status",
            "invited_by",
            "created_at",
            "expires_at",
        ]
        read_only_fields = fields


class InvitationCreateSerializer(serializers.Serializer):
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=Role.choices)
    full_name = serializers.CharField(required=False, allow_blank=True, max_length=150)


class InvitationCreatedSerializer(InvitationSerializer):
    link = serializers.CharField(read_only=True, help_text="Shown once; it is not stored.")

    class Meta(InvitationSerializer.Meta):
        fields = [*InvitationSerializer.Meta.fields, "link"]
        read_only_fields = fields


class InvitationAcceptSerializer(serializers.Serializer):
    full_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    password = serializers.CharField(
        required=False, write_only=True, style={"input_type": "password"}
    )


class ApiTokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at", "expires_at"]
        read_only_fields = fields


class ApiTokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    expires_in_days = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=90,
        min_value=1,
        max_value=3650,
        help_text="Days until the token stops working (default 90); null: until revoked.",
    )


class ApiTokenCreatedSerializer(ApiTokenSerializer):
    token = serializers.CharField(read_only=True, help_text="Shown once; it is not stored.")

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "token"]
        read_only_fields = fields


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at"]


class NotificationsReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="Omit to mark all read."
    )


class NotificationsReadResultSerializer(serializers.Serializer):
    read = serializers.IntegerField()
