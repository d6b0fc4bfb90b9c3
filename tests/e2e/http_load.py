#!/usr/bin/env python3
"""A load generator for the reconcile loop's HTTP server (used by reconcile_http_under_load.sh).

Holds --connections keep-alive connections to HOST:PORT and sends GET /metrics on them at --rate
requests a second in all, for --seconds. From the answers themselves it follows the loop's ticks
(run_reconcile_duration_seconds_count/_sum and run_last_success_timestamp_seconds), and it samples
the server process's resident memory (VmRSS of --pid) once a second. Prints the figures, then
FAIL lines for each limit broken; exits 1 if any was.
"""
import argparse
import asyncio
import re
import sys
import time

TICK_LINES = {
    "count": re.compile(rb"^run_reconcile_duration_seconds_count (\S+)$", re.M),
    "sum": re.compile(rb"^run_reconcile_duration_seconds_sum (\S+)$", re.M),
    "last_success": re.compile(rb"^run_last_success_timestamp_seconds (\S+)$", re.M),
    "successes": re.compile(rb'^run_reconcile_total\{result="success"\} (\S+)$', re.M),
}


class Figures:
    def __init__(self):
        self.latencies = []  # seconds, one per request answered 200
        self.failures = []  # why, one per request that failed
        self.reconnects = 0  # connections the server closed after Connection: close
        self.ticks = {}  # tick count -> (duration sum, last success, successes), as served
        self.rss_kib = []  # (seconds since the start, VmRSS)


async def read_response(reader):
    """Status, headers (lower-case names) and body of one response (Content-Length framed)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    return status, headers, body


def note_ticks(figures, body):
    found = {key: pattern.search(body) for key, pattern in TICK_LINES.items()}
    if not all(found.values()):
        return
    value = {key: float(match.group(1)) for key, match in found.items()}
    figures.ticks[int(value["count"])] = (value["sum"], value["last_success"], value["successes"])


async def one_connection(args, figures, first_send, end):
    """Sends one request every connections/rate seconds from `first_send` until `end`."""
    loop = asyncio.get_running_loop()
    period = args.connections / args.rate
    request = f"GET /metrics HTTP/1.1\r\nHost: {args.host}\r\n\r\n".encode()
    reader = writer = None
    next_send = first_send
    while next_send < end:
        await asyncio.sleep(max(0.0, next_send - loop.time()))
        try:
            if writer is None:
                reader, writer = await asyncio.wait_for(
                    asyncio.open_connection(args.host, args.port), args.timeout)
            sent = loop.time()
            writer.write(request)
            status, headers, body = await asyncio.wait_for(read_response(reader), args.timeout)
            if status != 200:
                raise RuntimeError(f"status {status}")
            figures.latencies.append(loop.time() - sent)
            note_ticks(figures, body)
            if headers.get("connection", "").lower() == "close":
                writer.close()
                writer = None
                figures.reconnects += 1
        except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, RuntimeError,
                ValueError, IndexError) as error:
            figures.failures.append(f"{type(error).__name__}: {error}")
            if writer is not None:
                writer.close()
            writer = None
        # A slot missed (an answer later than the period) is dropped, not caught up in a burst.
        next_send = max(next_send + period, loop.time())
    if writer is not None:
        writer.close()


def resident_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


async def sample_memory(args, figures, start, end):
    loop = asyncio.get_running_loop()
    while loop.time() < end:
        figures.rss_kib.append((loop.time() - start, resident_kib(args.pid)))
        await asyncio.sleep(1.0)
    figures.rss_kib.append((loop.time() - start, resident_kib(args.pid)))


async def generate(args, figures):
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.5  # connections spread over the first period
    end = start + args.seconds
    period = args.connections / args.rate
    tasks = [one_connection(args, figures, start + i * period / args.connections, end)
             for i in range(args.connections)]
    await asyncio.gather(sample_memory(args, figures, start, end), *tasks)


def percentile(sorted_values, fraction):
    return sorted_values[min(len(sorted_values) - 1, int(fraction * len(sorted_values)))]


def tick_waits(figures):
    """For each tick after the first seen: (its wait after the previous one, its duration)."""
    waits = []
    counts = sorted(figures.ticks)
    for before, after in zip(counts, counts[1:]):
        if after != before + 1:
            continue  # a tick's figures were never served: its wait is unknown
        sum_before, end_before, _ = figures.ticks[before]
        sum_after, end_after, _ = figures.ticks[after]
        duration = sum_after - sum_before
        waits.append((end_after - duration - end_before, duration))
    return waits


def report(args, figures):
    broken = []
    latencies = sorted(figures.latencies)
    answered = len(latencies)
    expected = int(args.rate * args.seconds)
    print(f"requests: {answered} answered of {expected} planned "
          f"({answered / args.seconds:.0f}/s), {len(figures.failures)} failed, "
          f"{figures.reconnects} reconnects after Connection: close")
    if latencies:
        print(f"latency: p50 {percentile(latencies, 0.50) * 1000:.1f} ms, "
              f"p99 {percentile(latencies, 0.99) * 1000:.1f} ms, "
              f"max {latencies[-1] * 1000:.1f} ms")
    if figures.failures:
        broken.append(f"{len(figures.failures)} requests failed, first: {figures.failures[:3]}")
    if answered < args.min_share * expected:
        broken.append(f"only {answered} requests answered, fewer than {args.min_share:.0%}")
    if latencies and percentile(latencies, 0.99) > args.max_p99:
        broken.append(f"p99 latency over {args.max_p99} s")

    waits = tick_waits(figures)
    if waits:
        longest_wait = max(wait for wait, _ in waits)
        longest_tick = max(duration for _, duration in waits)
        print(f"ticks: {len(figures.ticks)} seen, waits between them at most {longest_wait:.2f} s "
              f"(interval {args.interval} s), longest tick {longest_tick:.2f} s")
        if longest_wait > args.interval + args.tick_slack:
            broken.append(f"a tick waited {longest_wait:.2f} s, over interval + {args.tick_slack} s")
    if len(waits) < args.min_ticks:
        broken.append(f"only {len(waits)} ticks followed, fewer than {args.min_ticks}")
    if any(successes != count for count, (_, _, successes) in figures.ticks.items()):
        broken.append("some ticks did not succeed: their waits cannot be read")

    at_ten = next((kib for second, kib in figures.rss_kib if second >= 10), None)
    last = figures.rss_kib[-1][1]
    print(f"resident memory: {figures.rss_kib[0][1]} KiB at the start, {at_ten} KiB at 10 s, "
          f"{last} KiB at the end")
    if at_ten is None or last - at_ten > args.max_rss_growth_kib:
        broken.append(f"resident memory grew by {last - (at_ten or 0)} KiB from 10 s to the end, "
                      f"over {args.max_rss_growth_kib} KiB")
    for why in broken:
        print(f"FAIL: {why}")
    return not broken


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pid", type=int, required=True, help="the server's process")
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--rate", type=float, default=500, help="requests a second, in all")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--timeout", type=float, default=5, help="for one answer")
    parser.add_argument("--interval", type=float, default=1, help="the loop's --interval")
    parser.add_argument("--tick-slack", type=float, default=1)
    parser.add_argument("--min-ticks", type=int, default=5)
    parser.add_argument("--min-share", type=float, default=0.8,
                        help="of the planned requests, answered")
    parser.add_argument("--max-p99", type=float, default=1.0, help="seconds")
    parser.add_argument("--max-rss-growth-kib", type=int, default=2048)
    args = parser.parse_args()
    figures = Figures()
    asyncio.run(generate(args, figures))
    sys.exit(0 if report(args, figures) else 1)


if __name__ == "__main__":
    main()
