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


class Stay(NamedTuple):
    start: float
    end: float
    open: bool
    last_seen: float
    connection: str
    source: str
    fingerprint: str


class Rules(NamedTuple):
    """What a fold depends on besides the events: a resumed fold must use the same."""

    window: Window
    destroyed: tuple[float, ...] = ()  # when the room was destroyed (ends server stays)
    heartbeat_timeout: float = 90.0
    reconnect_gap: float = 30.0
    two_places_after: float = 120.0


class Run(NamedTuple):
    """A connection's stay still being built: a server stay opened by `head`, or a client
    stay from `head` whose latest evidence was at `last`."""

    head: Event
    last: float


@dataclass(frozen=True)
class Progress:
    """How far one person's evidence has been folded, so that later evidence continues the
    fold instead of repeating it (a lesson's evidence grows all lesson long).

    Stays that no later event can change (closed, inside the limit, starting before anything
    still open and before the latest evidence) are "frozen": merged into `merged`, and only
    those still overlapping what comes later are kept in `tail` (for the two-places check).
    Resuming gives exactly what folding all the events at once gives; `resume` refuses (None)
    whenever it could not: evidence not later than what was folded, other rules, or a limit
    earlier than the last one.
    """

    rules: Rules | None = None
    limit: float = float("-inf")
    horizon: float | None = None  # the latest evidence folded
    runs: tuple[tuple[tuple[str, str], Run], ...] = ()  # by (source, connection)
    loose: tuple[Stay, ...] = ()  # closed, not frozen yet (neither cut nor clipped)
    merged: tuple[Interval, ...] = ()  # the frozen stays, merged
    tail: tuple[Stay, ...] = ()  # frozen stays (clipped) that end after the freeze point
    two_places: bool = False  # among the frozen stays


def _stay(head: Event, start, end, is_open, last_seen) -> Stay:
    return Stay(start, end, is_open, last_seen, head.connection, head.source, head.fingerprint)


def _server_step(run: Run | None, events, closed: list) -> Run | None:
    for event in events:
        if event.kind == JOINED:
            if run is None:
                run = Run(event, event.at)
        elif event.kind == LEFT and run is not None:
            closed.append(_stay(run.head, run.head.at, event.at, False, event.at))
            run = None
    return run


def _client_step(run: Run | None, events, timeout: float, closed: list) -> Run | None:
    for event in events:
        if run is not None and event.at - run.last > timeout:
            closed.append(_stay(run.head, run.head.at, run.last, False, run.last))
            run = None
        if event.kind == LEFT:
            if run is not None:
                closed.append(_stay(run.head, run.head.at, event.at, False, event.at))
                run = None
        elif run is None:
            run = Run(event, event.at)
        else:
            run = Run(run.head, event.at)
    return run


def _cut(stay: Stay, destroyed) -> Stay:
    """A server stay ends when the room is destroyed during it."""
    if stay.source == CLIENT or not destroyed:
        return stay
    closing = next((t for t in destroyed if stay.start <= t < stay.end), None)
    return stay if closing is None else stay._replace(end=closing, open=False)


def _run_stay(key, run: Run, rules: Rules, limit: float, until) -> Stay:
    """The stay a connection still open makes at this limit."""
    still_open = until is not None and limit == until
    if key[0] == CLIENT:
        if run.last + rules.heartbeat_timeout >= limit:
            return _stay(run.head, run.head.at, limit, still_open, run.last)
        return _stay(run.head, run.head.at, run.last, False, run.last)
    closing = next((t for t in rules.destroyed if t >= run.head.at), None)
    if closing is not None:
        return _stay(run.head, run.head.at, closing, False, closing)
    return _stay(run.head, run.head.at, limit, still_open, run.head.at)


def _clip(stay: Stay, lower: float, limit: float) -> Stay | None:
    start, end = max(stay.start, lower), min(stay.end, limit)
    if end <= start:
        return None
    if start != stay.start or end != stay.end:
        stay = stay._replace(start=start, end=end)
    return stay


def _stay_key(s: Stay):
    return (s.start, s.end, s.source, s.connection, s.fingerprint)


def _two_places(earlier, later, after: float) -> bool:
    """Two connections overlapping longer than `after`, one of them in `later` (all sorted;
    `earlier` sort before `later`)."""
    stays = [*earlier, *later]
    for i, a in enumerate(stays):
        for j in range(max(i + 1, len(earlier)), len(stays)):
            b = stays[j]
            if b.start >= a.end:
                break
            if a.connection == b.connection and a.source == b.source:
                continue
            if a.source == CLIENT and b.source == CLIENT and a.fingerprint == b.fingerprint:
                continue
            if min(a.end, b.end) - b.start > after:
                return True
    return False


def _merge(merged: list[Interval], stays, gap: float) -> None:
    for stay in stays:
        if merged and stay.start <= merged[-1].end + gap:
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


def resume(
    progress: Progress, events: Iterable[Event], rules: Rules, until: float | None = None
) -> tuple[Folded, Progress] | None:
    """Continue `progress` with events all later than what it folded: the fold of every event
    so far, and the progress to continue from next. None when it cannot continue exactly."""
    window = rules.window
    limit = window.end if until is None else min(window.end, until)
    lower = window.start - window.grace
    if progress.rules is not None and (progress.rules != rules or limit < progress.limit):
        return None
    unique = sorted(set(events), key=Event.sort_key)
    horizon = progress.horizon
    if unique:
        if horizon is not None and unique[0].at <= horizon:
            return None
        horizon = unique[-1].at

    by_connection: dict[tuple[str, str], list[Event]] = {}
    for event in unique:
        if event.kind in (JOINED, LEFT, HEARTBEAT):
            by_connection.setdefault((event.source, event.connection), []).append(event)
    runs = dict(progress.runs)
    loose = list(progress.loose)
    for key, connection_events in sorted(by_connection.items()):
        if key[0] == CLIENT:
            run = _client_step(runs.get(key), connection_events, rules.heartbeat_timeout, loose)
        else:
            run = _server_step(runs.get(key), connection_events, loose)
        if run is None:
            runs.pop(key, None)
        else:
            runs[key] = run
    for key, run in list(runs.items()):
        # Over at this limit, and any later evidence would come after the timeout: closed.
        ended = run.last + rules.heartbeat_timeout
        if key[0] == CLIENT and ended <= horizon and ended < limit:
            loose.append(_stay(run.head, run.head.at, run.last, False, run.last))
            del runs[key]

    # What can still change starts at or after `freeze`; what starts before it is frozen.
    freeze = lower if horizon is None else max(horizon, lower)
    settled, kept = [], []
    for stay in loose:
        cut = _cut(stay, rules.destroyed)
        clipped = _clip(cut, lower, limit)
        if cut.end <= limit:
            if clipped is not None:
                settled.append((clipped, stay))
        else:
            freeze = min(freeze, max(cut.start, lower))
            kept.append(stay)
            if clipped is not None:
                settled.append((clipped, None))  # shown now, not frozen
    provisional = []
    for key, run in runs.items():
        stay = _run_stay(key, run, rules, limit, until)
        freeze = min(freeze, max(stay.start, lower))
        clipped = _clip(stay, lower, limit)
        if clipped is not None:
            provisional.append(clipped)

    frozen, rest = [], list(provisional)
    for clipped, raw in settled:
        if raw is not None and clipped.start < freeze:
            frozen.append(clipped)
        else:
            rest.append(clipped)
            if raw is not None:
                kept.append(raw)
    frozen.sort(key=_stay_key)
    rest.sort(key=_stay_key)

    merged = list(progress.merged)
    _merge(merged, frozen, rules.reconnect_gap)
    frozen_merged = tuple(merged)
    _merge(merged, rest, rules.reconnect_gap)
    after = rules.two_places_after
    frozen_two = progress.two_places or _two_places(progress.tail, frozen, after)
    tail = [*progress.tail, *frozen]
    two_places = frozen_two or _two_places(tail, rest, after)

    attended = sum(max(0.0, min(i.end, limit) - max(i.start, window.start)) for i in merged)
    folded = Folded(
        intervals=tuple(merged),
        attended_seconds=attended,
        first_join=merged[0].start if merged else None,
        last_leave=merged[-1].end if merged else None,
        two_places=two_places,
    )
    following = Progress(
        rules=rules,
        limit=limit,  # never earlier than the last: refused above
        horizon=horizon,
        runs=tuple(sorted(runs.items())),
        loose=tuple(kept),
        merged=frozen_merged,
        tail=tuple(s for s in tail if s.end > freeze),
        two_places=frozen_two,
    )
    return folded, following


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
    rules = Rules(
        window,
        destroyed_times(room_events),
        heartbeat_timeout,
        reconnect_gap,
        two_places_after,
    )
    return resume(Progress(), events, rules, until)[0]


def destroyed_times(room_events: Iterable[Event]) -> tuple[float, ...]:
    return tuple(sorted({e.at for e in room_events if e.kind == ROOM_DESTROYED}))
