from rest_framework import serializers


class ModuleRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class LessonListItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField()
    url = serializers.CharField(help_text="Path of the lesson's reading page.")
    position = serializers.IntegerField(help_text="1 for the course's first lesson.")
    module = ModuleRefSerializer()
    done = serializers.BooleanField(help_text="Whether you finished the lesson.")
    completed_at = serializers.DateTimeField(allow_null=True)


class LessonDetailSerializer(LessonListItemSerializer):
    course_id = serializers.IntegerField()
    reading_minutes = serializers.IntegerField()
    body_html = serializers.CharField(help_text="The lesson, rendered as HTML.")
    previous_id = serializers.IntegerField(allow_null=True)
    next_id = serializers.IntegerField(allow_null=True)
    last_published_at = serializers.DateTimeField(allow_null=True)


class LessonProgressSerializer(serializers.Serializer):
    lesson = serializers.IntegerField()
    done = serializers.BooleanField()
    completed_at = serializers.DateTimeField(allow_null=True)


class LessonProgressMarkSerializer(serializers.Serializer):
    source = serializers.ChoiceField(
        choices=["api", "read", "button"], default="api", required=False
    )


class CourseProgressSerializer(serializers.Serializer):
    course = serializers.IntegerField()
    done = serializers.IntegerField()
    total = serializers.IntegerField(help_text="Published lessons of the course.")
    percent = serializers.IntegerField()


class StudentRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    email = serializers.EmailField()


class StudentProgressSerializer(serializers.Serializer):
    user = StudentRefSerializer()
    done = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.IntegerField()
    last_completed_at = serializers.DateTimeField(allow_null=True)
