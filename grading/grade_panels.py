"""Dashboard panels of grading: "to grade" for staff, "recent grades" for students."""

from .gradebook.grades import grades_to_do, released_grades


def dashboard_panels(request, schools) -> list[dict]:
    user = request.user
    if not user.is_authenticated or not schools:
        return []
    panels = []
    todo = grades_to_do(user=user)
    if todo:
        panels.append({"template": "grading/_to_grade.html", "items": todo})
    recent = list(released_grades(student=user)[:5])
    if recent:
        panels.append({"template": "grading/_recent_grades.html", "grades": recent})
    return panels
