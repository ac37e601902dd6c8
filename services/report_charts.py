"""The annual section's charts (matplotlib, Agg), each with a description in words.

Charts are made from the report's frozen figures, so the same figures always give the same
images: they are kept (a few reports' worth) for the page and the four downloads to share.
Every chart says something true for the period, with or without ratings: sessions by outcome
and actions by status as recorded always; RAG over time only when some action of the period
had a rating (imported history has none); then actions by partner. Colours come with hatching
and the description, never colour alone.
"""

from __future__ import annotations

import base64
import io
import json
from dataclasses import dataclass
from typing import Any

from models.text import printable

#: How many reports' charts are kept in memory.
CACHE_SIZE = 16
_CACHE: dict[str, list[Chart]] = {}

_SERIES = [
    ("blue", "Complete", "#005EB8", ""),
    ("green", "Green", "#007F3B", ""),
    ("amber", "Amber", "#FFB81C", "//"),
    ("red", "Red", "#D5281B", "xx"),
    ("not_rated", "Not rated — historical record", "#AEB7BD", ".."),
]
_RATED = ("blue", "green", "amber", "red")
_GREY, _BLUE = "#AEB7BD", "#005EB8"


@dataclass(frozen=True)
class Chart:
    title: str
    alt: str
    png: bytes

    @property
    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode()


def clear_cache() -> None:
    _CACHE.clear()


def charts(view: Any) -> list[Chart]:
    """The charts of a report view (an annual section's), made once per set of figures."""
    data = view.chart_data
    if not data:
        return []
    key = json.dumps(data, sort_keys=True, default=str)
    if key not in _CACHE:
        if len(_CACHE) >= CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = _make(data)
    return _CACHE[key]


def _make(data: dict[str, Any]) -> list[Chart]:
    out = [_sessions_by_outcome(data["sessions"])] if "sessions" in data else []
    if statuses := data.get("actions_by_status"):
        out.append(_actions_by_status(statuses))
    series = data.get("rag_over_time", [])
    if any(m[key] for m in series for key in _RATED):
        out.append(_rag_over_time(series))
    if partners := data.get("actions_by_partner", []):
        out.append(_actions_by_partner(partners))
    return out


def _figure(width: float, height: float) -> Any:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=110)


def _png(fig: Any) -> bytes:
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _bars(title: str, pairs: list[tuple[str, int]], alt_start: str) -> Chart:
    fig = _figure(9, max(2.0, 0.9 + 0.4 * len(pairs)))
    ax = fig.subplots()
    names = [name for name, _ in pairs][::-1]
    values = [value for _, value in pairs][::-1]
    ax.barh(names, values, color=_BLUE)
    for y, value in enumerate(values):
        ax.text(value, y, f" {value}", va="center", fontsize="small")
    ax.set_title(title)
    ax.set_xlabel("Number")
    ax.set_xlim(0, max([*values, 1]) * 1.15)
    alt = alt_start + "; ".join(f"{name}: {value}" for name, value in pairs) + "."
    return Chart(title, alt, _png(fig))


def _sessions_by_outcome(s: dict[str, int]) -> Chart:
    pairs = [
        ("Held, with actions agreed", s["held"] - s["no_action"]),
        ("Held, no specific action", s["no_action"]),
        ("Withdrawn", s["withdrawn"]),
        ("Meeting cancelled", s["cancelled"]),
        ("Deferred", s["deferred"]),
    ]
    return _bars("Sessions by outcome", pairs, "Bars, one for each outcome of a session. ")


def _actions_by_status(statuses: list[dict[str, Any]]) -> Chart:
    pairs = [(printable(s["status"]), int(s["count"])) for s in statuses]
    return _bars(
        "Actions by status as recorded",
        pairs,
        "Bars, one for each status of an action as recorded at the end of the period. ",
    )


def _rag_over_time(series: list[dict[str, Any]]) -> Chart:
    fig = _figure(9, 3.6)
    ax = fig.subplots()
    months = [m["month"] for m in series]
    bottom = [0] * len(series)
    for key, label, colour, hatch in _SERIES:
        values = [m[key] for m in series]
        if any(values):
            ax.bar(
                months, values, bottom=bottom, label=label, color=colour, hatch=hatch,
                edgecolor="white",
            )  # fmt: skip
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_title("RAG rating of actions at the end of each month")
    ax.set_ylabel("Actions")
    ax.tick_params(axis="x", labelrotation=45)
    ax.legend(loc="upper left", fontsize="small", frameon=False)
    last = series[-1]
    alt = (
        f"Stacked bars, one a month from {months[0]} to {months[-1]}. At the end: "
        + ", ".join(f"{label} {last[key]}" for key, label, _, _ in _SERIES)
        + "."
    )
    return Chart("RAG over time", alt, _png(fig))


def _actions_by_partner(partners: list[dict[str, Any]]) -> Chart:
    fig = _figure(9, max(2.4, 0.9 + 0.45 * len(partners)))
    ax = fig.subplots()
    names = [printable(p["partner"])[:45] for p in partners][::-1]
    ax.barh(names, [p["agreed"] for p in partners][::-1], color=_GREY, label="Agreed")
    ax.barh(
        names,
        [p["closed"] for p in partners][::-1],
        color=_BLUE,
        label="Closed",
        hatch="//",
        edgecolor="white",
    )
    ax.set_title("Actions by partner: agreed and closed")
    ax.set_xlabel("Actions")
    ax.legend(loc="lower right", fontsize="small", frameon=False)
    alt = "Bars per partner. " + "; ".join(
        f"{printable(p['partner'])}: {p['agreed']} agreed, {p['closed']} closed" for p in partners
    )
    return Chart("Actions by partner", alt, _png(fig))
