#!/usr/bin/env python3
"""Median latency of the customer list route (50 per page) for one account, measured
over one keep-alive connection against a running server.

    dealervault demo --data-dir /tmp/dv1m --customers 1000000 --no-serve
    dealervault serve --data-dir /tmp/dv1m &
    scripts/list-latency.py --base http://127.0.0.1:8080 --user sales01 --requests 1000

Standard library only. Each request is a full list call through the gate: policy, SQL
under the row filter, masking, and the audit append in the same transaction.
"""
import argparse
import http.client
import json
import statistics
import time
from urllib.parse import urlparse


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--base", default="http://127.0.0.1:8080")
    p.add_argument("--user", default="sales01")
    p.add_argument("--password", default="Demo#2026")
    p.add_argument("--requests", type=int, default=1000)
    p.add_argument("--pages", type=int, default=20, help="cycle through this many pages")
    a = p.parse_args()

    url = urlparse(a.base)
    conn = http.client.HTTPConnection(url.hostname, url.port or 80)
    body = json.dumps({"username": a.user, "password": a.password})
    conn.request("POST", "/api/v1/auth/login", body, {"Content-Type": "application/json"})
    r = conn.getresponse()
    token = json.loads(r.read())["token"]
    headers = {"Authorization": f"Bearer {token}"}

    def call(page: int) -> float:
        start = time.perf_counter()
        conn.request("GET", f"/api/v1/customers?per_page=50&page={page}", headers=headers)
        r = conn.getresponse()
        data = r.read()
        elapsed = time.perf_counter() - start
        assert r.status == 200, (r.status, data[:200])
        return elapsed * 1000

    for i in range(50):  # warm-up: caches, connection pools
        call(i % a.pages + 1)
    samples = sorted(call(i % a.pages + 1) for i in range(a.requests))
    q = statistics.quantiles(samples, n=100)
    print(json.dumps({
        "route": "GET /api/v1/customers?per_page=50",
        "user": a.user,
        "requests": a.requests,
        "median_ms": round(statistics.median(samples), 3),
        "p90_ms": round(q[89], 3),
        "p99_ms": round(q[98], 3),
    }))


if __name__ == "__main__":
    main()
