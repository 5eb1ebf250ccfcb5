"""Attendance: raw presence evidence, the intervals folded from it, and the marks computed.

Evidence (`PresenceEvent`) is append-only and kept even when its room or person is unknown.
Intervals are a projection of the evidence and are rebuilt from it. Marks keep what was
computed next to any override, and every change is a `MarkChange` row; nothing here is deleted
when a lesson ends or a student is dropped.

The models live in modules by responsibility and are re-exported here, so
`attendance.models.X` stays the one import path.
"""

from .checks import Dispute, PresenceCheck, PresencePrompt
from .evidence import SERVER_SOURCES, FoldProgress, PresenceEvent, PresenceInterval, Source
from .marks import AttendanceMark, Flag, LessonRegister, MarkChange, MarkStatus
from .policy import AttendancePolicy, AttendanceRate, ChronicAbsence

__all__ = [
    "SERVER_SOURCES",
    "AttendanceMark",
    "AttendancePolicy",
    "AttendanceRate",
    "ChronicAbsence",
    "Dispute",
    "Flag",
    "FoldProgress",
    "LessonRegister",
    "MarkChange",
    "MarkStatus",
    "PresenceCheck",
    "PresenceEvent",
    "PresenceInterval",
    "PresencePrompt",
    "Source",
]
