#!/usr/bin/env python3
"""Latency of the customer list route (50 per page) for one account, over one keep-alive
connection to a running server; with --compare, against two servers in alternating
rounds of one run, with the ratio of their medians.

    dealervault demo --data-dir /tmp/dv1m --customers 1000000 --no-serve
    dealervault serve --data-dir /tmp/dv1m &
    scripts/list-latency.py --base http://127.0.0.1:8080 --user sales01 --requests 1000
    scripts/list-latency.py --base URL_SECURED --compare URL_BASELINE --rounds 5

Standard library only. Each request is a full list call through the gate: policy, SQL
under the row filter, decryption and masking, and the audit append in the same
transaction.
"""
import argparse
import http.client
import json
import statistics
import time
from urllib.parse import urlparse

ROUTE = "GET /api/v1/customers?per_page=50"


class Client:
    """One keep-alive connection, logged in as one account."""

    def __init__(self, base: str, user: str, password: str) -> None:
        url = urlparse(base)
        self.conn = http.client.HTTPConnection(url.hostname, url.port or 80)
        body = json.dumps({"username": user, "password": password})
        self.conn.request("POST", "/api/v1/auth/login", body, {"Content-Type": "application/json"})
        token = json.loads(self.conn.getresponse().read())["token"]
        self.headers = {"Authorization": f"Bearer {token}"}

    def call(self, page: int) -> float:
        start = time.perf_counter()
        self.conn.request("GET", f"/api/v1/customers?per_page=50&page={page}", headers=self.headers)
        r = self.conn.getresponse()
        data = r.read()
        elapsed = time.perf_counter() - start
        assert r.status == 200, (r.status, data[:200])
        return elapsed * 1000

    def measure(self, requests: int, pages: int) -> list:
        for i in range(50):  # warm-up: caches, connection pools
            self.call(i % pages + 1)
        return [self.call(i % pages + 1) for i in range(requests)]


def summary(samples: list) -> dict:
    samples = sorted(samples)
    q = statistics.quantiles(samples, n=100)
    return {"median_ms": round(statistics.median(samples), 3), "p90_ms": round(q[89], 3), "p99_ms": round(q[98], 3)}


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--base", default="http://127.0.0.1:8080")
    p.add_argument("--compare", help="a second server (the baseline), measured in alternating rounds")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--user", default="sales01")
    p.add_argument("--password", default="Demo#2026")
    p.add_argument("--requests", type=int, default=1000)
    p.add_argument("--pages", type=int, default=20, help="cycle through this many pages")
    a = p.parse_args()

    if not a.compare:
        samples = Client(a.base, a.user, a.password).measure(a.requests, a.pages)
        print(json.dumps({"route": ROUTE, "user": a.user, "requests": a.requests, **summary(samples)}))
        return
    secured, baseline = Client(a.base, a.user, a.password), Client(a.compare, a.user, a.password)
    s_samples, b_samples = [], []
    per_round = max(a.requests // a.rounds, 1)
    for _ in range(a.rounds):
        s_samples += secured.measure(per_round, a.pages)
        b_samples += baseline.measure(per_round, a.pages)
    s, b = summary(s_samples), summary(b_samples)
    print(json.dumps({
        "route": ROUTE, "user": a.user, "requests_each": per_round * a.rounds, "rounds": a.rounds,
        "secured": s, "baseline": b, "ratio_of_medians": round(b["median_ms"] / s["median_ms"], 3),
    }))


if __name__ == "__main__":
    main()
