"""Times: stored and computed in UTC, shown in Asia/Shanghai (UTC+8, no DST)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

UTC = timezone.utc
CST = timezone(timedelta(hours=8), "CST")


def utcnow() -> datetime:
    return datetime.now(UTC)


def to_epoch(dt: datetime | None) -> int | None:
    return None if dt is None else int(dt.timestamp())


def from_epoch(ts: float | None) -> datetime | None:
    return None if ts is None else datetime.fromtimestamp(ts, UTC)


def local(dt: datetime) -> datetime:
    return dt.astimezone(CST)


def fmt_local(dt: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return "" if dt is None else local(dt).strftime(fmt)


def fmt_duration(seconds: float) -> str:
    """'2小时15分', '3天4小时', '25分' — for countdowns."""
    s = int(abs(seconds))
    days, rem = divmod(s, 86400)
    hours, rem = divmod(rem, 3600)
    minutes = rem // 60
    if days:
        return f"{days}天{hours}小时"
    if hours:
        return f"{hours}小时{minutes}分"
    return f"{minutes}分"


def countdown(deadline: datetime | None, now: datetime) -> str:
    """'剩余 2小时15分' or '超期 3小时0分'."""
    if deadline is None:
        return ""
    left = (deadline - now).total_seconds()
    return f"剩余 {fmt_duration(left)}" if left >= 0 else f"超期 {fmt_duration(left)}"
