from rest_framework import serializers

from ..models import MarkStatus, PresenceEvent


class ClientEventSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[PresenceEvent.Kind.JOINED, PresenceEvent.Kind.LEFT, PresenceEvent.Kind.HEARTBEAT]
    )
    connection = serializers.CharField(
        max_length=64, help_text="A random id of this browser tab, the same for its heartbeats."
    )
    user = serializers.IntegerField(
        required=False, help_text="Optional; if given it must be you. Nobody else can be reported."
    )


class OverrideSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=MarkStatus.choices)
    reason = serializers.CharField(max_length=2000, allow_blank=True)


class DisputeCreateSerializer(serializers.Serializer):
    message = serializers.CharField(max_length=4000, allow_blank=True)
    requested_status = serializers.ChoiceField(
        choices=MarkStatus.choices, required=False, allow_blank=True, default=""
    )


class DisputeResolveSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    reply = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    status = serializers.ChoiceField(
        choices=MarkStatus.choices, required=False, allow_blank=True, default=""
    )


class PolicySerializer(serializers.Serializer):
    on_time_minutes = serializers.IntegerField(min_value=0, max_value=240, required=False)
    present_percent = serializers.IntegerField(min_value=0, max_value=100, required=False)
    partial_percent = serializers.IntegerField(min_value=0, max_value=100, required=False)
    grace_minutes = serializers.IntegerField(min_value=0, max_value=120, required=False)
    count_client_evidence = serializers.BooleanField(required=False)
    random_checks = serializers.IntegerField(min_value=0, max_value=10, required=False)
    check_seconds = serializers.IntegerField(min_value=10, max_value=600, required=False)
    gradebook_column = serializers.BooleanField(required=False)
