"""The benchmark's workloads, and the checks that every contender answers them alike.

A workload is one timed request and the contenders that serve it. Before anything is timed,
``check`` fetches each one from every contender with the same ``Host`` header: the API's and
raw's ``results`` must be equal (parsed JSON: same keys, order, nested order, URLs), page 200
reached through each one's own ``next`` links too, the API with its response cache on must
answer what it answers cold, and the limit server must answer the API's very bytes. A workload no target depends on may fail (say, a 503 on xlarge) and is left out.
"""

import argparse
import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bench import load
from bench.servers import Server

PAGE_SIZE = 50


class CheckFailed(SystemExit):
    """The contenders do not answer the same thing: timing them would compare different work."""


@dataclass
class Workload:
    """One timed request, and which contenders serve it."""

    name: str
    title: str
    path: str
    contenders: list[str]
    # A target depends on it: it must answer (else the run fails); others may fail and are noted.
    required: bool = True
    bytes: dict[str, int] = field(default_factory=dict)
    same: bool | None = None
    failure: str | None = None


def define_workloads(args: argparse.Namespace, facts: dict, compare_large: bool) -> list[Workload]:
    """The timed requests; raw and limit serve only the meetings lists (the ratio targets).

    ``api`` is the API with its response cache off (cold: every request does all the work);
    ``api-warm-local`` (and ``api-warm-redis`` with ``--redis-url``) the same API with the cache
    on, answering the same request over and over.
    """
    warm = warm_contenders(args)
    lists = ["api", *warm, "raw", "limit"] + (["api@large"] if compare_large else [])
    filtered = f"/meetings/?page_size={PAGE_SIZE}&official={args.official}&topic={args.topic}"
    return [
        Workload("list", f"meetings, first page of {PAGE_SIZE}", f"/meetings/?page_size={PAGE_SIZE}", lists),
        Workload(
            "filter",
            f"meetings of {args.official} on {args.topic} ({facts['filter_matches']} matches)",
            filtered,
            lists,
        ),
        # The deep page's path is only known once its cursor has been followed (see check).
        Workload("deep", f"meetings, page {args.deep_page} of {PAGE_SIZE}", "", ["api"]),
        Workload(
            "search",
            f"statements matching “{args.search}” ({facts['search_matches']:,} matches), page of 20",
            f"/statements/?search={args.search}&page_size=20",
            ["api", *warm],
        ),
        Workload("statement", "a statement's detail", f"/statements/{facts['statement_id']}/", ["api"]),
        Workload(
            "official",
            f"a typical official's detail ({facts['official_meetings'][facts['typical_official']]} meetings)",
            f"/officials/{facts['typical_official']}/",
            ["api"],
        ),
        Workload(
            "official-top",
            f"the most active official's detail ({facts['official_meetings'][args.official]:,} meetings)",
            f"/officials/{args.official}/",
            ["api"],
        ),
    ]


def warm_contenders(args: argparse.Namespace) -> list[str]:
    """The API with its response cache on: in each worker's memory, and in Redis when given."""
    return ["api-warm-local", *(["api-warm-redis"] if args.redis_url else [])]


# -- checks ---------------------------------------------------------------------------------------


def fetch(server: Server, path: str) -> bytes:
    """GET ``path`` from ``server`` with the benchmark's Host header; a non-200 is an error."""
    request = urllib.request.Request(server.base + path, headers={"Host": load.HOST_HEADER})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.read()
    except urllib.error.HTTPError as error:
        raise CheckFailed(f"{server.name} answered {error.code} to {path}: {error.read()[:500]!r}") from error


def local_path(url: str) -> str:
    """The path and query of an absolute link."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def follow(server: Server, path: str, hops: int) -> str:
    """The path reached from ``path`` by following ``next`` links ``hops`` times."""
    for hop in range(hops):
        link = json.loads(fetch(server, path))["next"]
        if link is None:
            raise CheckFailed(f"{server.name}: no next link after {hop + 1} pages of {PAGE_SIZE}")
        path = local_path(link)
    return path


def same_results(a: bytes, b: bytes, label: str) -> None:
    """Fail loudly, saying where, unless both pages hold the same ``results``."""
    left, right = json.loads(a)["results"], json.loads(b)["results"]
    if left == right:
        return
    if len(left) != len(right):
        raise CheckFailed(f"{label}: {len(left)} results against {len(right)}")
    for index, (x, y) in enumerate(zip(left, right, strict=True)):
        if x != y:
            keys = [k for k in dict.fromkeys([*x, *y]) if x.get(k) != y.get(k)]
            detail = {k: (x.get(k), y.get(k)) for k in keys[:3]}
            order = "" if list(x) == list(y) else f"; key order {list(x)} vs {list(y)}"
            raise CheckFailed(f"{label}: result {index} differs in {keys}{order}: {detail}")


def check(
    args: argparse.Namespace, workloads: list[Workload], contenders: dict[str, Server]
) -> dict[str, str]:
    """Fetch every workload once, compare api and raw, resolve the deep page; the limit pages."""
    pages: dict[str, str] = {}
    deep = next(w for w in workloads if w.name == "deep")
    try:
        deep.path = follow(contenders["api"], f"/meetings/?page_size={PAGE_SIZE}", args.deep_page - 1)
        raw_deep = follow(contenders["raw"], f"/meetings/?page_size={PAGE_SIZE}", args.deep_page - 1)
        same_results(
            fetch(contenders["api"], deep.path), fetch(contenders["raw"], raw_deep), "deep page, api vs raw"
        )
        print(f"  page {args.deep_page}: api and raw agree ({deep.path})", flush=True)
    except CheckFailed as error:
        give_up(deep, error)
    for workload in workloads:
        if workload.failure:
            continue
        try:
            body = fetch(contenders["api"], workload.path)
        except CheckFailed as error:
            give_up(workload, error)
            continue
        workload.bytes["api"] = len(body)
        pages[workload.path] = body.decode()
        for name in workload.contenders:
            if name in {"api", "limit"}:
                continue
            other = fetch(contenders[name], workload.path)
            workload.bytes[name] = len(other)
            if name == "raw":
                same_results(body, other, f"{workload.name}, api vs raw")
                workload.same = True
            elif name.startswith("api-warm"):
                same_results(body, other, f"{workload.name}, api vs {name}")
        agreed = " (api and raw agree)" if workload.same else ""
        print(f"  {workload.name}: {len(body):,} bytes{agreed}", flush=True)
    return {w.path: pages[w.path] for w in workloads if "limit" in w.contenders}


def give_up(workload: Workload, error: Exception) -> None:
    """Leave an optional workload out (noting why); a required one fails the run."""
    if workload.required:
        raise error
    workload.failure = str(error)
    print(f"  {workload.name}: left out: {error}", flush=True)


def check_limit(workloads: list[Workload], limit: Server, pages: dict[str, str]) -> None:
    """The limit server answers the API's very bytes."""
    for workload in workloads:
        if "limit" in workload.contenders:
            body = fetch(limit, workload.path)
            if body != pages[workload.path].encode():
                raise CheckFailed(f"{workload.name}: the limit server's bytes differ from the API's")
            workload.bytes["limit"] = len(body)
