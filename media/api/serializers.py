from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import Purpose, StoredFile

GENERIC_PURPOSES = [Purpose.OTHER]


class SlotRequestSerializer(serializers.Serializer):
    school = serializers.SlugField(
        required=False, help_text="The school's short name; needed only if you are in several."
    )
    purpose = serializers.ChoiceField(
        choices=[(p.value, p.label) for p in GENERIC_PURPOSES], default=Purpose.OTHER
    )
    name = serializers.CharField(max_length=1000, help_text="The file's name on your device.")
    size = serializers.IntegerField(min_value=0, help_text="Exact size in bytes.")
    content_type = serializers.CharField(
        max_length=255, required=False, allow_blank=True, default=""
    )


class PartUrlSerializer(serializers.Serializer):
    part_number = serializers.IntegerField()
    url = serializers.CharField()


class DonePartSerializer(serializers.Serializer):
    part_number = serializers.IntegerField()
    size = serializers.IntegerField()


class SlotSerializer(serializers.Serializer):
    """Where to send the bytes: a form POST (fields, then the file) or multipart part PUTs."""

    file_id = serializers.IntegerField()
    name = serializers.CharField()
    size = serializers.IntegerField()
    expires_at = serializers.DateTimeField()
    method = serializers.ChoiceField(choices=["post", "multipart"])
    url = serializers.CharField(required=False, help_text="POST: where the form goes.")
    fields = serializers.DictField(
        child=serializers.CharField(), required=False, help_text="POST: form fields, in order."
    )
    part_size = serializers.IntegerField(required=False, help_text="Multipart: bytes per part.")
    parts = PartUrlSerializer(many=True, required=False, help_text="Multipart: PUT each part.")


class PartsSerializer(serializers.Serializer):
    """What storage already holds of a multipart upload, and URLs for the rest."""

    file_id = serializers.IntegerField()
    method = serializers.ChoiceField(choices=["post", "multipart"])
    part_size = serializers.IntegerField(allow_null=True)
    done = DonePartSerializer(many=True)
    missing = PartUrlSerializer(many=True, required=False)
    slot = SlotSerializer(required=False, help_text="POST uploads: send the whole file again.")


class StoredFileSerializer(serializers.ModelSerializer):
    reason_message = serializers.SerializerMethodField()

    class Meta:
        model = StoredFile
        fields = [
            "id",
            "name",
            "size",
            "purpose",
            "content_type",
            "sha256",
            "state",
            "reason",
            "reason_message",
            "created_at",
            "verified_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_reason_message(self, obj) -> str:
        return str(obj.get_reason_display()) if obj.reason else ""


class DownloadSerializer(serializers.Serializer):
    url = serializers.CharField()
    expires_in = serializers.IntegerField(help_text="Seconds the link stays valid.")
