"""Org tree, centres, departments and the two-level category tree.

Codes: county 6 digits (admin code), township 9, village 12, grid 15
(6-digit county + 3 township + 3 village + 3 grid). Each county and township
unit hosts a centre whose code is the unit's code.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .enums import OrgLevel

_CODE_LENGTH = {OrgLevel.COUNTY: 6, OrgLevel.TOWNSHIP: 9, OrgLevel.VILLAGE: 12, OrgLevel.GRID: 15}
_DIGITS = re.compile(r"^\d+$")


class InvalidCode(ValueError):
    """A code that does not fit its level."""


def level_of_code(code: str) -> OrgLevel:
    """The level a county/township/village/grid code belongs to, by its length."""
    if not _DIGITS.match(code or ""):
        raise InvalidCode(f"编码只能由数字组成：{code!r}")
    for level, n in _CODE_LENGTH.items():
        if len(code) == n:
            return level
    raise InvalidCode(f"编码长度应为 6、9、12 或 15 位，实际为 {len(code)} 位：{code}")


def validate_grid_code(code: str) -> str:
    """Return the code if it is a valid 15-digit grid code, else raise InvalidCode."""
    if level_of_code(code) is not OrgLevel.GRID:
        raise InvalidCode(f"网格编码应为 15 位数字：{code}")
    if code[6:9] == "000" or code[9:12] == "000" or code[12:] == "000":
        raise InvalidCode(f"网格编码的乡镇、村、网格段不能为 000：{code}")
    return code


def parent_code(code: str) -> str | None:
    """The code one level up (grid -> village -> township -> county), None for a county."""
    n = len(code)
    return code[: n - 3] if n > 6 else None


def grid_code(county: str, township: int, village: int, grid: int) -> str:
    return validate_grid_code(f"{county}{township:03d}{village:03d}{grid:03d}")


@dataclass(frozen=True)
class OrgUnit:
    code: str
    name: str
    level: OrgLevel
    parent_code: str | None = None


@dataclass(frozen=True)
class Centre:
    """A command centre hosted by a county or township unit; its code is the unit's code."""

    code: str
    name: str
    level: OrgLevel
    parent_code: str | None = None


@dataclass(frozen=True)
class Department:
    code: str
    name: str
    kind: str  # e.g. "police", "enforcement": links categories to departments
    centre_code: str
    short_name: str = ""


@dataclass(frozen=True)
class TimeLimits:
    """Stage time limits in working minutes (受理, 派遣, 处置, 核查)."""

    accept: int
    dispatch: int
    handle: int
    check: int

    @property
    def after_accept(self) -> int:
        return self.dispatch + self.handle + self.check


WORKDAY_MINUTES = 450  # one working day ("1d") = the calendar's 08:30-12:00 + 13:30-17:30


def parse_limit(text: str | int | float) -> int:
    """'2h' -> 120, '3d' -> 1440, '30m' -> 30, 45 -> 45 (working minutes)."""
    if isinstance(text, int | float):
        return int(text)
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([mhd])\s*", text)
    if not m:
        raise ValueError(f"时限格式应为 30m、2h 或 3d：{text!r}")
    value, unit = float(m.group(1)), m.group(2)
    return round(value * {"m": 1, "h": 60, "d": WORKDAY_MINUTES}[unit])


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    parent_code: str | None  # None for a 大类
    family: str  # "city" (城市管理) or "social" (社会治理)
    default_dept_kind: str | None = None
    limits: TimeLimits | None = None  # only for 小类

    @property
    def is_leaf(self) -> bool:
        return self.parent_code is not None


DEFAULT_LIMITS = TimeLimits(accept=60, dispatch=120, handle=3 * WORKDAY_MINUTES, check=WORKDAY_MINUTES)


def load_categories(path: Path) -> list[Category]:
    """Read the category tree from its JSON data file."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    out: list[Category] = []
    for fam in raw["families"]:
        for major in fam["categories"]:
            out.append(Category(major["code"], major["name"], None, fam["code"]))
            for minor in major["children"]:
                lim = minor["limits"]
                out.append(
                    Category(
                        minor["code"],
                        minor["name"],
                        major["code"],
                        fam["code"],
                        minor.get("dept") or major.get("dept"),
                        TimeLimits(
                            parse_limit(lim["accept"]),
                            parse_limit(lim["dispatch"]),
                            parse_limit(lim["handle"]),
                            parse_limit(lim.get("check", "1d")),
                        ),
                    )
                )
    return out


# Where a township sends a kind of work it has no station for.
KIND_FALLBACK = {
    "fire": "emergency",
    "water": "emergency",
    "housing": "enforcement",
    "transport": "enforcement",
    "ecology": "enforcement",
    "natural_resources": "enforcement",
    "civil": "service",
    "hrss": "service",
    "health": "service",
    "education": "service",
    "agriculture": "service",
}


@dataclass
class Reference:
    """The reference data a decision needs, held in memory (it is small)."""

    org_units: dict[str, OrgUnit] = field(default_factory=dict)
    centres: dict[str, Centre] = field(default_factory=dict)
    departments: dict[str, Department] = field(default_factory=dict)
    categories: dict[str, Category] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        org_units: Iterable[OrgUnit] = (),
        centres: Iterable[Centre] = (),
        departments: Iterable[Department] = (),
        categories: Iterable[Category] = (),
    ) -> Reference:
        return cls(
            {u.code: u for u in org_units},
            {c.code: c for c in centres},
            {d.code: d for d in departments},
            {c.code: c for c in categories},
        )

    def limits_for(self, category_code: str | None) -> TimeLimits:
        cat = self.categories.get(category_code or "")
        return cat.limits if cat is not None and cat.limits is not None else DEFAULT_LIMITS

    def centre_ancestors(self, code: str) -> list[str]:
        out: list[str] = []
        cur = self.centres.get(code)
        while cur is not None and cur.parent_code:
            out.append(cur.parent_code)
            cur = self.centres.get(cur.parent_code)
        return out

    def child_centres(self, code: str) -> list[Centre]:
        return [c for c in self.centres.values() if c.parent_code == code]

    def centre_for_grid(self, grid: str) -> str | None:
        """The lowest centre whose area contains the grid (township, else county)."""
        code: str | None = grid
        while code:
            if code in self.centres:
                return code
            code = parent_code(code)
        return None

    def departments_of(self, centre_code: str) -> list[Department]:
        return [d for d in self.departments.values() if d.centre_code == centre_code]

    def suggest_department(self, category_code: str | None, centre_code: str) -> Department | None:
        """The category's default department at this centre.

        A township has no bureau of every kind: its four platforms take over
        (KIND_FALLBACK), and the 综治工作平台 takes what is left.
        """
        cat = self.categories.get(category_code or "")
        if cat is None or not cat.default_dept_kind:
            return None
        by_kind = {d.kind: d for d in self.departments_of(centre_code)}
        for kind in (cat.default_dept_kind, KIND_FALLBACK.get(cat.default_dept_kind), "governance"):
            if kind and kind in by_kind:
                return by_kind[kind]
        return None


def mapping_get(m: Mapping[str, object], key: str) -> str:
    v = m.get(key)
    return v.strip() if isinstance(v, str) else ""
