from .archives import SubmissionArchive
from .assignments import Assignment, Extension
from .submissions import Submission, SubmissionFile

__all__ = ["Assignment", "Extension", "Submission", "SubmissionArchive", "SubmissionFile"]
