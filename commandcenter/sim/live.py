"""The live simulator: plays the grid workers and hotlines (new reports at a
configurable rate), the departments (sign, feed back, sometimes return or
ask for more time) and the township centres other than the operator's own
(accept, dispatch, check, close) — all through the same command path as
people, in a worker thread, with time compression for demos.

Delays are simulated minutes divided by `speed`; each one is derived from
the case id and version, so the simulator keeps no state of its own and
picks up where it left off after a restart.
"""

from __future__ import annotations

import hashlib
import logging
import math
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from ..domain.case import Actor, Case, Command, new_id
from ..domain.enums import CommandType as C
from ..domain.enums import Role, Status
from ..domain.timeutil import to_epoch
from ..services.workspace import Workspace
from ..store import repo
from ..store import schema as t
from .demo import COUNTY_CODE, Actors, DemoWorld, Reporter, build_world

log = logging.getLogger(__name__)


@dataclass
class SimConfig:
    rate_per_hour: float = 8.0  # new reports per simulated hour
    speed: float = 60.0  # simulated seconds per real second
    tick_s: float = 0.5  # real seconds between ticks
    human_centres: tuple[str, ...] = (COUNTY_CODE,)  # centres whose operators are people
    seed: int | None = None
    max_actions_per_tick: int = 50


def _fraction(*parts: object) -> float:
    """A stable pseudo-random number in [0, 1) from the parts."""
    h = hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(h, "big") / 2**64


def _sim_minutes(median: float, u: float, spread: float = 0.7) -> float:
    # inverse-CDF of a lognormal via a logistic approximation: cheap and stable
    u = min(max(u, 1e-6), 1 - 1e-6)
    return median * math.exp(spread * 1.7 * math.log(u / (1 - u)) / 3)


class LiveSimulator:
    def __init__(self, ws: Workspace, config: SimConfig | None = None, world: DemoWorld | None = None) -> None:
        self.ws = ws
        self.cfg = config or SimConfig()
        self.rng = random.Random(self.cfg.seed)
        self._world = world
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.reports_made = 0
        self.actions_made = 0
        self.refused = 0
        self.last_error = ""

    def _ensure_world(self) -> None:
        # built lazily (about a second), in the worker thread, so the window shows at once
        if not hasattr(self, "actors"):
            self.world = self._world or build_world(password_cost=2)
            self.actors = Actors(self.world)
            self.reporter = Reporter(self.world, self.rng)

    # ------------------------------------------------------------ control

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="live-simulator", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def status(self) -> dict[str, float | int | bool]:
        """What status_text says, as values (a GUI words it in its own language)."""
        return {"running": self.running, "speed": self.cfg.speed, "rate": self.cfg.rate_per_hour,
                "reports": self.reports_made, "actions": self.actions_made}

    def status_text(self) -> str:
        if not self.running:
            return "模拟器已停止"
        return (
            f"模拟器运行中 ×{self.cfg.speed:g} · 每小时新报 {self.cfg.rate_per_hour:g} 件"
            f" · 已新报 {self.reports_made} 件 · 已处置动作 {self.actions_made} 次"
        )

    def _run(self) -> None:
        log.info("simulator started: %s", self.cfg)
        self._ensure_world()
        while not self._stop.wait(self.cfg.tick_s):
            try:
                self.tick()
            except Exception as exc:  # keep simulating; the failure is logged
                self.last_error = str(exc)
                log.exception("simulator tick failed")
        log.info("simulator stopped")

    # ------------------------------------------------------------ one tick

    def tick(self, real_seconds: float | None = None) -> int:
        """One step: new reports for the elapsed time, then due actions. Returns commands applied."""
        self._ensure_world()
        dt = self.cfg.tick_s if real_seconds is None else real_seconds
        lam = self.cfg.rate_per_hour * self.cfg.speed * dt / 3600.0
        cmds: list[Command] = []
        for _ in range(_poisson(self.rng, lam)):
            cmds.append(self._new_report())
        cmds += self._due_actions(self.ws.now())
        if not cmds:
            return 0
        outcomes = self.ws.commands.apply_many(cmds, origin="sim")
        ok = 0
        for cmd, out in zip(cmds, outcomes, strict=True):
            if out.ok:
                ok += 1
                if cmd.type is C.CREATE:
                    self.reports_made += 1
                else:
                    self.actions_made += 1
            else:
                self.refused += 1
                log.debug("simulated %s refused: %s", cmd.type.value, out.reason)
        return ok

    def _new_report(self) -> Command:
        payload, actor = self.reporter.payload()
        if actor is None:
            centre = payload.get("centre_code") or self.ws.ref.centre_for_grid(payload["grid_code"]) or COUNTY_CODE
            actor = self._staff(centre, Role.OPERATOR)
        return Command(C.CREATE, new_id(), actor, payload)

    def _staff(self, centre: str, role: Role) -> Actor:
        a = self.actors.by_centre.get((centre, role)) or self.actors.by_centre.get((centre, Role.OPERATOR))
        assert a is not None
        return a

    def _due(self, case: Case, median_sim_minutes: float, now: datetime, salt: str = "") -> bool:
        sim_min = _sim_minutes(median_sim_minutes, _fraction(case.id, case.version, salt))
        return now >= case.updated_at + timedelta(seconds=sim_min * 60 / self.cfg.speed)

    def _due_actions(self, now: datetime) -> list[Command]:
        c = t.cases.c
        horizon = to_epoch(now - timedelta(seconds=30 / self.cfg.speed))
        q = (
            select(t.cases)
            .where(c.is_open.is_(True), c.updated_at <= horizon)
            .order_by(c.updated_at)
            .limit(2000)
        )
        with self.ws.read() as conn:
            cases = [repo.row_to_case(r) for r in conn.execute(q).mappings()]
        out: list[Command] = []
        for case in cases:
            cmd = self._action_for(case, now)
            if cmd is not None:
                out.append(cmd)
                if len(out) >= self.cfg.max_actions_per_tick:
                    break
        return out

    def _action_for(self, case: Case, now: datetime) -> Command | None:
        st, centre = case.status, case.centre_code
        human = centre in self.cfg.human_centres
        u = _fraction(case.id, case.version, "choice")

        def cmd(ctype: C, actor: Actor, **payload: Any) -> Command:
            return Command(ctype, case.id, actor, payload, base_version=case.version)

        if case.suspended:
            return None
        if st is Status.DISPATCHED and case.department_code in self.actors.handlers:
            if not self._due(case, 45, now):
                return None
            handler = self.actors.handlers[case.department_code]
            if u < 0.05 and case.return_count == 0:
                return cmd(C.RETURN, handler, reason="经核实不属于本部门职责，请重新派遣")
            return cmd(C.SIGN, handler)
        if st is Status.IN_PROGRESS and case.department_code in self.actors.handlers:
            handler = self.actors.handlers[case.department_code]
            if u < 0.03 and case.extension_minutes is None and case.urge_count == 0:
                if self._due(case, 60, now, "ext"):
                    return cmd(C.REQUEST_EXTENSION, handler, minutes=450, reason="需协调相关单位，申请延期一个工作日")
                return None
            if case.extension_minutes is not None:
                return None
            limits = self.ws.ref.limits_for(case.category_code)
            if not self._due(case, max(30.0, limits.handle * 0.6), now):
                return None
            return cmd(C.FEEDBACK, handler, opinion="已到现场处置完毕，问题已解决")
        if human:
            return None  # the people at this centre decide
        # a township centre played by the simulator
        if centre not in {a.centre_code for a in self.actors.by_centre.values()}:
            return None
        if st is Status.REPORTED:
            return cmd(C.ACCEPT, self._staff(centre, Role.OPERATOR)) if self._due(case, 10, now) else None
        if st is Status.REGISTERED:
            if not self._due(case, 15, now):
                return None
            dept = self.ws.ref.suggest_department(case.category_code, centre)
            if dept is None or (case.return_count and u < 0.3 and not case.escalated):
                if centre != COUNTY_CODE and not case.escalated:
                    return cmd(C.ESCALATE, self._staff(centre, Role.SHIFT_LEAD), reason="属地难以协调，提请县中心统筹")
                return None
            return cmd(C.DISPATCH, self._staff(centre, Role.OPERATOR), department_code=dept.code)
        if st is Status.AWAITING_CHECK:
            lead = self._staff(centre, Role.SHIFT_LEAD)
            if not case.check_passed:
                if not self._due(case, 60, now):
                    return None
                if u < 0.05 and case.rework_count == 0:
                    return cmd(C.REWORK, lead, reason="现场核查未整改到位")
                return cmd(C.CHECK_PASS, lead, opinion="经网格员现场核查，已整改")
            return cmd(C.CLOSE, lead) if self._due(case, 15, now) else None
        return None


def _poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def make_simulator(ws: Workspace, **kw: Any) -> LiveSimulator:
    return LiveSimulator(ws, SimConfig(**kw))


StatusFn = Callable[[], str]
