"""Who posts for bench/attendance.py: Python threads or wrk, each timing the first and last
10% of its requests; and the CPU time of the processes serving them (Linux /proc)."""

import os
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

TOKEN = "bench-event-sync-token-0123456789"


def post_all(url_for, events, clients: int) -> dict:
    """POST every (path, body) from `clients` threads; per-request completion times kept."""
    import requests

    chunks = [events[i::clients] for i in range(clients)]
    stamps: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def run(chunk):
        http = requests.Session()
        http.headers.update(
            {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
        )
        mine, bad = [], 0
        for kind, body in chunk:
            response = http.post(url_for(kind), data=body, timeout=60)
            if response.status_code != 200:
                bad += 1
            mine.append(time.perf_counter())
        with lock:
            stamps.extend(mine)
            errors[0] += bad

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(run, chunks))
    elapsed = time.perf_counter() - began
    stamps.sort()
    tenth = max(1, len(stamps) // 10)

    def rate(part):
        return (len(part) - 1) / max(1e-9, part[-1] - part[0]) if len(part) > 1 else 0.0

    return {
        "elapsed": elapsed,
        "sent": len(stamps),
        "errors": errors[0],
        "rate": len(stamps) / elapsed,
        "first": rate(stamps[:tenth]),
        "last": rate(stamps[-tenth:]),
    }


def post_all_wrk(base: str, lines, clients: int, stored) -> dict:
    """The same requests from wrk (a load generator in C, `--load wrk`): `clients`
    connections, stopped once `stored()` has grown by len(lines). Rates come from the rows
    stored over time (sampled every 0.1 s), so the first and last 10% are timed as in
    post_all."""
    import signal
    import tempfile

    threads = max(1, min(clients, os.cpu_count() or 1))
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as out:
        out.writelines(f"{path}\t{body}\n" for path, body in lines)
    env = {**os.environ, "EVENTS": out.name, "TOKEN": TOKEN, "THREADS": str(threads)}
    script = str(ROOT / "bench" / "wrk_post.lua")
    command = ["wrk", f"-t{threads}", f"-c{clients}", "-d600s", "-s", script, base]
    total, start = len(lines), stored()
    samples = [(time.perf_counter(), 0)]
    wrk = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    try:
        # Each wrk thread stops once its share is answered, but wrk itself waits for its
        # duration: it is stopped once every line is stored and nothing more arrives.
        while wrk.poll() is None:
            time.sleep(0.1)
            samples.append((time.perf_counter(), stored() - start))
            if samples[-1][1] >= total and len(samples) > 4 and samples[-4][1] == samples[-1][1]:
                break
    finally:
        wrk.send_signal(signal.SIGINT)  # wrk stops and prints its summary
        report = wrk.communicate(timeout=30)[0]
        os.unlink(out.name)

    def reached(count):  # when `count` rows were stored, between two samples
        for (t0, c0), (t1, c1) in zip(samples, samples[1:], strict=False):
            if c1 >= count:
                return t0 + (t1 - t0) * (count - c0) / max(1, c1 - c0)
        return samples[-1][0]

    tenth = total // 10
    began = reached(1)  # from the first row stored: wrk's own start is not the server's time
    elapsed = reached(total) - began
    errors = sum(int(line.split(":")[1]) for line in report.splitlines() if "Non-2xx" in line)
    return {
        "elapsed": elapsed,
        "sent": min(total, samples[-1][1]),
        "errors": errors,
        "rate": (total - 1) / max(1e-9, elapsed),
        "first": tenth / max(1e-9, reached(tenth) - began),
        "last": tenth / max(1e-9, reached(total) - reached(total - tenth)),
    }


def cpu_seconds(pids) -> float:
    """User + system CPU time of these processes so far (Linux /proc; 0 elsewhere)."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found += [int(p) for p in task.read_text().split()]
    return found
