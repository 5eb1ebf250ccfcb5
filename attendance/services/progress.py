"""One person's fold in one lesson: from all their evidence, or continued from the progress
stored by the last fold with only the evidence that arrived since (a lesson's evidence grows
all lesson long; reading all of it at every fold made each fold slower than the last).

A person's evidence is folded in two parts, the video server's and the live page's, each with
its own `folding.Progress`; stored together as JSON in `FoldProgress`.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from django.db import connection
from django.db.models import BigIntegerField, F, FloatField, Func

from .. import folding
from ..folding import Event, Interval, Progress, Rules, Run, Stay, Window
from ..models import FoldProgress, PresenceEvent, Source

# Plain tuples in this order: no model instance, no dict per event (a lesson has 100,000s).
# `occurred_at` is read as float seconds since the epoch, as folding takes it.
ROW_FIELDS = (
    "pk", "user_id", "kind", "occurred_at", "connection", "source", "fingerprint", "folded",
    "display_name",
)  # fmt: skip
_PK, _USER, _KIND, _AT, _CONN, _SOURCE, _PRINT, _FOLDED, _NAME = range(9)
_CLIENT = str(Source.CLIENT)  # a plain string: compared once per event


class _Number(Func):
    """A number the driver already returns as a Python number: no converter per value."""

    @property
    def convert_value(self):
        return self._convert_value_noop


class _EpochSeconds(_Number):
    # Exact: PostgreSQL's numeric epoch rounds to the same double as datetime.timestamp().
    template = "EXTRACT(EPOCH FROM %(expressions)s)::double precision"
    output_field = FloatField()


class _EpochMicroseconds(_Number):
    # Exact: EXTRACT gives a numeric with the stored microseconds.
    template = "(EXTRACT(EPOCH FROM %(expressions)s) * 1000000)::bigint"
    output_field = BigIntegerField()


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def _micro(value: datetime | None) -> int | None:
    return None if value is None else (value - _EPOCH) // _MICROSECOND


def evidence_rows(events) -> list[tuple]:
    """ROW_FIELDS tuples of these events. PostgreSQL sends the time as a double: turning
    60,000 timestamptz values into datetimes took a third of a 500-student lesson's marks."""
    events = events.order_by()  # folding sorts; the default ordering only made the query sort
    if connection.vendor == "postgresql":
        fields = [F(name) for name in ROW_FIELDS]
        fields[_AT] = _EpochSeconds("occurred_at")
        return list(events.values_list(*fields))
    return [
        (*row[:_AT], row[_AT].timestamp(), *row[_AT + 1 :])
        for row in events.values_list(*ROW_FIELDS)
    ]


def _event(row) -> Event:
    return Event(
        row[_AT],
        row[_KIND],
        row[_CONN],
        folding.CLIENT if row[_SOURCE] == _CLIENT else folding.SERVER,
        row[_PRINT],
    )


def evidence_mode(has_server: bool, count_client: bool) -> str:
    """'server' when the video server reported on this lesson; else 'client' if the course
    counts the page's own reports; else 'none' (intervals kept, no credit)."""
    if has_server:
        return "server"
    return "client" if count_client else "none"


@dataclass
class PersonFold:
    folded: folding.Folded  # what the mark rests on (empty in 'none' mode)
    shown: folding.Folded  # the intervals kept for the mode's source
    client: folding.Folded | None  # in 'server' mode: the live page's own reports
    mode: str


class PersonProgress(NamedTuple):
    server: Progress = Progress()  # the video server's evidence
    client: Progress = Progress()  # the live page's
    names: frozenset[str] = frozenset()  # the display names the video server reported


def person_resume(
    progress: PersonProgress, rows, rules: Rules, mode: str, until
) -> tuple[PersonFold, PersonProgress] | None:
    """Continue a person's fold with these evidence rows (all of them from an empty progress).
    None when the progress cannot be continued exactly (evidence older than what it folded,
    the lesson's times or room changed): fold everything from an empty progress instead."""
    server_rows = [r for r in rows if r[_SOURCE] != _CLIENT]
    server = folding.resume(progress.server, [_event(r) for r in server_rows], rules, until)
    client = folding.resume(
        progress.client, [_event(r) for r in rows if r[_SOURCE] == _CLIENT], rules, until
    )
    if server is None or client is None:
        return None
    names = progress.names
    if any(r[_NAME] for r in server_rows):
        names = names.union(r[_NAME] for r in server_rows if r[_NAME])
    following = PersonProgress(server[1], client[1], names)
    if mode == "server":
        has_client = client[1].horizon is not None
        return PersonFold(server[0], server[0], client[0] if has_client else None, mode), following
    shown = client[0]
    return PersonFold(shown if mode == "client" else folding.Folded(), shown, None, mode), following


def people_fold(session_id: int, user_ids: list[int], rules: Rules, mode: str, until):
    """These people's folds in one lesson: their stored progress continued with the evidence
    not folded yet (one small read); all their evidence again for whoever has no progress or
    cannot be continued exactly. Answers the folds, the progress to store and the ids of the
    events read for the first time (the caller marks them folded once it stored the rest)."""
    events = PresenceEvent.objects.filter(session_id=session_id, user_id__in=user_ids)
    stored = _progress_load(
        FoldProgress.objects.filter(session_id=session_id, user_id__in=user_ids)
    )
    waiting, ids = defaultdict(list), []
    for row in evidence_rows(events.filter(folded=False)):
        waiting[row[_USER]].append(row)
        ids.append(row[_PK])
    results, progress, again = {}, {}, []
    for user_id in user_ids:
        done = None
        if user_id in stored:
            done = person_resume(stored[user_id], waiting[user_id], rules, mode, until)
        if done is None:
            again.append(user_id)
        else:
            results[user_id], progress[user_id] = done
    if again:
        everything = defaultdict(list)
        for row in evidence_rows(events.filter(user_id__in=again)):
            everything[row[_USER]].append(row)
        for user_id in again:
            results[user_id], progress[user_id] = person_resume(
                PersonProgress(), everything[user_id], rules, mode, until
            )
    return results, progress, ids


def _progress_load(rows) -> dict[int, PersonProgress]:
    out = {}
    for user_id, state in rows.values_list("user_id", "state"):
        progress = _load_person(state)
        if progress is not None:
            out[user_id] = progress
    return out


def progress_save(session_id: int, progress: dict[int, PersonProgress]) -> None:
    FoldProgress.objects.bulk_create(
        [
            FoldProgress(session_id=session_id, user_id=user_id, state=_dump_person(p))
            for user_id, p in progress.items()
        ],
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["session", "user"],
        update_fields=["state"],
    )


# JSON: lists in each tuple's field order. Floats survive exactly (shortest repr both ways).
_VERSION = 1  # a stored progress of another shape is ignored: everything is folded again


def _dump_person(p: PersonProgress) -> dict:
    return {
        "v": _VERSION,
        "server": _dump(p.server),
        "client": _dump(p.client),
        "names": sorted(p.names),
    }


def _load_person(state) -> PersonProgress | None:
    if not isinstance(state, dict) or state.get("v") != _VERSION:
        return None
    try:
        return PersonProgress(
            _load(state["server"]), _load(state["client"]), frozenset(state["names"])
        )
    except (KeyError, TypeError, ValueError):
        return None


def _dump(p: Progress) -> dict:
    rules = p.rules
    w = rules.window
    return {
        "rules": [w.start, w.end, w.grace, list(rules.destroyed), *rules[2:]],
        "limit": p.limit,
        "horizon": p.horizon,
        "runs": [[*run.head, run.last] for _key, run in p.runs],
        "loose": [list(s) for s in p.loose],
        "merged": [list(i) for i in p.merged],
        "tail": [list(s) for s in p.tail],
        "two_places": p.two_places,
    }


def _load(data: dict) -> Progress:
    start, end, grace, destroyed, *numbers = data["rules"]
    runs = []
    for *head, last in data["runs"]:
        event = Event(*head)
        runs.append(((event.source, event.connection), Run(event, last)))
    return Progress(
        rules=Rules(Window(start, end, grace), tuple(destroyed), *numbers),
        limit=data["limit"],
        horizon=data["horizon"],
        runs=tuple(runs),
        loose=tuple(Stay(*s) for s in data["loose"]),
        merged=tuple(Interval(*i) for i in data["merged"]),
        tail=tuple(Stay(*s) for s in data["tail"]),
        two_places=data["two_places"],
    )
