"""Scoring drafts against the gold set (tests/data/gold/): `make score`.

Each gold article is drafted against a throwaway database that holds every *other* gold fixture
(leave-one-out: officials, posts and topics another article taught the database are fair to know;
the article's own fixture is not), inside a transaction rolled back afterwards. ``--cold`` drafts
against an empty database instead: every official must then be proposed from the text alone.
"""

import datetime
import json
import time
from collections import Counter
from pathlib import Path

from django.db import connection, transaction

from briefing.drafting.directory import core_tokens
from briefing.drafting.fixture import draft_fixture

GOLD = Path(__file__).resolve().parents[2] / "tests" / "data" / "gold"


def gold_paths(directory: Path = GOLD) -> list[Path]:
    return sorted(directory.glob("*.json"))


def draft_gold(path: Path) -> tuple[dict, dict, float]:
    """(gold, draft, seconds) for one gold article, drafted against the database as it is."""
    from briefing.drafting.text import read_article_text

    gold = json.loads(path.read_text(encoding="utf-8"))
    title, body = read_article_text(path.with_suffix(".txt").read_bytes())
    article = gold["article"]
    published = datetime.date.fromisoformat(article["published_on"]) if article.get("published_on") else None
    began = time.perf_counter()
    draft = draft_fixture(
        title=title, body=body, published_on=published, publisher=article.get("publisher", ""),
        url=article.get("url", ""), slug=article["slug"],
    )  # fmt: skip
    return gold, draft, time.perf_counter() - began


def leave_one_out(paths: list[Path], visit, *, cold: bool = False) -> None:
    """Call ``visit(path)`` for each gold file with every other one imported (or none, ``cold``).

    Halves are imported under savepoints and rolled back (n·log n imports, not n²): for each
    half, the other half is imported, then the half is split again.
    """
    from briefing.services.importer import fixture_import

    def load(items: list[Path]) -> None:
        for item in items:
            fixture_import(data=json.loads(item.read_text(encoding="utf-8")), source=item.name)

    def solve(items: list[Path]) -> None:
        if len(items) == 1:
            visit(items[0])
            return
        half = len(items) // 2
        for inside, outside in ((items[:half], items[half:]), (items[half:], items[:half])):
            savepoint = transaction.savepoint()
            try:
                if not cold:
                    load(outside)
                solve(inside)
            finally:
                transaction.savepoint_rollback(savepoint)

    with transaction.atomic():
        solve(paths)


def _people(fixture: dict, stored: dict[str, list[str]]) -> dict[str, list[str]]:
    names = dict(stored)
    for o in fixture.get("officials", []):
        names[o["slug"]] = [o["name"], *o.get("aliases", [])]
    return names


def _key(name: str) -> str:
    tokens = core_tokens(name)
    return f"{tokens[0]} {tokens[-1]}".lower() if len(tokens) > 1 else name.lower()


def official_map(draft: dict, gold: dict, stored: dict[str, list[str]]) -> dict[str, str | None]:
    """Each draft official's slug → the gold official it is (same slug, same name or alias, or
    the only gold official of that surname), or None."""
    draft_names = _people(draft, stored)
    gold_names = _people(gold, {})
    by_key = {}
    by_surname: dict[str, set[str]] = {}
    for slug, names in gold_names.items():
        for n in names:
            by_key[_key(n)] = slug
            if core_tokens(n):
                by_surname.setdefault(core_tokens(n)[-1].lower(), set()).add(slug)
    mapping = {}
    for slug, names in draft_names.items():
        if slug in gold_names:
            mapping[slug] = slug
            continue
        found = None
        for n in names:
            if _key(n) in by_key:
                found = by_key[_key(n)]
                break
        if found is None:
            for n in names:
                tokens = core_tokens(n)
                if tokens and len(by_surname.get(tokens[-1].lower(), ())) == 1:
                    found = next(iter(by_surname[tokens[-1].lower()]))
                    break
        mapping[slug] = found
    return mapping


def score_article(gold: dict, draft: dict, stored: dict[str, list[str]]) -> dict:
    """The figures for one article."""
    mapping = official_map(draft, gold, stored)
    gq = [s for s in gold["statements"] if s["kind"] == "quote"]
    dq = [s for s in draft["statements"] if s["kind"] == "quote"]
    gspans = {(s["start"], s["start"] + len(s["text"])): s for s in gq}
    dspans = {(s["start"], s["start"] + len(s["text"])): s for s in dq}
    exact = set(gspans) & set(dspans)

    def overlaps(a, spans):
        return any(a[0] < b[1] and b[0] < a[1] for b in spans)

    result = Counter(
        gold_quotes=len(gspans), draft_quotes=len(dspans), exact=len(exact),
        overlap_precision_hits=sum(overlaps(d, gspans) for d in dspans),
        overlap_recall_hits=sum(overlaps(g, dspans) for g in gspans),
    )  # fmt: skip
    methods: dict[str, Counter] = {}
    misses = []
    for span, g in gspans.items():
        d = dspans.get(span)
        if d is None:
            candidates = [s for k, s in dspans.items() if k[0] < span[1] and span[0] < k[1]]
            d = candidates[0] if candidates else None
        m = methods.setdefault(g.get("attribution", "?"), Counter())
        m["gold"] += 1
        if d is None:
            misses.append(f"quote not drafted: “{g['text'][:50]}”")
            continue
        got = mapping.get(d["speaker"]) if d["speaker"] else None
        right = got == g["speaker"]
        m["drafted"] += 1
        m["right"] += right
        m["same_method"] += d["attribution"] == g.get("attribution")
        result["speaker_scored"] += 1
        result["speaker_right"] += right
        if g["speaker"] is None:
            result["gold_unknown"] += 1
            result["unknown_named"] += d["speaker"] is not None
        elif d["speaker"] is None:
            result["named_left_unknown"] += 1
        if not right:
            misses.append(
                f"speaker of “{g['text'][:40]}”: drafted {d['speaker']} ({d['attribution']}), gold {g['speaker']} ({g.get('attribution')})"
            )
        if d.get("attribution_text") == g.get("attribution_text"):
            result["attribution_text_exact"] += 1
    for span, d in dspans.items():
        if span not in gspans:
            misses.append(f"drafted span not in gold: “{d['text'][:50]}”")

    # Meetings: matched on participants (Jaccard ≥ 0.5), best pairs first.
    gm = [(m, {p["official"] for p in m["participants"]}) for m in gold.get("meetings", [])]
    dm = [
        (m, {mapping.get(p["official"]) or f"?{p['official']}" for p in m["participants"]})
        for m in draft.get("meetings", [])
    ]
    pairs = []
    for i, (g, gp) in enumerate(gm):
        for j, (d, dp) in enumerate(dm):
            jaccard = len(gp & dp) / len(gp | dp)
            if jaccard >= 0.5:
                pairs.append(
                    (
                        jaccard
                        + (0.01 if g["date"] == d["date"] else 0)
                        + (0.01 if g["kind"] == d["kind"] else 0),
                        i,
                        j,
                    )
                )
    used_g, used_d, matched = set(), set(), []
    for _, i, j in sorted(pairs, reverse=True):
        if i not in used_g and j not in used_d:
            used_g.add(i), used_d.add(j), matched.append((i, j))
    result["gold_meetings"], result["draft_meetings"], result["matched_meetings"] = (
        len(gm),
        len(dm),
        len(matched),
    )
    for i, j in matched:
        (g, gp), (d, dp) = gm[i], dm[j]
        result["participant_tp"] += len(gp & dp)
        result["participant_fp"] += len(dp - gp)
        result["participant_fn"] += len(gp - dp)
        if d["date"] == g["date"]:
            result["date_right"] += 1
        elif d["date"] is None:
            result["date_unknown"] += 1
            misses.append(f"meeting {g['slug']}: date left unknown (gold {g['date']})")
        else:
            result["date_wrong"] += 1
            misses.append(f"meeting {g['slug']}: date {d['date']} drafted, gold {g['date']}")
        result["kind_right"] += d["kind"] == g["kind"]
        if gp != dp:
            misses.append(f"meeting {g['slug']}: participants {sorted(dp)} drafted, gold {sorted(gp)}")
    for i, (g, gp) in enumerate(gm):
        if i not in used_g:
            result["participant_fn_unmatched"] += len(gp)
            misses.append(f"meeting not drafted: {g['slug']}")
    for j, (d, dp) in enumerate(dm):
        if j not in used_d:
            result["participant_fp_unmatched"] += len(dp)
            misses.append(f"drafted meeting not in gold: {d['title']} ({d['date']})")
    return {"counts": result, "methods": methods, "misses": misses}


def _pct(n: int, d: int) -> str:
    return f"{100 * n / d:5.1f}%" if d else "   – "


def _f1(tp: int, fp: int, fn: int) -> str:
    return _pct(2 * tp, 2 * tp + fp + fn)


def report(results: list[tuple[str, dict, float]]) -> str:
    """The score table, per article and overall, then what was missed."""
    header = (
        f"{'article':46} {'quotes':>6} {'P exact':>7} {'R exact':>7} {'P ovl':>6} {'R ovl':>6} "
        f"{'speaker':>7} {'unk→name':>8} {'mtg P':>6} {'mtg R':>6} {'date ok':>7} {'date ?':>6} {'date ✗':>6} "
        f"{'part F1':>7} {'ms':>5}"
    )
    lines = [header, "-" * len(header)]
    total = Counter()
    methods: dict[str, Counter] = {}
    for name, scored, seconds in results:
        c = scored["counts"]
        total += c
        total["ms"] += round(seconds * 1000)
        for k, v in scored["methods"].items():
            methods.setdefault(k, Counter()).update(v)
        lines.append(_row(name[:46], c, seconds * 1000))
    lines.append("-" * len(header))
    lines.append(_row("overall", total, total["ms"]))
    c = total
    lines.append("")
    lines.append(
        "participant F1 counting unmatched meetings too: "
        + _f1(
            c["participant_tp"],
            c["participant_fp"] + c["participant_fp_unmatched"],
            c["participant_fn"] + c["participant_fn_unmatched"],
        )
        + f"; meeting kind right in {c['kind_right']}/{c['matched_meetings']} matched meetings"
        + f"; attribution_text exactly as gold in {c['attribution_text_exact']}/{c['speaker_scored']}"
    )
    lines.append("")
    lines.append(
        f"{'gold attribution':18} {'quotes':>6} {'drafted':>7} {'speaker right':>13} {'same method':>11}"
    )
    for method in ("name", "title", "pronoun", "continuation", "none"):
        m = methods.get(method, Counter())
        lines.append(
            f"{method:18} {m['gold']:6} {m['drafted']:7} {_pct(m['right'], m['drafted']):>13} {_pct(m['same_method'], m['drafted']):>11}"
        )
    lines.append("")
    for name, scored, _ in results:
        for miss in scored["misses"]:
            lines.append(f"{name}: {miss}")
    return "\n".join(lines)


def _row(name: str, c: Counter, ms: float) -> str:
    return (
        f"{name:46} {c['gold_quotes']:6} {_pct(c['exact'], c['draft_quotes']):>7} {_pct(c['exact'], c['gold_quotes']):>7} "
        f"{_pct(c['overlap_precision_hits'], c['draft_quotes']):>6} {_pct(c['overlap_recall_hits'], c['gold_quotes']):>6} "
        f"{_pct(c['speaker_right'], c['speaker_scored']):>7} {c['unknown_named']:>4}/{c['gold_unknown']:<3} "
        f"{_pct(c['matched_meetings'], c['draft_meetings']):>6} {_pct(c['matched_meetings'], c['gold_meetings']):>6} "
        f"{c['date_right']:7} {c['date_unknown']:6} {c['date_wrong']:6} "
        f"{_f1(c['participant_tp'], c['participant_fp'], c['participant_fn']):>7} {ms:5.0f}"
    )


def score(*, cold: bool = False, paths: list[Path] | None = None) -> tuple[str, Counter]:
    """Draft and score every gold article; (the printed table, the overall counts)."""
    paths = paths or gold_paths()
    results = []
    total = Counter()

    def visit(path: Path) -> None:
        gold, draft, seconds = draft_gold(path)
        stored = {}
        if not cold:
            # What the database knew while drafting: the other gold articles' officials.
            for other in paths:
                if other != path:
                    for o in json.loads(other.read_text(encoding="utf-8")).get("officials", []):
                        stored[o["slug"]] = [o["name"], *o.get("aliases", [])]
        scored = score_article(gold, draft, stored)
        results.append((path.stem, scored, seconds))
        total.update(scored["counts"])

    leave_one_out(paths, visit, cold=cold)
    results.sort()
    return report(results), total


def run_in_throwaway_database(*, cold: bool = False) -> str:
    """Create an in-memory test database, migrate it, score, and drop it again."""
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    # Tables straight from the models: the scorer needs no data migration, and it is 8 s faster.
    connection.settings_dict.setdefault("TEST", {})["MIGRATE"] = False
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        table, _ = score(cold=cold)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
    return table
