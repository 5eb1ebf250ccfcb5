"""Fold raw presence events into intervals: a pure function, no database, no clock.

Times are float seconds since the epoch. The result depends only on the *set* of events: they
are deduplicated and sorted first, so the same events in any order, with any duplicates, fold
into the same intervals.

Rules (DESIGN.md):
- a server connection (one occupant in the room) is open from "joined" to "left"; a missing
  "left" is closed when the room is destroyed, else at the end of the window;
- a client connection (one tab) lives from "joined"/heartbeat to "left"; a gap longer than the
  heartbeat timeout ends it at the last evidence;
- connections of one user are merged (union); gaps up to `reconnect_gap` seconds are bridged,
  so a reconnect with a new occupant id does not split the stay;
- everything is clipped to the window: from `grace` seconds before the start to the end;
- two connections overlapping for longer than `two_places_after` seconds mean the same account
  was in the room from two places at once (for client connections only when the devices
  differ: a second tab on the same device is normal).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

JOINED = "joined"
LEFT = "left"
HEARTBEAT = "heartbeat"
ROOM_CREATED = "room_created"
ROOM_DESTROYED = "room_destroyed"
SERVER = "server"
CLIENT = "client"

_KIND_ORDER = {JOINED: 0, HEARTBEAT: 1, LEFT: 2, ROOM_CREATED: 3, ROOM_DESTROYED: 4}


# Events, stays and intervals are named tuples: a lesson folds 100,000s of them, and a tuple is
# made, hashed and compared in C (a frozen dataclass sets each field through Python).
class Event(NamedTuple):
    at: float
    kind: str
    connection: str = ""
    source: str = SERVER
    fingerprint: str = ""

    def sort_key(self):
        return (self.at, _KIND_ORDER.get(self.kind, 9), self.connection, self.fingerprint)


@dataclass(frozen=True)
class Window:
    start: float
    end: float
    grace: float = 0.0

    @property
    def seconds(self) -> float:
        return max(0.0, self.end - self.start)


class Interval(NamedTuple):
    start: float
    end: float
    open: bool = False  # no closing evidence yet: the end is provisional
    last_seen: float | None = None
    connections: int = 1

    @property
    def seconds(self) -> float:
        return max(0.0, self.end - self.start)


@dataclass(frozen=True)
class Folded:
    intervals: tuple[Interval, ...] = ()
    attended_seconds: float = 0.0
    first_join: float | None = None
    last_leave: float | None = None
    two_places: bool = False

    @property
    def is_in(self) -> bool:
        return any(i.open for i in self.intervals)


class _Stay(NamedTuple):
    start: float
    end: float
    open: bool
    last_seen: float
    connection: str
    source: str
    fingerprint: str


def _server_stays(events, destroyed, limit, until):
    stays = []
    opened = None
    for event in events:
        if event.kind == JOINED:
            if opened is None:
                opened = event
        elif event.kind == LEFT and opened is not None:
            stays.append((opened, event.at, False, event.at))
            opened = None
    if opened is not None:
        closing = next((t for t in destroyed if t >= opened.at), None)
        if closing is not None:
            stays.append((opened, closing, False, closing))
        else:
            still_open = until is not None and limit == until
            stays.append((opened, limit, still_open, opened.at))
    out = []
    for first, end, is_open, last_seen in stays:
        closing = next((t for t in destroyed if first.at <= t < end), None) if destroyed else None
        if closing is not None:
            end, is_open = closing, False
        out.append(
            _Stay(
                first.at, end, is_open, last_seen, first.connection, first.source, first.fingerprint
            )
        )
    return out


def _client_stays(events, timeout, limit, until):
    stays = []
    start = last = None
    head = None
    for event in events:
        if start is not None and event.at - last > timeout:
            stays.append((head, start, last, False, last))
            start = last = None
        if event.kind == LEFT:
            if start is not None:
                stays.append((head, start, event.at, False, event.at))
                start = last = None
            continue
        if start is None:
            start = last = event.at
            head = event
        else:
            last = event.at
    if start is not None:
        alive = last + timeout >= limit
        if alive:
            still_open = until is not None and limit == until
            stays.append((head, start, limit, still_open, last))
        else:
            stays.append((head, start, last, False, last))
    return [
        _Stay(s, e, o, seen, h.connection, h.source, h.fingerprint) for h, s, e, o, seen in stays
    ]


def fold(
    events: Iterable[Event],
    *,
    window: Window,
    room_events: Iterable[Event] = (),
    until: float | None = None,
    heartbeat_timeout: float = 90.0,
    reconnect_gap: float = 30.0,
    two_places_after: float = 120.0,
) -> Folded:
    """Fold one user's events in one session.

    `until` is "now" while the lesson runs: open stays end there and are marked open. Without
    it (the lesson is over) open stays end at the window's end.
    """
    unique = sorted(set(events), key=Event.sort_key)
    destroyed = sorted({e.at for e in room_events if e.kind == ROOM_DESTROYED})
    limit = window.end if until is None else min(window.end, until)
    lower = window.start - window.grace

    by_connection: dict[tuple[str, str], list[Event]] = {}
    for event in unique:
        if event.kind in (JOINED, LEFT, HEARTBEAT):
            by_connection.setdefault((event.source, event.connection), []).append(event)

    stays: list[_Stay] = []
    for (source, _connection), connection_events in sorted(by_connection.items()):
        if source == CLIENT:
            stays.extend(_client_stays(connection_events, heartbeat_timeout, limit, until))
        else:
            stays.extend(_server_stays(connection_events, destroyed, limit, until))

    clipped = []
    for stay in stays:
        start, end = max(stay.start, lower), min(stay.end, limit)
        if end > start:
            if start != stay.start or end != stay.end:
                stay = stay._replace(start=start, end=end)
            clipped.append(stay)
    clipped.sort(key=lambda s: (s.start, s.end, s.source, s.connection, s.fingerprint))

    two_places = False
    for i, a in enumerate(clipped):
        for j in range(i + 1, len(clipped)):
            b = clipped[j]
            if b.start >= a.end:
                break
            if a.connection == b.connection and a.source == b.source:
                continue
            if a.source == CLIENT and b.source == CLIENT and a.fingerprint == b.fingerprint:
                continue
            if min(a.end, b.end) - b.start > two_places_after:
                two_places = True

    merged: list[Interval] = []
    for stay in clipped:
        if merged and stay.start <= merged[-1].end + reconnect_gap:
            previous = merged[-1]
            if stay.end > previous.end:
                is_open, seen = stay.open, stay.last_seen
            elif stay.end == previous.end:
                is_open = stay.open or previous.open
                seen = max(stay.last_seen, previous.last_seen or stay.last_seen)
            else:
                is_open, seen = previous.open, previous.last_seen
            merged[-1] = Interval(
                previous.start,
                max(previous.end, stay.end),
                is_open,
                seen,
                previous.connections + 1,
            )
        else:
            merged.append(Interval(stay.start, stay.end, stay.open, stay.last_seen, 1))

    attended = sum(max(0.0, min(i.end, limit) - max(i.start, window.start)) for i in merged)
    return Folded(
        intervals=tuple(merged),
        attended_seconds=attended,
        first_join=merged[0].start if merged else None,
        last_leave=merged[-1].end if merged else None,
        two_places=two_places,
    )
