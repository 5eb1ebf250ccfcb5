from drf_spectacular.generators import SchemaGenerator


def test_schema_documents_the_grading_endpoints_without_warnings(db, capsys):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path in [
        "/api/v1/courses/{course_id}/gradebook/",
        "/api/v1/courses/{course_id}/gradebook/export/",
        "/api/v1/courses/{course_id}/gradebook/import/preview/",
        "/api/v1/courses/{course_id}/gradebook/import/apply/",
        "/api/v1/courses/{course_id}/gradebook/settings/",
        "/api/v1/courses/{course_id}/grades/mine/",
        "/api/v1/courses/{course_id}/rubrics/",
        "/api/v1/courses/{course_id}/rubrics/{id}/",
        "/api/v1/courses/{course_id}/regrade-requests/",
        "/api/v1/assignments/{assignment_id}/grades/",
        "/api/v1/assignments/{assignment_id}/grades/{student_id}/",
        "/api/v1/assignments/{assignment_id}/release/",
        "/api/v1/me/grades/",
        "/api/v1/grades/{grade_id}/feedback/{file_id}/download/",
    ]:
        assert path in schema["paths"], path
    put = schema["paths"]["/api/v1/assignments/{assignment_id}/grades/{student_id}/"]["put"]
    assert "409" in put["responses"]
    ours = [
        line
        for line in capsys.readouterr().err.splitlines()
        if "grade_" in line and "could not resolve authenticator" not in line
    ]
    assert ours == []
