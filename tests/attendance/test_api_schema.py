"""Every attendance endpoint is described: the schema builds without a warning about
attendance (as `spectacular --fail-on-warn` would) and no response is an untyped object."""

from drf_spectacular.generators import SchemaGenerator


def _untyped(schema, components, seen=()) -> bool:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return False
        return _untyped(components[name], components, (*seen, name))
    if schema.get("type") == "object" and not schema.get("properties"):
        return not schema.get("additionalProperties")
    parts = [*schema.get("allOf", []), *schema.get("oneOf", []), *schema.get("anyOf", [])]
    if "items" in schema:
        parts.append(schema["items"])
    parts += list(schema.get("properties", {}).values())
    return any(_untyped(p, components, seen) for p in parts)


def test_attendance_schema_has_no_warning_and_no_untyped_response(db, capsys):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    warnings = [
        line
        for line in capsys.readouterr().err.splitlines()
        if "attendance" in line and "could not resolve authenticator" not in line
    ]
    assert warnings == []
    components = schema["components"]["schemas"]
    paths = {p: v for p, v in schema["paths"].items() if "/attendance/" in p}
    assert len(paths) >= 19
    untyped = []
    for path, operations in paths.items():
        for method, operation in operations.items():
            for code, response in operation.get("responses", {}).items():
                for media, content in response.get("content", {}).items():
                    if media == "application/json" and _untyped(content["schema"], components):
                        untyped.append((method, path, code))
    assert untyped == []
