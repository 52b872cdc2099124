"""The demo county 桐庐县: org tree with grid polygons, centres, departments,
users for every role, and a realistic case history.

The history is produced by running the domain's `decide()` over simulated
timelines (so every stored case and history record is one the workflow
allows) and bulk-written with Core executemany.
"""

from __future__ import annotations

import logging
import math
import random
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, insert

from ..domain.case import Actor, Case, Command
from ..domain.enums import CommandType as C
from ..domain.enums import OrgLevel, Priority, Role, Satisfaction, Severity, Source, Status
from ..domain.org import Category, Centre, Department, Reference, load_categories
from ..domain.sla import WorkCalendar, load_calendar
from ..domain.timeutil import local
from ..domain.workflow import Context, decide
from ..resources import data_path
from ..services.auth import DISABLED, hash_password
from ..store import repo
from ..store import schema as t
from ..store.engine import write_tx
from .geometry import DemoGeometry, build_demo_geometry

log = logging.getLogger(__name__)

COUNTY_CODE = "330122"
COUNTY_CENTRE_NAME = "桐庐县社会治理综合指挥中心"
DEMO_PASSWORD = "demo1234"

COUNTY_DEPARTMENTS = [
    ("police", "桐庐县公安局", "公安"),
    ("enforcement", "桐庐县综合行政执法局", "综合执法"),
    ("market", "桐庐县市场监督管理局", "市场监管"),
    ("ecology", "杭州市生态环境局桐庐分局", "生态环境"),
    ("emergency", "桐庐县应急管理局", "应急管理"),
    ("fire", "桐庐县消防救援大队", "消防"),
    ("housing", "桐庐县住房和城乡建设局", "住建"),
    ("transport", "桐庐县交通运输局", "交通"),
    ("civil", "桐庐县民政局", "民政"),
    ("justice", "桐庐县司法局", "司法"),
    ("health", "桐庐县卫生健康局", "卫健"),
    ("water", "桐庐县水利水电局", "水利"),
    ("power", "国网桐庐县供电公司", "供电"),
    ("natural_resources", "桐庐县自然资源和规划局", "自然资源"),
    ("agriculture", "桐庐县农业农村局", "农业农村"),
    ("education", "桐庐县教育局", "教育"),
    ("hrss", "桐庐县人力资源和社会保障局", "人力社保"),
    ("governance", "桐庐县综治中心", "综治"),
    ("service", "桐庐县行政服务中心", "便民服务"),
]
# the four township platforms and the stations every township has
TOWNSHIP_DEPARTMENTS = [
    ("governance", "{t}综治工作平台", "综治工作"),
    ("market", "{t}市场监管平台", "市场监管"),
    ("enforcement", "{t}综合执法平台", "综合执法"),
    ("service", "{t}便民服务平台", "便民服务"),
    ("police", "{t}派出所", "派出所"),
    ("justice", "{t}司法所", "司法所"),
    ("emergency", "{t}应急消防管理站", "应急消防"),
    ("power", "{t}供电所", "供电所"),
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华志强海燕玉兰红梅晓东晓明丽娟春梅小红建军海涛振华国强文斌"

SOURCE_MIX = [
    (Source.GRID_WORKER, 58),
    (Source.HOTLINE_12345, 16),
    (Source.HOTLINE_967999, 8),
    (Source.VIDEO, 10),
    (Source.VISIT, 4),
    (Source.LEADER, 1),
    (Source.TRANSFER, 3),
]
# reports per hour of day (Beijing time), relative
HOURLY = [1, 0.6, 0.4, 0.3, 0.3, 0.5, 1.2, 2.5, 5, 7, 7.5, 6, 3.5, 4, 6.5, 7, 6.5, 5, 3.5, 3, 2.8, 2.4, 2, 1.4]
STREETS = ["迎春南路", "白云源路", "学圣路", "富春路", "梅蓉路", "瑶琳路", "春江路", "洋洲路", "城南路", "凤川路",
           "分水大道", "百江路", "横村大道", "江南路", "桐君路", "旧县路", "合村路", "新合路", "钟山路", "莪山路"]
TITLE_PLACES = ["菜市场门口", "小区东门", "学校附近", "公交站旁", "桥头", "村委会旁", "农贸市场", "沿江绿道", "停车场",
                "路口", "商铺前", "河道边", "山脚下", "老街", "工业园区"]


@dataclass
class DemoWorld:
    geometry: DemoGeometry
    ref: Reference
    org_rows: list[dict[str, Any]]
    centres: list[Centre]
    departments: list[Department]
    categories: list[Category]
    users: list[dict[str, Any]]
    grid_workers: dict[str, Actor] = field(default_factory=dict)  # grid code -> its worker


def person_name(rng: random.Random) -> str:
    n = 1 if rng.random() < 0.45 else 2
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(n))


def phone_number(rng: random.Random) -> str:
    return rng.choice(["138", "139", "137", "135", "158", "159", "188", "187", "150", "152", "181", "177"]) + (
        f"{rng.randrange(10**8):08d}"
    )


def build_world(seed: int = 330122, password_cost: int = 2**12) -> DemoWorld:
    """The demo county's reference data and users (no cases)."""
    geo = build_demo_geometry(seed)
    rng = random.Random(seed)
    org_rows: list[dict[str, Any]] = [
        {
            "code": u.code,
            "name": u.name,
            "level": u.level,
            "parent_code": u.parent_code,
            "geometry": _dump(u.geometry),
            "centroid_lon": u.centroid[0],
            "centroid_lat": u.centroid[1],
            "area_km2": u.area_km2,
        }
        for u in geo.units()
    ]
    centres = [Centre(COUNTY_CODE, COUNTY_CENTRE_NAME, OrgLevel.COUNTY)]
    centres += [Centre(tw.code, f"{tw.name}综合信息指挥室", OrgLevel.TOWNSHIP, COUNTY_CODE) for tw in geo.townships]
    depts = [Department(f"{COUNTY_CODE}-{k}", name, k, COUNTY_CODE, short) for k, name, short in COUNTY_DEPARTMENTS]
    for tw in geo.townships:
        depts += [
            Department(f"{tw.code}-{k}", name.format(t=tw.name), k, tw.code, short)
            for k, name, short in TOWNSHIP_DEPARTMENTS
        ]
    cats = load_categories(data_path("categories.json"))
    ref = Reference.build([], centres, depts, cats)
    from ..domain.org import OrgUnit

    ref.org_units = {r["code"]: OrgUnit(r["code"], r["name"], OrgLevel(r["level"]), r["parent_code"]) for r in org_rows}

    demo_hash = hash_password(DEMO_PASSWORD, n=password_cost)
    users: list[dict[str, Any]] = []

    def add(username: str, name: str, role: Role, centre: str | None, dept: str | None, login: bool) -> None:
        users.append(
            {
                "username": username,
                "display_name": name,
                "role": role.value,
                "centre_code": centre,
                "department_code": dept,
                "phone": phone_number(rng),
                "password_hash": demo_hash if login else DISABLED,
                "active": True,
            }
        )

    # the county centre: every role, with the demo password
    for username, role in [
        ("operator", Role.OPERATOR),
        ("operator2", Role.OPERATOR),
        ("lead", Role.SHIFT_LEAD),
        ("supervisor", Role.SUPERVISOR),
        ("wall", Role.WALL),
        ("admin", Role.ADMIN),
        ("auditor", Role.AUDITOR),
    ]:
        add(username, person_name(rng), role, COUNTY_CODE, None, True)
    for i, tw in enumerate(geo.townships, start=1):
        add(f"t{i:02d}op", person_name(rng), Role.OPERATOR, tw.code, None, True)
        add(f"t{i:02d}lead", person_name(rng), Role.SHIFT_LEAD, tw.code, None, True)
    for d in depts:
        add(f"h-{d.code}", person_name(rng), Role.DEPT_HANDLER, d.centre_code, d.code, d.centre_code == COUNTY_CODE)
    world = DemoWorld(geo, ref, org_rows, centres, depts, cats, users)
    for g in geo.grids:
        name = person_name(rng)
        uname = f"g{g.code}"
        township = g.code[:9]
        add(uname, name, Role.GRID_WORKER, township, None, False)
        world.grid_workers[g.code] = Actor(uname, Role.GRID_WORKER, township, None, name)
    return world


def _dump(geometry: dict[str, Any]) -> str:
    import json

    return json.dumps(geometry, separators=(",", ":"))


def write_world(engine: Engine, world: DemoWorld) -> None:
    with write_tx(engine) as conn:
        repo.write_reference(conn, world.org_rows, world.centres, world.departments, world.categories)
        conn.execute(insert(t.users), world.users)
        repo.set_meta(conn, "county_code", COUNTY_CODE)
        repo.set_meta(conn, "county_name", "桐庐县")


# ---------------------------------------------------------------- history


class Actors:
    """Who plays each part in the simulation."""

    def __init__(self, world: DemoWorld) -> None:
        self.world = world
        self.by_centre: dict[tuple[str, Role], Actor] = {}
        self.handlers: dict[str, Actor] = {}
        for u in world.users:
            a = Actor(u["username"], Role(u["role"]), u["centre_code"], u["department_code"], u["display_name"])
            if a.role is Role.DEPT_HANDLER and a.department_code:
                self.handlers[a.department_code] = a
            elif a.role in (Role.OPERATOR, Role.SHIFT_LEAD, Role.SUPERVISOR) and a.centre_code:
                self.by_centre.setdefault((a.centre_code, a.role), a)
        sup = self.by_centre.get((COUNTY_CODE, Role.SUPERVISOR))
        assert sup is not None
        self.supervisor = sup

    def operator(self, centre: str) -> Actor:
        return self.by_centre[(centre, Role.OPERATOR)]

    def lead(self, centre: str) -> Actor:
        return self.by_centre[(centre, Role.SHIFT_LEAD)]


class Reporter:
    """Makes plausible new reports (used by the history and the live simulator)."""

    def __init__(self, world: DemoWorld, rng: random.Random) -> None:
        self.world = world
        self.rng = rng
        leaves = [c for c in world.categories if c.is_leaf]
        # the social family a little more often; 其他 rarely
        self.leaves = leaves
        self.leaf_weights = [(0.25 if c.code.endswith("99") else 1.0) * (1.2 if c.family == "social" else 1.0)
                             for c in leaves]
        grids = world.geometry.grids
        # more reports from dense (small) urban grids
        self.grids = grids
        self.grid_weights = [1.0 / math.sqrt(max(g.area_km2, 0.05)) for g in grids]

    def payload(self) -> tuple[dict[str, Any], Actor | None]:
        rng = self.rng
        source = rng.choices([s for s, _ in SOURCE_MIX], [w for _, w in SOURCE_MIX])[0]
        cat = rng.choices(self.leaves, self.leaf_weights)[0]
        grid = rng.choices(self.grids, self.grid_weights)[0]
        lon, lat = self.world.geometry.random_point_in(grid, rng)
        township = self.world.geometry.unit(grid.code[:9]).name
        village = self.world.geometry.unit(grid.code[:12]).name
        place = rng.choice(TITLE_PLACES)
        street = rng.choice(STREETS)
        r = rng.random()
        priority = Priority.CRITICAL if r < 0.02 else Priority.URGENT if r < 0.12 else Priority.NORMAL
        if cat.limits and cat.limits.handle <= 240:
            priority = Priority.URGENT if priority is Priority.NORMAL else priority
        s = rng.random()
        severity = Severity.EXTREME if s < 0.002 else Severity.SERIOUS if s < 0.01 else (
            Severity.MAJOR if s < 0.06 else Severity.ORDINARY)
        payload: dict[str, Any] = {
            "title": f"{village}{place}{cat.name}",
            "description": f"{township}{village}{street}{place}发现{cat.name}，请尽快处理。",
            "source": source.value,
            "category_code": cat.code,
            "priority": priority.value,
            "severity": severity.value,
            "lon": round(lon, 6),
            "lat": round(lat, 6),
            "address": f"桐庐县{township}{village}{street}{rng.randint(1, 399)}号附近",
            "grid_code": grid.code,
        }
        actor: Actor | None = None
        if source in (Source.GRID_WORKER, Source.VIDEO):
            actor = self.world.grid_workers[grid.code] if source is Source.GRID_WORKER else None
        if source in (Source.HOTLINE_12345, Source.HOTLINE_967999, Source.VISIT, Source.LEADER, Source.TRANSFER):
            payload["reporter_name"] = person_name(rng)
            payload["reporter_phone"] = phone_number(rng)
            payload["centre_code"] = COUNTY_CODE  # hotlines land at the county centre
        return payload, actor


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _minutes(rng: random.Random, median: float, spread: float = 0.8) -> timedelta:
    return timedelta(minutes=max(1.0, rng.lognormvariate(math.log(median), spread)))


class HistoryBuilder:
    """Plays cases through the workflow on simulated timelines."""

    def __init__(self, world: DemoWorld, calendar: WorkCalendar, rng: random.Random) -> None:
        self.world = world
        self.ref = world.ref
        self.cal = calendar
        self.rng = rng
        self.actors = Actors(world)
        self.reporter = Reporter(world, rng)
        self.day_seq: Counter[str] = Counter()
        self.cases: list[Case] = []
        self.history: list[dict[str, Any]] = []
        self.refused = 0

    def _code(self, at: datetime) -> str:
        day = local(at).strftime("%Y%m%d")
        self.day_seq[day] += 1
        return f"{COUNTY_CODE}{day}{self.day_seq[day]:05d}"

    def _do(self, case: Case | None, ctype: C, actor: Actor, at: datetime, case_id: str = "",
            target: Case | None = None, **payload: Any) -> Case | None:
        ctx = Context(self.ref, self.cal, at, target=target)
        if ctype is C.CREATE:
            ctx.new_code = self._code(at)
        cmd = Command(ctype, case.id if case else case_id, actor, payload, command_id=_uuid(self.rng), client_ts=at)
        d = decide(case, cmd, ctx)
        if not d.ok:
            self.refused += 1
            return None
        assert d.history is not None
        self.history.append(repo.history_row(d.history))
        return d.case

    def play(self, created: datetime, now: datetime) -> None:
        rng = self.rng
        payload, actor = self.reporter.payload()
        if actor is None:
            centre = payload.get("centre_code") or self.ref.centre_for_grid(payload["grid_code"]) or COUNTY_CODE
            actor = self.actors.operator(centre)
        case = self._do(None, C.CREATE, actor, created, case_id=_uuid(rng), **payload)
        if case is None:
            return
        t = created
        final = self._run(case, t, now)
        self.cases.append(final)

    def _run(self, case: Case, t: datetime, now: datetime) -> Case:
        """Advance the case step by step until `now`; returns its state at `now`."""
        rng = self.rng
        for _ in range(30):
            step = self._next(case, t)
            if step is None:
                return case
            delay, ctype, actor, payload = step
            t = t + delay
            if t > now:
                return case
            new = self._do(case, ctype, actor, t, **payload)
            if new is None:
                return case
            case = new
            # urging and supervision of late cases
            if case.is_open and case.stage_deadline and t > case.stage_deadline and rng.random() < 0.3:
                urged = self._do(case, C.URGE, self.actors.lead(case.centre_code), t, opinion="请加快办理")
                case = urged or case
                if rng.random() < 0.15 and not case.supervised:
                    sup = self._do(case, C.SUPERVISE, self.actors.supervisor, t, opinion="县中心督办，限期办结")
                    case = sup or case
        return case

    def _next(self, case: Case, t: datetime) -> tuple[timedelta, C, Actor, dict[str, Any]] | None:
        rng = self.rng
        centre = case.centre_code
        st = case.status
        limits = self.ref.limits_for(case.category_code)
        if st is Status.REPORTED:
            if centre == COUNTY_CODE and case.source.value.startswith("hotline") and case.grid_code and rng.random() < 0.8:
                town = case.grid_code[:9]
                return _minutes(rng, 12), C.HAND_DOWN, self.actors.operator(centre), {
                    "centre_code": town, "opinion": "请属地核实处理并按时反馈"}
            if rng.random() < 0.03:
                return _minutes(rng, 15), C.REJECT, self.actors.operator(centre), {"reason": "不属于受理范围，已告知反映人"}
            return _minutes(rng, 10), C.ACCEPT, self.actors.operator(centre), {}
        if st is Status.REGISTERED:
            serious = case.severity is not Severity.ORDINARY or rng.random() < 0.04
            if centre != COUNTY_CODE and serious and not case.escalated:
                return _minutes(rng, 30), C.ESCALATE, self.actors.lead(centre), {
                    "reason": "涉及多部门职责，需县级统筹协调"}
            dept = self.ref.suggest_department(case.category_code, centre)
            if dept is None:
                return None
            if case.department_code is None and case.return_count and rng.random() < 0.5:
                # after a return, pick another department of the centre
                others = [d for d in self.ref.departments_of(centre) if d.code != dept.code]
                dept = rng.choice(others) if others else dept
            return _minutes(rng, 15), C.DISPATCH, self.actors.operator(centre), {"department_code": dept.code}
        if st is Status.DISPATCHED:
            handler = self.actors.handlers[case.department_code or ""]
            if rng.random() < 0.05 and case.return_count == 0:
                return _minutes(rng, 60), C.RETURN, handler, {"reason": "经核实不属于本部门职责，请重新派遣"}
            return _minutes(rng, 40), C.SIGN, handler, {}
        if st is Status.IN_PROGRESS:
            handler = self.actors.handlers[case.department_code or ""]
            # most within the limit, a tail beyond it
            median_work = max(30.0, limits.handle * rng.uniform(0.25, 0.7))
            delay = _minutes(rng, median_work, 0.9)
            if case.stage_deadline:
                # working minutes are spread over calendar time
                delay = delay * 2.2
            return delay, C.FEEDBACK, handler, {"opinion": "已到现场处置完毕，问题已解决"}
        if st is Status.AWAITING_CHECK:
            lead = self.actors.lead(centre)
            if not case.check_passed:
                if rng.random() < 0.05 and case.rework_count == 0:
                    return _minutes(rng, 90), C.REWORK, lead, {"reason": "现场核查未整改到位"}
                return _minutes(rng, 90), C.CHECK_PASS, lead, {"opinion": "经网格员现场核查，已整改"}
            return _minutes(rng, 20), C.CLOSE, lead, {}
        if st is Status.CLOSED:
            if case.satisfaction is None and rng.random() < 0.7:
                sat = rng.choices(list(Satisfaction), [80, 15, 5])[0]
                return _minutes(rng, 600), C.EVALUATE, self.actors.operator(centre), {"satisfaction": sat.value}
            return None
        return None


def generate_history(world: DemoWorld, calendar: WorkCalendar, now: datetime, days: int = 30,
                     per_day: float = 150.0, seed: int = 1) -> HistoryBuilder:
    """Cases reported over the last `days` days, played up to `now`."""
    rng = random.Random(seed)
    hb = HistoryBuilder(world, calendar, rng)
    total_w = sum(HOURLY)
    start = now - timedelta(days=days)
    hour = start.replace(minute=0, second=0, microsecond=0)
    while hour < now:
        lam = per_day * HOURLY[local(hour).hour] / total_w
        if local(hour).weekday() >= 5:
            lam *= 0.7
        for _ in range(_poisson(rng, lam)):
            t = hour + timedelta(seconds=rng.uniform(0, 3600))
            if t < now:
                hb.play(t, now)
        hour += timedelta(hours=1)
    return hb


def _poisson(rng: random.Random, lam: float) -> int:
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def write_history(engine: Engine, hb: HistoryBuilder) -> None:
    rows = [repo.case_to_row(c) for c in hb.cases]
    with write_tx(engine) as conn:
        for i in range(0, len(rows), 5000):
            repo.bulk_insert_cases(conn, rows[i : i + 5000])
        for i in range(0, len(hb.history), 10000):
            conn.execute(insert(t.case_history), hb.history[i : i + 10000])
        seqs = [{"prefix": f"{COUNTY_CODE}{day}", "last": n} for day, n in hb.day_seq.items()]
        if seqs:
            conn.execute(insert(t.code_sequences), seqs)


def seed_demo(engine: Engine, now: datetime, days: int = 30, per_day: float = 150.0, seed: int = 330122) -> DemoWorld:
    """Write the demo county and its history into an empty, migrated store."""
    world = build_world(seed)
    write_world(engine, world)
    hb = generate_history(world, load_calendar(), now, days=days, per_day=per_day, seed=seed)
    write_history(engine, hb)
    with write_tx(engine) as conn:
        repo.set_meta(conn, "seeded", now.isoformat())
    log.info("demo seeded: %d cases, %d history records (%d refused steps)", len(hb.cases), len(hb.history), hb.refused)
    return world


def centre_choices(ref: Reference) -> Sequence[Centre]:
    return sorted(ref.centres.values(), key=lambda c: c.code)
