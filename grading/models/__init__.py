from .archives import SubmissionArchive
from .assignments import Assignment, Extension
from .submissions import Submission, SubmissionFile

__all__ = ["Assignment", "Extension", "Submission", "SubmissionArchive", "SubmissionFile"]
from .grades import (  # noqa: E402
    AssignmentGrading,
    Category,
    Grade,
    GradebookSettings,
    GradeChange,
    RegradeRequest,
)
from .rubrics import Criterion, Level, Rubric  # noqa: E402

__all__ += [
    "AssignmentGrading",
    "Category",
    "Criterion",
    "Grade",
    "GradeChange",
    "GradebookSettings",
    "Level",
    "RegradeRequest",
    "Rubric",
]
