#!/usr/bin/env python3
"""Generate the alert sounds in resources/sounds/ (run by hand; the WAVs are committed).

    python scripts/make_sounds.py            # writes resources/sounds/*.wav
    python scripts/make_sounds.py --check    # exit 1 if a committed file differs

Pure standard library (wave, math, struct): short 16-bit mono tones with soft
attack/release so they do not click.  The output is deterministic.

* alert_critical.wav — a new 特急/紧急 case: three rising two-tone pips, urgent
* alert_overdue.wav  — a case went overdue: two falling tones
* alert_due_soon.wav — a case is due soon: one soft chime
"""

from __future__ import annotations

import argparse
import io
import math
import struct
import sys
import wave
from pathlib import Path

RATE = 22_050
OUT = Path(__file__).resolve().parent.parent / "resources" / "sounds"

# (frequency Hz, duration s, amplitude 0..1); frequency 0 is silence
Tone = tuple[float, float, float]

SOUNDS: dict[str, list[Tone]] = {
    "alert_critical": [
        (880, 0.11, 0.55), (1175, 0.11, 0.55), (0, 0.06, 0),
        (880, 0.11, 0.55), (1175, 0.11, 0.55), (0, 0.06, 0),
        (880, 0.11, 0.55), (1397, 0.20, 0.55),
    ],
    "alert_overdue": [(988, 0.22, 0.5), (0, 0.05, 0), (740, 0.34, 0.5)],
    "alert_due_soon": [(1047, 0.45, 0.4)],
}


def render(tones: list[Tone], rate: int = RATE) -> bytes:
    """16-bit little-endian PCM samples of the tones, one after another."""
    frames = bytearray()
    ramp = int(0.012 * rate)  # 12 ms attack and release
    for freq, dur, amp in tones:
        n = int(dur * rate)
        for i in range(n):
            if freq <= 0:
                frames += b"\x00\x00"
                continue
            env = min(1.0, i / ramp, (n - 1 - i) / ramp) if ramp else 1.0
            # a touch of the second harmonic makes it carry on small speakers
            t = i / rate
            v = math.sin(2 * math.pi * freq * t) + 0.25 * math.sin(4 * math.pi * freq * t)
            sample = int(max(-1.0, min(1.0, amp * env * v / 1.25)) * 32767)
            frames += struct.pack("<h", sample)
    return bytes(frames)


def wav_bytes(tones: list[Tone], rate: int = RATE) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(render(tones, rate))
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--check", action="store_true", help="compare with the committed files instead of writing")
    p.add_argument("--out", type=Path, default=OUT, help=f"output directory (default {OUT})")
    args = p.parse_args(argv)
    stale = []
    for name, tones in SOUNDS.items():
        path = args.out / f"{name}.wav"
        data = wav_bytes(tones)
        if args.check:
            if not path.is_file() or path.read_bytes() != data:
                stale.append(path.name)
            continue
        args.out.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(f"{path} ({len(data)} bytes, {sum(t[1] for t in tones):.2f} s)")
    if stale:
        print("out of date: " + ", ".join(stale) + " — run scripts/make_sounds.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
