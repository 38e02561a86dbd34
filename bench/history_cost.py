#!/usr/bin/env python3
"""Cost of composing one case's history through the gateway, for a case with about N events.

Run against the system started by deploy/local/up.sh (gateway on 127.0.0.1:8080):

    python3 bench/history_cost.py --events 1000 --runs 30

It opens one case, adds protection-plan measures (one triage event each) until the case holds
about N events across the services, then times GET /api/cases/{id}/history (and /verify and
/export) as an auditor, sequentially, and prints p50/p95/max in milliseconds. Bounded: it makes
about N + 3 x runs requests and stops by itself.
"""
import argparse
import datetime
import json
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid


def call(base, method, path, token=None, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status, response.read()


def token(base, user, role):
    _, body = call(base, "POST", "/auth/dev-token", body={"user": user, "roles": [role]})
    return json.loads(body)["token"]


def timed(base, path, auditor, runs):
    """Sequential calls timed by curl (Python's own HTTP client spends ~80 ms decoding a 0.5 MB chunked body)."""
    samples = []
    size = 0
    for _ in range(runs):
        out = subprocess.run(
            ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{time_total} %{size_download}",
             "-H", f"Authorization: Bearer {auditor}", base + path],
            check=True, capture_output=True, text=True).stdout.split()
        if out[0] != "200":
            sys.exit(f"GET {path} answered {out[0]}")
        samples.append(float(out[1]) * 1000)
        size = int(out[2])
    samples.sort()
    return {
        "p50_ms": round(statistics.median(samples), 1),
        "p95_ms": round(samples[max(0, int(len(samples) * 0.95) - 1)], 1),
        "max_ms": round(samples[-1], 1),
        "bytes": size,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gateway", default="http://127.0.0.1:8080")
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--case", help="measure this existing case instead of seeding a new one")
    args = parser.parse_args()

    officer = token(args.gateway, f"bench-officer-{uuid.uuid4().hex[:8]}", "officer")
    auditor = token(args.gateway, f"bench-auditor-{uuid.uuid4().hex[:8]}", "auditor")
    today = datetime.date.today()
    if args.case:
        measure(args, args.case, auditor, None)
        return
    status, body = call(args.gateway, "POST", "/api/cases", officer, {
        "defender": {"fullName": "Benchmark Defender", "location": {"country": "CO", "exactLocation": "benchmark"}},
        "consent": {"dataProcessing": True, "shareWithFunders": False, "shareWithRelocationHost": False},
        "threats": [{"type": "intimidation", "perpetrator": "unknown", "occurredOn": str(today - datetime.timedelta(days=30)),
                     "country": "CO", "description": "benchmark"}],
    })
    case_id = json.loads(body)["id"]

    for _ in range(100):  # triage takes the case in from intake's event
        try:
            call(args.gateway, "GET", f"/api/cases/{case_id}/triage", officer)
            break
        except urllib.error.HTTPError:
            time.sleep(0.1)

    def total_events():
        _, history = call(args.gateway, "GET", f"/api/cases/{case_id}/history", auditor)
        return len(json.loads(history)["entries"])

    started = time.perf_counter()
    missing = args.events - total_events()
    for i in range(max(0, missing)):
        call(args.gateway, "POST", f"/api/cases/{case_id}/plan/measures", officer, {
            "area": "threatsOnTheGround", "type": "check-in-call", "owner": "bench", "dueOn": str(today + datetime.timedelta(days=7))})
        if (i + 1) % 200 == 0:
            print(f"  seeded {i + 1}/{missing} events", file=sys.stderr, flush=True)
    measure(args, case_id, auditor, f"seeded in {time.perf_counter() - started:.1f} s")


def measure(args, case_id, auditor, seeding):
    _, history = call(args.gateway, "GET", f"/api/cases/{case_id}/history", auditor)
    events = len(json.loads(history)["entries"])
    print(f"case {case_id}: {events} events in its history" + (f" ({seeding})" if seeding else ""), file=sys.stderr)
    result = {
        "case": case_id,
        "events": events,
        "runs": args.runs,
        "history": timed(args.gateway, f"/api/cases/{case_id}/history", auditor, args.runs),
        "verify": timed(args.gateway, f"/api/cases/{case_id}/verify", auditor, args.runs),
        "export_jsonl": timed(args.gateway, f"/api/cases/{case_id}/export", auditor, max(5, args.runs // 3)),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
