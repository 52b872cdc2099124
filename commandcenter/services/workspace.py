"""The workspace: one local store and the services over it.

    ws = Workspace.open("cc.db")           # migrates, loads reference data
    ws.commands.apply(Command(...))         # the one command path
    with ws.read() as conn: queries.queue(conn, QueueFilter(...), ws.now())
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, select

from ..domain.case import Actor, Case
from ..domain.enums import Role
from ..domain.org import Reference
from ..domain.sla import WorkCalendar, load_calendar
from ..domain.timeutil import utcnow
from ..store import repo
from ..store import schema as t
from ..store.engine import make_engine, read_tx, write_tx
from ..store.migrate import upgrade
from .auth import DISABLED, verify_password
from .commands import CommandService
from .events import Events


class Workspace:
    def __init__(self, engine: Engine, clock: Callable[[], datetime] = utcnow) -> None:
        self.engine = engine
        self.clock = clock
        self.events = Events()
        self.calendar: WorkCalendar = load_calendar()
        self.ref = Reference()
        with write_tx(engine) as conn:
            cid = repo.get_meta(conn, "client_id")
            if cid is None:
                cid = uuid.uuid4().hex[:12]
                repo.set_meta(conn, "client_id", cid)
        self.client_id: str = cid
        self.commands = CommandService(
            engine, self.ref, self.calendar, self.events, clock, county_code="", client_id=self.client_id
        )
        self.reload_reference()

    @classmethod
    def open(cls, target: str | Path, clock: Callable[[], datetime] = utcnow) -> Workspace:
        engine = make_engine(target)
        upgrade(engine)
        return cls(engine, clock)

    def close(self) -> None:
        self.engine.dispose()

    def now(self) -> datetime:
        return self.clock()

    def reload_reference(self) -> None:
        with read_tx(self.engine) as conn:
            ref = repo.load_reference(conn)
            county = repo.get_meta(conn, "county_code", "") or ""
        # mutate in place: the command service holds the same object
        self.ref.org_units, self.ref.centres = ref.org_units, ref.centres
        self.ref.departments, self.ref.categories = ref.departments, ref.categories
        self.commands.county_code = county
        self.commands.grids.invalidate()  # grids may have been imported
        self.county_code = county

    @property
    def is_seeded(self) -> bool:
        with read_tx(self.engine) as conn:
            return repo.get_meta(conn, "seeded") is not None

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with read_tx(self.engine) as conn:
            yield conn

    def case(self, case_id: str) -> Case | None:
        with self.read() as conn:
            return repo.get_case(conn, case_id)

    def history(self, case_id: str) -> list[dict[str, object]]:
        with self.read() as conn:
            return repo.case_history(conn, case_id)

    def actor(self, username: str) -> Actor | None:
        with self.read() as conn:
            r = conn.execute(select(t.users).where(t.users.c.username == username)).first()
        if r is None:
            return None
        return Actor(r.username, Role(r.role), r.centre_code, r.department_code, r.display_name)

    def users(self, role: Role | None = None) -> list[Actor]:
        q = select(t.users).where(t.users.c.active.is_(True)).order_by(t.users.c.username)
        if role is not None:
            q = q.where(t.users.c.role == role.value)
        with self.read() as conn:
            return [Actor(r.username, Role(r.role), r.centre_code, r.department_code, r.display_name) for r in conn.execute(q)]

    def authenticate(self, username: str, password: str) -> Actor | None:
        """The actor if the password is right and the user may log in, else None."""
        with self.read() as conn:
            r = conn.execute(select(t.users).where(t.users.c.username == username)).first()
        if r is None or not r.active or r.password_hash == DISABLED:
            return None
        if not verify_password(password, r.password_hash):
            return None
        return Actor(r.username, Role(r.role), r.centre_code, r.department_code, r.display_name)
