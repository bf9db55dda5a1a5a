"""Median and p95 response times of the programme's pages on a running demo.

Start the demo first (`make demo`, http://127.0.0.1:8000/), then:

    .venv/bin/python benchmarks/demo_pages.py [--base URL] [--user dinas] [--requests 20]

It signs in as a demo user (password `kampungkb-demo`), finds a Kampung KB, a partner and an
activity in that user's lists, and requests each page in turn, printing the median and p95 in
milliseconds and the median as a multiple of the baseline measured in the same run: the smallest
signed-in answer the server gives (`/api/accounts/me`, a few fields of JSON). The demo runs on SQLite behind Django's development server: the figures say how a
page costs next to the others, not what a production server answers at district scale (for that,
see `benchmarks/run.py`).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import re
import statistics
import time
import urllib.parse
import urllib.request

BASELINE = "/api/accounts/me"
PAGES = (
    BASELINE,
    "/",
    "/kampung/",
    "{kampung}",
    "/kampung/map/",
    "/activities/",
    "{activity}",
    "/activities/poktan/",
    "/partners/",
    "/partners/mous/",
    "{partner}",
    "/cadres/",
    "/cadres/dashboard/",
    "/cadres/meetings/",
    "/cadres/field-control/",
    "/cadres/incentives/",
    "{incentive}",
    "{incentive_line}",
    "/cadres/incentives/rules/",
    "/stunting/at-risk/?area={village}",
    "/participation/barriers/",
    "/reports/",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--user", default="dinas")
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )

    def get(path: str) -> str:
        with opener.open(args.base + path) as response:
            return str(response.read().decode())

    login = get("/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login)
    if token is None:
        raise SystemExit(f"no login form at {args.base}/accounts/login/: is the demo running?")
    form = {"username": args.user, "password": "kampungkb-demo"}
    form["csrfmiddlewaretoken"] = token.group(1)
    request = urllib.request.Request(  # noqa: S310
        args.base + "/accounts/login/",
        data=urllib.parse.urlencode(form).encode(),
        headers={"Referer": args.base + "/accounts/login/"},
    )
    opener.open(request).read()

    def first(path: str, pattern: str) -> str:
        found = re.search(pattern, get(path))
        if found is None:
            raise SystemExit(f"nothing like {pattern} on {path} for {args.user}")
        return found.group(0)

    links = {
        "kampung": first("/kampung/", r"/kampung/\d+/"),
        "partner": first("/partners/", r"/reports/partners/\d+/"),
        "activity": first("/activities/", r"/activities/\d+/"),
        "incentive": first("/cadres/incentives/", r"/cadres/incentives/\d+/"),
    }
    links["village"] = first(links["incentive"], r"\d\d\.\d\d\.\d\d\.\d{4}")
    links["incentive_line"] = first(links["incentive"], r"/cadres/incentives/lines/\d+/")
    print(f"{'page':34} {'median ms':>9} {'p95 ms':>7} {'x baseline':>10}")
    baseline = 0.0
    for page in PAGES:
        path = page.format(**links)
        times = []
        for _ in range(args.requests):
            start = time.perf_counter()
            get(path)
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        median, p95 = statistics.median(times), times[round(0.95 * (len(times) - 1))]
        baseline = baseline or median
        print(f"{path:34} {median:9.0f} {p95:7.0f} {median / baseline:10.1f}")


if __name__ == "__main__":
    main()
