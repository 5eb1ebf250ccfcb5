from .assignments import Assignment, Extension
from .submissions import Submission

__all__ = ["Assignment", "Extension", "Submission"]
