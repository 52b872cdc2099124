"""Fast generation of realistic `cases` rows for the demo county (benchmarks only).

The rows are plain values per column of the `cases` table, built with numpy
(no `Case` objects, no `decide()`): a year of history of the demo county
桐庐县, ~95 % closed/archived, ~3 % open across the five open statuses with
stage deadlines around `now` (some overdue, some due soon, a few suspended),
a few % rejected/merged. Titles, addresses, categories, grids, sources,
priorities and reporters come from the demo world's `Reporter`; departments
from `Reference.suggest_department`; time limits from the category tree.

The rows satisfy `domain.workflow.check_invariants` (see `check_sample`).
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from commandcenter.domain.enums import Status
from commandcenter.domain.workflow import check_invariants
from commandcenter.sim.demo import COUNTY_CODE, HOURLY, DemoWorld, Reporter
from commandcenter.store import repo
from commandcenter.store import schema as t

COLUMNS: tuple[str, ...] = tuple(c.name for c in t.cases.columns)
DAY = 86_400
MIN = 60
YEAR_DAYS = 365
# working minutes -> calendar seconds (a working day of 450 min spans ~1.4 calendar days)
WORK_TO_CAL = 60 * 3.2
TZ_OFFSET = 8 * 3600  # Asia/Shanghai

OPEN_MIX = [  # status, share of the open cases, stage whose clock runs
    (Status.REPORTED, 0.05, "accept"),
    (Status.REGISTERED, 0.08, "dispatch"),
    (Status.DISPATCHED, 0.12, "sign"),
    (Status.IN_PROGRESS, 0.60, "handle"),
    (Status.AWAITING_CHECK, 0.15, "check"),
]


@dataclass
class Mix:
    open: float = 0.03
    rejected: float = 0.025
    merged: float = 0.008


def _ln(rng: np.random.Generator, median_s: np.ndarray | float, spread: float, n: int) -> np.ndarray:
    """Lognormal delays (seconds) around a median, at least a minute."""
    return np.maximum(60.0, np.asarray(median_s) * np.exp(rng.normal(0.0, spread, n)))


def _payload_pool(world: DemoWorld, size: int, seed: int) -> dict[str, Any]:
    rep = Reporter(world, random.Random(seed))
    cats = world.ref.categories
    ref = world.ref
    pool: dict[str, list[Any]] = {k: [] for k in (
        "title", "description", "source", "category_code", "priority", "severity", "lon", "lat", "address",
        "grid_code", "reporter_name", "reporter_phone", "township_code", "hotline", "accept", "dispatch",
        "handle", "check", "sev_ordinary")}
    for _ in range(size):
        p, _actor = rep.payload()
        lim = cats[p["category_code"]].limits
        assert lim is not None
        for k in ("title", "description", "source", "category_code", "priority", "severity", "lon", "lat",
                  "address", "grid_code"):
            pool[k].append(p[k])
        pool["reporter_name"].append(p.get("reporter_name", ""))
        pool["reporter_phone"].append(p.get("reporter_phone", ""))
        pool["township_code"].append(ref.centre_for_grid(p["grid_code"]) or COUNTY_CODE)
        pool["hotline"].append("centre_code" in p)
        pool["accept"].append(lim.accept)
        pool["dispatch"].append(lim.dispatch)
        pool["handle"].append(lim.handle)
        pool["check"].append(lim.check)
        pool["sev_ordinary"].append(p["severity"] == "ordinary")
    out: dict[str, Any] = dict(pool)
    for k in ("hotline", "accept", "dispatch", "handle", "check", "sev_ordinary"):
        out[k] = np.asarray(pool[k])
    return out


def _hour_weights(start: int, hours: int) -> np.ndarray:
    h = start // 3600 + np.arange(hours)
    local = h * 3600 + TZ_OFFSET
    hod = (local // 3600) % 24
    dow = (local // DAY + 3) % 7  # 1970-01-01 was a Thursday: +3 -> Monday=0
    w = np.asarray(HOURLY)[hod] * np.where(dow >= 5, 0.7, 1.0)
    return np.asarray(w / w.sum())


def generate(world: DemoWorld, n: int, now: int, seed: int = 330122, mix: Mix | None = None,
             pool_size: int = 50_000) -> dict[str, list[Any]]:
    """N rows as column lists (`COLUMNS` order), sorted by created_at, with unique codes."""
    mix = mix or Mix()
    rng = np.random.default_rng(seed)
    pool = _payload_pool(world, min(pool_size, max(n, 1)), seed)
    ref = world.ref

    n_open = round(n * mix.open)
    n_rej = round(n * mix.rejected)
    n_mrg = round(n * mix.merged)
    n_done = n - n_open - n_rej - n_mrg
    # status codes: 0..4 open (OPEN_MIX order), 5 closed, 6 archived, 7 rejected, 8 merged
    open_kind = rng.choice(len(OPEN_MIX), n_open, p=[s for _, s, _ in OPEN_MIX])
    kind = np.concatenate([open_kind, np.full(n_done, 5), np.full(n_rej, 7), np.full(n_mrg, 8)])
    pidx = rng.integers(0, len(pool["title"]), n)
    acc_l = pool["accept"][pidx] * WORK_TO_CAL
    dis_l = pool["dispatch"][pidx] * WORK_TO_CAL
    han_l = pool["handle"][pidx] * WORK_TO_CAL
    chk_l = pool["check"][pidx] * WORK_TO_CAL
    after_accept = dis_l + han_l + chk_l

    nan = np.full(n, np.nan)
    created = nan.copy()
    accepted, dispatched, signed, feedback, closed = nan.copy(), nan.copy(), nan.copy(), nan.copy(), nan.copy()
    stage_started, stage_deadline, due_soon, updated = nan.copy(), nan.copy(), nan.copy(), nan.copy()
    suspended_rem = nan.copy()

    # typical step delays
    d_acc = _ln(rng, 10 * MIN, 0.8, n)
    d_dis = _ln(rng, 15 * MIN, 0.8, n)
    d_sig = _ln(rng, 40 * MIN, 0.8, n)
    d_han = _ln(rng, pool["handle"][pidx] * MIN * rng.uniform(0.25, 0.7, n), 0.9, n) * 2.2
    d_chk = _ln(rng, 90 * MIN, 0.8, n)
    d_cls = _ln(rng, 20 * MIN, 0.8, n)

    # ---- finished cases (closed/archived, rejected, merged): created over the year
    fin = np.arange(n_open, n)
    w = _hour_weights(now - YEAR_DAYS * DAY, YEAR_DAYS * 24)
    hours = rng.choice(len(w), len(fin), p=w)
    created[fin] = (now - YEAR_DAYS * DAY) // 3600 * 3600 + hours * 3600.0 + rng.uniform(0, 3600, len(fin))

    done = np.flatnonzero(kind == 5)
    rework = np.zeros(n, dtype=np.int64)
    rework[done] = rng.random(len(done)) < 0.05
    accepted[done] = created[done] + d_acc[done]
    dispatched[done] = accepted[done] + d_dis[done]
    signed[done] = dispatched[done] + d_sig[done]
    feedback[done] = signed[done] + d_han[done]
    closed[done] = feedback[done] + d_chk[done] * (1 + 2 * rework[done]) + d_cls[done]
    # a case cannot be closed in the future: shift its timeline back
    late = done[closed[done] > now - 60]
    shift = closed[late] - (now - 60 - rng.uniform(0, 6 * 3600, len(late)))
    for arr in (created, accepted, dispatched, signed, feedback, closed):
        arr[late] -= shift
    rej = np.flatnonzero(kind == 7)
    updated[rej] = np.minimum(created[rej] + _ln(rng, 15 * MIN, 0.8, len(rej)), now - 1)
    mrg = np.flatnonzero(kind == 8)
    accepted[mrg] = np.where(rng.random(len(mrg)) < 0.5, created[mrg] + d_acc[mrg], np.nan)
    updated[mrg] = np.minimum(created[mrg] + d_acc[mrg] + _ln(rng, 30 * MIN, 0.8, len(mrg)), now - 1)

    # ---- open cases: the clock of the current stage started f * its length ago
    opn = np.arange(n_open)
    stage_len = np.select(
        [open_kind == 0, open_kind == 1, open_kind == 2, open_kind == 3, open_kind == 4],
        [acc_l[opn], dis_l[opn], np.minimum(han_l[opn], 8 * 3600), han_l[opn], chk_l[opn]],
    )
    u = rng.random(n_open)
    frac = np.where(u < 0.62, rng.uniform(0, 0.8, n_open),  # running normally
                    np.where(u < 0.78, rng.uniform(0.8, 1.0, n_open),  # due soon (last 20 %)
                             1.0 + np.minimum(rng.exponential(0.6, n_open), 6.0)))  # overdue
    start = now - frac * stage_len
    stage_started[opn] = start
    stage_deadline[opn] = start + stage_len
    due_soon[opn] = stage_deadline[opn] - 0.2 * stage_len
    # milestones before the current stage, backwards
    t_ = start.copy()
    k = open_kind
    fb_ = np.where(k == 4, t_, np.nan)
    t_ = np.where(k == 4, t_ - d_han[opn], t_)
    sg_ = np.where(k >= 3, t_, np.nan)
    t_ = np.where(k >= 3, t_ - d_sig[opn], t_)
    ds_ = np.where(k >= 2, t_, np.nan)
    t_ = np.where(k >= 2, t_ - d_dis[opn], t_)
    ac_ = np.where(k >= 1, t_, np.nan)
    t_ = np.where(k >= 1, t_ - d_acc[opn], t_)
    created[opn] = np.maximum(t_, now - YEAR_DAYS * DAY + 1)
    accepted[opn], dispatched[opn], signed[opn], feedback[opn] = ac_, ds_, sg_, fb_
    updated[opn] = start
    overdue_open = frac > 1.0

    # a few open cases are suspended (挂账): clock stopped
    susp = np.zeros(n, dtype=bool)
    susp[opn] = (k >= 2) & (rng.random(n_open) < 0.01)
    suspended_rem[susp] = np.maximum(0, stage_deadline[susp] - now)
    stage_deadline[susp] = np.nan
    due_soon[susp] = np.nan
    stage_started[susp] = np.nan

    deadline = np.where(np.isnan(accepted), np.nan, accepted + after_accept)

    # ---- centre, department, flags
    township = np.asarray(pool["township_code"], dtype=object)[pidx]
    hotline = pool["hotline"][pidx]
    centre = township.copy()
    # hotline reports land at the county; 80 % are handed down to the township
    stays_county = hotline & (rng.random(n) < 0.2)
    escalated = (~stays_county) & ((~pool["sev_ordinary"][pidx]) | (rng.random(n) < 0.04)) & (kind != 0) & (kind < 7)
    centre[stays_county | escalated] = COUNTY_CODE

    dept_cache: dict[tuple[str, str], str | None] = {}
    cat_codes = np.asarray(pool["category_code"], dtype=object)[pidx]
    has_dept = (kind >= 2) & (kind <= 6)
    department = np.full(n, None, dtype=object)
    by_centre = {c: [d.code for d in ref.departments_of(c)] for c in ref.centres}
    other = rng.random(n) < 0.03  # reassigned / returned to another department
    for i in np.flatnonzero(has_dept):
        key = (cat_codes[i], centre[i])
        d = dept_cache.get(key, "?")
        if d == "?":
            dd = ref.suggest_department(key[0], key[1])
            d = dept_cache[key] = dd.code if dd else None
        if other[i] or d is None:
            opts = by_centre[centre[i]]
            d = opts[int(rng.integers(len(opts)))]
        department[i] = d

    handle_due = dispatched + han_l
    handled_on_time = np.where(np.isnan(feedback), np.nan, (feedback <= handle_due).astype(float))
    closed_on_time = np.where(np.isnan(closed), np.nan, (closed <= deadline).astype(float))
    is_done = kind == 5
    late_handling = is_done & (feedback > handle_due)
    urge = np.zeros(n, dtype=np.int64)
    overdue_open_full = np.zeros(n, dtype=bool)
    overdue_open_full[opn] = overdue_open & (rng.random(n_open) < 0.4)
    urged = (late_handling & (rng.random(n) < 0.3)) | overdue_open_full
    urge[urged] = rng.integers(1, 4, int(urged.sum()))
    supervised = np.zeros(n, dtype=bool)
    supervised[opn] = overdue_open_full[opn] & (rng.random(n_open) < 0.25)
    supervised[done] = late_handling[done] & (rng.random(len(done)) < 0.05)
    # an urge after the deadline is the open case's last update
    upd_urge = overdue_open_full & ~np.isnan(stage_deadline)
    updated[upd_urge] = np.maximum(updated[upd_urge], np.minimum(stage_deadline[upd_urge] + 3600, now - 1))
    returned = has_dept & (rng.random(n) < 0.05)

    # closed -> evaluated (70 %) -> archived a month later
    evaluated = is_done & (rng.random(n) < 0.7)
    sat_code = rng.choice(3, n, p=[0.8, 0.15, 0.05])
    t_eval = closed + _ln(rng, 600 * MIN, 0.8, n)
    evaluated &= t_eval < now
    updated[done] = np.where(evaluated[done], t_eval[done], closed[done])
    t_arch = closed + rng.uniform(20, 40, n) * DAY
    archived = is_done & (t_arch < now)
    updated[archived] = np.maximum(updated[archived], t_arch[archived])
    kind[archived] = 6

    # versions: one per accepted command
    steps = np.array([1, 2, 3, 4, 5, 7, 8, 2, 3])
    version = steps[kind] + urge + supervised + evaluated + 2 * rework + 2 * returned + escalated

    # ---- order by creation, then codes (per local day) and ids
    order = np.argsort(created, kind="stable")

    def o(a: np.ndarray) -> np.ndarray:
        return a[order]

    created_o = o(created)
    day = ((created_o.astype(np.int64) + TZ_OFFSET) // DAY)
    uniq, first, inv = np.unique(day, return_index=True, return_inverse=True)
    seq = np.arange(n) - first[inv] + 1
    import datetime as _dt

    day_str = [(_dt.date(1970, 1, 1) + _dt.timedelta(days=int(d))).strftime("%Y%m%d") for d in uniq]
    codes = [f"{COUNTY_CODE}{day_str[d]}{s:05d}" for d, s in zip(inv.tolist(), seq.tolist(), strict=True)]
    raw = rng.bytes(16 * n)
    ids = [str(uuid.UUID(bytes=raw[i:i + 16], version=4)) for i in range(0, 16 * n, 16)]
    kind_o = o(kind)
    statuses = [Status.REPORTED, Status.REGISTERED, Status.DISPATCHED, Status.IN_PROGRESS, Status.AWAITING_CHECK,
                Status.CLOSED, Status.ARCHIVED, Status.REJECTED, Status.MERGED]
    status = [statuses[x].value for x in kind_o.tolist()]
    is_open = (kind_o <= 4).tolist()
    merged_into: list[str | None] = [None] * n
    merged_rows: list[int] = np.flatnonzero(kind_o == 8).tolist()
    for r in merged_rows:
        j = int(rng.integers(0, max(r, 1)))  # an earlier case
        merged_into[r] = ids[j] if j != r else ids[(r + 1) % n]
    centre_o = o(centre)
    sat_vals = ["satisfied", "basically", "unsatisfied"]
    ev_o = o(evaluated)
    sat = [sat_vals[s] if e else None for s, e in zip(o(sat_code).tolist(), ev_o.tolist(), strict=True)]
    done_o = (kind_o == 5) | (kind_o == 6)
    resolved = [(("county" if c == COUNTY_CODE else "township") if d else None)
                for c, d in zip(centre_o.tolist(), done_o.tolist(), strict=True)]

    def ints(a: np.ndarray) -> list[int | None]:
        a = o(a)
        mask = np.isnan(a)
        vals = np.where(mask, 0, a).astype(np.int64).tolist()
        for i in np.flatnonzero(mask).tolist():
            vals[i] = None
        return vals

    def bools(a: np.ndarray) -> list[bool | None]:
        a = o(a)
        mask = np.isnan(a)
        vals = (np.where(mask, 0, a) > 0).tolist()
        for i in np.flatnonzero(mask).tolist():
            vals[i] = None
        return vals

    def pooled(key: str) -> list[Any]:
        arr = np.asarray(pool[key], dtype=object)
        return arr[pidx[order]].tolist()

    zeros = [0] * n
    cols: dict[str, list[Any]] = {
        "id": ids,
        "code": codes,
        "title": pooled("title"),
        "description": pooled("description"),
        "category_code": pooled("category_code"),
        "source": pooled("source"),
        "priority": pooled("priority"),
        "severity": pooled("severity"),
        "reporter_name": pooled("reporter_name"),
        "reporter_phone": pooled("reporter_phone"),
        "lon": pooled("lon"),
        "lat": pooled("lat"),
        "address": pooled("address"),
        "grid_code": pooled("grid_code"),
        "township_code": o(township).tolist(),
        "centre_code": centre_o.tolist(),
        "department_code": o(department).tolist(),
        "status": status,
        "is_open": is_open,
        "version": o(version).astype(np.int64).tolist(),
        "supervised": o(supervised).tolist(),
        "suspended": o(susp).tolist(),
        "escalated": o(escalated).tolist(),
        "check_passed": done_o.tolist(),
        "urge_count": o(urge).tolist(),
        "return_count": o(returned.astype(np.int64)).tolist(),
        "rework_count": o(rework).tolist(),
        "reopen_count": zeros,
        "extension_minutes": [None] * n,
        "extension_reason": [""] * n,
        "stage_started_at": ints(stage_started),
        "stage_deadline": ints(stage_deadline),
        "due_soon_at": ints(due_soon),
        "deadline": ints(deadline),
        "suspended_remaining_s": ints(suspended_rem),
        "created_at": ints(created),
        "updated_at": ints(np.where(np.isnan(updated), created, updated)),
        "accepted_at": ints(accepted),
        "dispatched_at": ints(dispatched),
        "signed_at": ints(signed),
        "feedback_at": ints(feedback),
        "closed_at": ints(closed),
        "handled_on_time": bools(handled_on_time),
        "closed_on_time": bools(closed_on_time),
        "resolved_level": resolved,
        "satisfaction": sat,
        "merged_into": merged_into,
    }
    assert tuple(cols) == COLUMNS, set(cols) ^ set(COLUMNS)
    return cols


def batches(cols: dict[str, list[Any]], size: int, start: int = 0, stop: int | None = None
            ) -> Iterator[tuple[list[dict[str, Any]], list[tuple[Any, ...]]]]:
    """(row dicts, row tuples in COLUMNS order) per batch."""
    n = len(cols["id"]) if stop is None else stop
    lists = [cols[c] for c in COLUMNS]
    for i in range(start, n, size):
        j = min(i + size, n)
        tuples = list(zip(*(lst[i:j] for lst in lists), strict=True))
        dicts = [dict(zip(COLUMNS, tup, strict=True)) for tup in tuples]
        yield dicts, tuples


def check_sample(cols: dict[str, list[Any]], k: int = 5000, seed: int = 1) -> list[str]:
    """Workflow invariants on a sample of rows (an empty list: all consistent)."""
    n = len(cols["id"])
    rng = random.Random(seed)
    bad: list[str] = []
    for i in rng.sample(range(n), min(k, n)):
        row = {c: cols[c][i] for c in COLUMNS}
        for msg in check_invariants(repo.row_to_case(row)):
            bad.append(f"{row['code']} {row['status']}: {msg}")
    return bad


def summary(cols: dict[str, list[Any]], now: int) -> dict[str, Any]:
    from collections import Counter

    n = len(cols["id"])
    st = Counter(cols["status"])
    sd = cols["stage_deadline"]
    ds = cols["due_soon_at"]
    overdue = sum(1 for o, d in zip(cols["is_open"], sd, strict=True) if o and d is not None and d <= now)
    due_soon = sum(1 for o, d, s in zip(cols["is_open"], sd, ds, strict=True) if o and d is not None and s <= now < d)
    return {
        "rows": n,
        "status": dict(sorted(st.items(), key=lambda kv: -kv[1])),
        "open": sum(cols["is_open"]),
        "overdue_open": overdue,
        "due_soon_open": due_soon,
        "centres": len(set(cols["centre_code"])),
        "departments": len({d for d in cols["department_code"] if d}),
        "grids": len(set(cols["grid_code"])),
        "categories": len(set(cols["category_code"])),
        "created_span_days": round((min(now, max(cols["created_at"])) - min(cols["created_at"])) / DAY, 1),
        "unique_codes": len(set(cols["code"])) == n,
    }
