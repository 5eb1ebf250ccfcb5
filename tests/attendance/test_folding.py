"""Interval folding: the rules one by one, and a property test that order and duplicates do
not matter."""

from hypothesis import given, settings
from hypothesis import strategies as st

from attendance import folding
from attendance.folding import CLIENT, HEARTBEAT, JOINED, LEFT, ROOM_DESTROYED, Event, Window

W = Window(start=1000.0, end=4600.0, grace=900.0)  # a 60-minute lesson, 15 minutes grace


def test_join_and_leave_make_one_interval():
    folded = folding.fold([Event(1000, JOINED, "a"), Event(2800, LEFT, "a")], window=W)
    assert [(i.start, i.end) for i in folded.intervals] == [(1000, 2800)]
    assert folded.attended_seconds == 1800


def test_overlapping_connections_are_a_union_and_reconnects_merge():
    events = [
        Event(1000, JOINED, "a"),
        Event(2000, LEFT, "a"),
        Event(2010, JOINED, "b"),  # reconnect with a new occupant id, 10 s later
        Event(3000, LEFT, "b"),
        Event(2500, JOINED, "c"),  # second tab inside b's stay
        Event(2600, LEFT, "c"),
    ]
    folded = folding.fold(events, window=W)
    assert [(i.start, i.end) for i in folded.intervals] == [(1000, 3000)]
    assert folded.attended_seconds == 2000
    assert not folded.two_places  # the short overlap of c is a second tab


def test_two_places_at_once_is_flagged():
    events = [Event(1000, JOINED, "a"), Event(4000, LEFT, "a"), Event(1500, JOINED, "b")]
    events.append(Event(3500, LEFT, "b"))
    assert folding.fold(events, window=W).two_places


def test_missing_left_closes_at_room_destroyed_or_window_end():
    events = [Event(1200, JOINED, "a")]
    destroyed = [Event(3000, ROOM_DESTROYED)]
    assert folding.fold(events, window=W, room_events=destroyed).intervals[0].end == 3000
    assert folding.fold(events, window=W).intervals[0].end == W.end
    live = folding.fold(events, window=W, until=2000)
    assert live.intervals[0].end == 2000 and live.intervals[0].open


def test_clipped_to_the_window_with_grace_before_start():
    events = [Event(0, JOINED, "a"), Event(9000, LEFT, "a")]
    folded = folding.fold(events, window=W)
    assert folded.intervals[0].start == W.start - W.grace
    assert folded.intervals[0].end == W.end
    assert folded.attended_seconds == 3600  # only the scheduled time counts


def test_client_heartbeats_and_timeout():
    beats = [Event(1000 + 30 * i, HEARTBEAT, "tab", CLIENT) for i in range(10)]
    events = [Event(1000, JOINED, "tab", CLIENT), *beats]
    folded = folding.fold(events, window=W, heartbeat_timeout=90)
    # The last heartbeat was at 1270; nothing after it: closed there, not at the window's end.
    assert [(i.start, i.end) for i in folded.intervals] == [(1000, 1270)]
    later = [*events, Event(3000, HEARTBEAT, "tab", CLIENT), Event(3030, LEFT, "tab", CLIENT)]
    folded = folding.fold(later, window=W, heartbeat_timeout=90)
    assert [(i.start, i.end) for i in folded.intervals] == [(1000, 1270), (3000, 3030)]


def test_client_tabs_on_one_device_are_not_two_places():
    a = [Event(1000, JOINED, "t1", CLIENT, "dev"), Event(4000, LEFT, "t1", CLIENT, "dev")]
    a += [Event(1000 + 60 * i, HEARTBEAT, "t1", CLIENT, "dev") for i in range(50)]
    b = [Event(1100 + 60 * i, HEARTBEAT, "t2", CLIENT, "dev") for i in range(40)]
    assert not folding.fold(a + b, window=W).two_places
    c = [Event(1100 + 60 * i, HEARTBEAT, "t3", CLIENT, "other") for i in range(40)]
    assert folding.fold(a + c, window=W).two_places


times = st.integers(min_value=0, max_value=6000).map(float)
server_events = st.builds(
    Event,
    at=times,
    kind=st.sampled_from([JOINED, LEFT]),
    connection=st.sampled_from(["a", "b", "c"]),
)
client_events = st.builds(
    Event,
    at=times,
    kind=st.sampled_from([JOINED, LEFT, HEARTBEAT]),
    connection=st.sampled_from(["t1", "t2"]),
    source=st.just(CLIENT),
    fingerprint=st.sampled_from(["d1", "d2"]),
)
room = st.lists(st.builds(Event, at=times, kind=st.just(ROOM_DESTROYED)), max_size=2)


@settings(max_examples=300, deadline=None)
@given(
    events=st.lists(st.one_of(server_events, client_events), max_size=30),
    rooms=room,
    data=st.data(),
    until=st.one_of(st.none(), times),
)
def test_order_and_duplicates_do_not_matter(events, rooms, data, until):
    reference = folding.fold(events, window=W, room_events=rooms, until=until)
    duplicated = (
        events + data.draw(st.lists(st.sampled_from(events), max_size=10)) if events else []
    )
    shuffled = data.draw(st.permutations(duplicated))
    rooms_shuffled = data.draw(st.permutations(rooms + rooms))
    again = folding.fold(shuffled, window=W, room_events=rooms_shuffled, until=until)
    assert again == reference
    # Invariants: disjoint, sorted, inside the window, attended time within the lesson.
    for first, second in zip(again.intervals, again.intervals[1:], strict=False):
        assert first.end < second.start
    for interval in again.intervals:
        assert W.start - W.grace <= interval.start < interval.end <= W.end
    assert 0 <= again.attended_seconds <= W.seconds


def _rules(rooms=(), timeout=90.0):
    return folding.Rules(W, folding.destroyed_times(rooms), timeout)


@settings(max_examples=400, deadline=None)
@given(
    events=st.lists(st.one_of(server_events, client_events), max_size=40),
    rooms=room,
    cuts=st.lists(times, max_size=4),
    untils=st.lists(times, min_size=5, max_size=5),
    finished=st.booleans(),
    timeout=st.sampled_from([30.0, 90.0]),
)
def test_resuming_folds_exactly_as_folding_everything(
    events, rooms, cuts, untils, finished, timeout
):
    """Evidence folded in batches (each later than the last), at later and later times, gives
    what folding it all at once gives, at every step."""
    rules = _rules(rooms, timeout)
    bounds = sorted(set(cuts)) + [float("inf")]
    untils = sorted(untils)
    progress, seen, low = folding.Progress(), [], float("-inf")
    for step, high in enumerate(bounds):
        batch = [e for e in events if low < e.at <= high]
        until = None if finished and high == float("inf") else untils[step]
        resumed = folding.resume(progress, batch, rules, until)
        assert resumed is not None
        folded, progress = resumed
        seen += batch
        expected = folding.fold(
            seen, window=W, room_events=rooms, until=until, heartbeat_timeout=timeout
        )
        assert folded == expected
        low = high


def test_resuming_refuses_what_it_cannot_continue_exactly():
    rules = _rules()
    _, progress = folding.resume(folding.Progress(), [Event(1000, JOINED, "a")], rules, 2000)
    assert folding.resume(progress, [Event(1000, LEFT, "a")], rules, 2000) is None  # not later
    assert folding.resume(progress, [Event(1500, LEFT, "a")], rules, 1900) is None  # limit back
    other = _rules([Event(3000, ROOM_DESTROYED)])
    assert folding.resume(progress, [Event(1500, LEFT, "a")], other, 2000) is None
    assert folding.resume(progress, [Event(1500, LEFT, "a")], rules, 2000) is not None


def test_the_progress_of_a_long_lesson_stays_small():
    """Sixty reconnects (each stay closed) leave one merged interval and hardly a stay behind:
    the next fold starts from there, not from the whole lesson's evidence."""
    progress = folding.Progress()
    for n in range(60):
        batch = [Event(1000 + 60 * n, JOINED, f"c{n}"), Event(1050 + 60 * n, LEFT, f"c{n}")]
        folded, progress = folding.resume(progress, batch, _rules(), 1060 + 60 * n)
    assert [(i.start, i.end) for i in folded.intervals] == [(1000, 4590)]
    assert folded.intervals[0].connections == 60
    assert len(progress.merged) == 1 and not progress.runs
    assert len(progress.loose) <= 1 and len(progress.tail) <= 1
