from drf_spectacular.generators import SchemaGenerator


def test_schema_documents_the_cms_endpoints_without_warnings(db, capsys):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path in [
        "/api/v1/courses/{course_id}/lessons/",
        "/api/v1/courses/{course_id}/progress/",
        "/api/v1/courses/{course_id}/progress/students/",
        "/api/v1/lessons/{lesson_id}/",
        "/api/v1/lessons/{lesson_id}/progress/",
    ]:
        assert path in schema["paths"], path
    ours = [
        line
        for line in capsys.readouterr().err.splitlines()
        if "cms/" in line
        # The bearer token authenticator belongs to lms; its schema extension is lms's to add.
        and "could not resolve authenticator" not in line
    ]
    assert ours == []


def test_lesson_detail_renders_the_body(api_client, content, member_student):
    api_client.force_authenticate(member_student)
    lesson = content.lessons[1]
    data = api_client.get(f"/api/v1/lessons/{lesson.id}/").json()
    assert data["title"] == lesson.title
    assert data["module"] == {"id": content.modules[0].id, "title": content.modules[0].title}
    assert data["previous_id"] == content.lessons[0].id
    assert data["next_id"] == content.lessons[2].id
    assert data["reading_minutes"] == 1
    assert '<aside class="callout callout-tip"' in data["body_html"]
    assert "xin chào" in data["body_html"]
    assert data["done"] is False and data["position"] == 2
