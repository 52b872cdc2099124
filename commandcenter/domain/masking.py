"""Masking of personal data (names, phone numbers, ID numbers).

Used on the wall, in logs and in exports unless the role may see the data.
"""

from __future__ import annotations

import re

_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
_ID18 = re.compile(r"(?<![\dXx])(\d{6})(\d{8})(\d{3}[\dXx])(?![\dXx])")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3}-?)(\d{3,4})(\d{4})(?!\d)")

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def mask_phone(phone: str) -> str:
    """'13812345678' -> '138****5678'; landlines keep area code and last 4."""
    p = (phone or "").strip().replace(" ", "")
    if not p:
        return ""
    if MOBILE_RE.match(p):
        return f"{p[:3]}****{p[-4:]}"
    if len(p) > 4:
        return p[: max(0, len(p) - 8)] + "****" + p[-4:] if len(p) >= 8 else "*" * (len(p) - 4) + p[-4:]
    return "*" * len(p)


def mask_id_number(idn: str) -> str:
    """18-digit resident ID: keep the first 6 and last 4: '330122********123X'."""
    s = (idn or "").strip()
    if len(s) <= 10:
        return "*" * len(s)
    return s[:6] + "*" * (len(s) - 10) + s[-4:]


def mask_name(name: str) -> str:
    """'张三' -> '张*', '欧阳小明' -> '欧***'; Latin names keep the first letter."""
    s = (name or "").strip()
    if not s:
        return ""
    if len(s) == 1:
        return "*"
    return s[0] + "*" * (len(s) - 1)


def mask_text(text: str) -> str:
    """Mask phone and ID numbers that appear inside free text (descriptions, logs)."""
    if not text:
        return text
    out = _ID18.sub(lambda m: m.group(1) + "*" * 8 + m.group(3)[-4:], text)
    out = _MOBILE.sub(lambda m: m.group(1) + "****" + m.group(3), out)
    out = _LANDLINE.sub(lambda m: m.group(1) + "****" + m.group(3), out)
    return out


def valid_phone(phone: str) -> bool:
    p = (phone or "").strip().replace(" ", "")
    return bool(MOBILE_RE.match(p) or LANDLINE_RE.match(p))
