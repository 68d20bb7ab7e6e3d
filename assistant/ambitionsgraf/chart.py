"""The ambitionsgraf as a chart: respondents by role, the organisation's mean, and earlier assessments
as a trail.

Uses matplotlib's object API with the Agg canvas directly (no pyplot), so it holds no global state and
is safe to call from a Streamlit session or a thread.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.transforms import Bbox

from assistant.ambitionsgraf.history import SavedAssessment
from assistant.ambitionsgraf.models import ROLES, ScoreResult
from assistant.ambitionsgraf.rubric import Rubric, load_rubric
from assistant.errors import InputError, KategoriError

# Okabe–Ito: distinguishable with the common colour-vision deficiencies and in greyscale print.
_ROLE_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#8C6D31", "#999933"]
_MEAN_COLOUR = "#1B2A41"
_TRAIL_COLOUR = "#8A8F98"
_TARGET_COLOUR = "#DCEFE3"
_LIMITS = (0.75, 4.25)  # the vertical axis can fall to 0.9 (V1.1 nej = 0 points), so leave room under 1


def _num(x: float) -> str:
    return f"{x:.2f}".replace(".", ",")


def _role_colours(roles: list[str]) -> dict[str, str]:
    # Known roles keep the same colour in every chart; other roles take the remaining colours in order.
    colours = {role: _ROLE_COLOURS[i] for i, role in enumerate(ROLES)}
    spare = iter(_ROLE_COLOURS[len(ROLES):])
    out = {}
    for role in roles:
        key = role.casefold()
        if key in colours:
            out[role] = colours[key]
        else:
            out[role] = next(spare, "#555555")
    return out


def make_figure(result: ScoreResult, history: list[SavedAssessment] | None = None, *,
                rubric: Rubric | None = None, compact: bool = False) -> Figure:
    """The ambitionsgraf for `result`; `history` = earlier saved assessments of the same organisation,
    drawn as a trail towards the current point (pass them without the current one).

    `compact` is the printed report's version: smaller, without title and footnote (the report carries
    them in its own text)."""
    rubric = rubric or load_rubric()
    history = sorted(history or [], key=lambda e: (e.datum, e.saved_at, e.id))

    # Fixed margins rather than a layout engine: label placement below needs final positions, and the
    # chart should look the same whatever the number of legend entries.
    fig = Figure(figsize=(5.6, 6.2) if compact else (9.0, 10.0), dpi=100)
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_axes((0.15, 0.25, 0.80, 0.73) if compact else (0.14, 0.25, 0.80, 0.66))
    ax.set_xlim(*_LIMITS)
    ax.set_ylim(*_LIMITS)
    ax.set_aspect("equal")

    # Target region: "systematiskt" on both axes. The threshold is the tool's reading, not the report's.
    target = rubric.levels.target
    ax.add_patch(Rectangle((target, target), _LIMITS[1] - target, _LIMITS[1] - target, facecolor=_TARGET_COLOUR,
                           edgecolor="none", zorder=0))
    ax.text(_LIMITS[1] - 0.04, _LIMITS[1] - 0.04,
            f"{rubric.levels.bands[-1].name}\npå båda axlarna\n(≥ {_num(target)}, verktygets läsning)",
            ha="right", va="top", fontsize=8.5, color="#2E6B45", zorder=1)
    for band in rubric.levels.bands[1:-1]:
        ax.axvline(band.from_, color="#B8BEC7", lw=0.9, ls=(0, (4, 3)), zorder=1)
        ax.axhline(band.from_, color="#B8BEC7", lw=0.9, ls=(0, (4, 3)), zorder=1)
        ax.text(_LIMITS[0] + 0.04, band.from_ + 0.02, f"{band.name.lower()} från {_num(band.from_)}",
                fontsize=7.8, color="#9AA1AB", va="bottom", zorder=1)

    ax.set_xticks([1, 2, 3, 4])
    ax.set_yticks([1, 2, 3, 4])
    ax.grid(True, color="#E6E8EB", lw=0.8, zorder=0)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.spines["left"].set_color("#6B7280")
    ax.spines["bottom"].set_color("#6B7280")
    ax.tick_params(colors="#374151", labelsize=10)
    ax.set_xlabel(f"{rubric.axes.horizontal.name}\n(horisontell axel)", fontsize=11, color="#111827", labelpad=8)
    ax.set_ylabel(f"{rubric.axes.vertical.name}\n(vertikal axel)", fontsize=11, color="#111827", labelpad=8)

    subtitle = f"{result.n_respondents} svarande"
    if result.datum:
        subtitle += f" · bedömning {result.datum.isoformat()}"
    if history:
        subtitle += f" · {len(history)} tidigare bedömning{'ar' if len(history) > 1 else ''}"
    if not compact:
        title = textwrap.fill(f"Ambitionsgrafen – {result.organisation}", width=52)
        ax.set_title(title + "\n", fontsize=15 if "\n" not in title else 13.5, fontweight="bold",
                     color="#111827", loc="left")
        ax.text(0, 1.015, subtitle, transform=ax.transAxes, fontsize=10.5, color="#4B5563", va="bottom")

    labels: list[tuple[float, float, str, dict]] = []  # (x, y, text, style) placed after all markers

    # Trail of earlier assessments, ending at the current mean.
    if history:
        xs = [e.horizontal for e in history] + [result.horizontal]
        ys = [e.vertical for e in history] + [result.vertical]
        ax.plot(xs, ys, color=_TRAIL_COLOUR, lw=1.4, ls=(0, (5, 3)), zorder=2, gid="trail")
        ax.annotate("", xy=(xs[-1], ys[-1]), xytext=(xs[-2], ys[-2]), zorder=2,
                    arrowprops={"arrowstyle": "-|>", "color": _TRAIL_COLOUR, "lw": 1.4, "shrinkA": 0, "shrinkB": 9})
        ax.scatter(xs[:-1], ys[:-1], s=55, marker="s", color="white", edgecolor=_TRAIL_COLOUR, linewidth=1.6,
                   zorder=3)
        for e in history:
            labels.append((e.horizontal, e.vertical, e.datum.isoformat(),
                           {"fontsize": 8.5, "color": "#4B5563"}))

    # Respondents; respondents with identical answers share one marker and one label.
    colours = _role_colours([r.role for r in result.respondents])
    groups: dict[tuple[float, float], list[str]] = {}
    for r in result.respondents:
        groups.setdefault((round(r.horizontal, 9), round(r.vertical, 9)), []).append(r.role)
        ax.scatter([r.horizontal], [r.vertical], s=85, color=colours[r.role], edgecolor="white", linewidth=1.2,
                   zorder=4, alpha=0.95, gid=f"respondent-{r.index}")
    for (x, y), roles in groups.items():
        counts = Counter(roles)
        text = ", ".join(role if n == 1 else f"{role} ({n})" for role, n in counts.items())
        colour = colours[roles[0]] if len(counts) == 1 else "#374151"
        labels.append((x, y, text, {"fontsize": 9.5, "color": colour}))

    ax.scatter([result.horizontal], [result.vertical], s=230, marker="D", color=_MEAN_COLOUR, edgecolor="white",
               linewidth=1.8, zorder=5, gid="mean")
    labels.append((result.horizontal, result.vertical,
                   f"Medelvärde\n(h {_num(result.horizontal)} · v {_num(result.vertical)})",
                   {"fontsize": 10, "color": _MEAN_COLOUR, "fontweight": "bold"}))

    _place_labels(ax, canvas, labels)

    # Legend: one entry per role, then the mean and the trail.
    handles = [Line2D([], [], marker="o", ls="", markersize=8, markerfacecolor=c, markeredgecolor="white",
                      label=role) for role, c in colours.items()]
    handles.append(Line2D([], [], marker="D", ls="", markersize=9, markerfacecolor=_MEAN_COLOUR,
                          markeredgecolor="white", label="Organisationens punkt (medelvärde av de svarande)"))
    if history:
        handles.append(Line2D([], [], marker="s", ls=(0, (5, 3)), color=_TRAIL_COLOUR, markersize=7,
                              markerfacecolor="white", label="Tidigare bedömningar"))
    fig.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.12) if compact else (0.54, 0.15),
               ncol=2, frameon=False, fontsize=8 if compact else 9.5, handletextpad=0.4, columnspacing=1.6)
    if compact:
        return fig

    scale = " · ".join(f"{o.value} = {o.label}" for o in sorted(rubric.scale.options, key=lambda o: o.value))
    fig.text(0.5, 0.012,
             f"Skala: {scale}.\nModell och frågor: Upphandlingsmyndigheten (2022), avsnitt 6.3 och Bilaga Enkätfrågor. "
             "Nivågränser och grön yta:\nverktygets egen läsning – rapporten anger inga gränsvärden. Vertikala "
             "axeln kan som mest bli ≈ 3,93 (V1.1 ger 3 poäng för ja).",
             fontsize=7.8, color="#6B7280", ha="center", va="bottom", linespacing=1.4)
    return fig


def _place_labels(ax, canvas: FigureCanvasAgg, labels: list[tuple[float, float, str, dict]]) -> None:
    """Put each label next to its point where it overlaps neither other labels nor markers.

    Tries a ring of offsets, nearest first, and keeps the first free one (or the least-overlapping
    one), using the rendered text extents so it holds for any font size or label length. Labels also
    keep some distance from other points so a label is not read as belonging to its neighbour; far
    placements get a thin leader line."""
    renderer = canvas.get_renderer()
    to_px = ax.transData.transform
    centres = [to_px((x, y)) for x, y, _, _ in labels]
    axes_box = ax.get_window_extent(renderer)
    offsets = [(10, 8), (10, -8), (-10, 8), (-10, -8), (0, 14), (0, -14), (18, 0), (-18, 0),
               (24, 24), (24, -24), (-24, 24), (-24, -24), (0, 32), (0, -32), (38, 0), (-38, 0)]
    placed: list[Bbox] = []
    for i, (x, y, text, style) in enumerate(labels):
        best, best_cost, best_box = None, None, None
        for dx, dy in offsets:
            ha = "left" if dx > 0 else "right" if dx < 0 else "center"
            va = "bottom" if dy > 0 else "top" if dy < 0 else "center"
            far = max(abs(dx), abs(dy)) > 20
            arrow = {"arrowstyle": "-", "color": "#9AA1AB", "lw": 0.7, "shrinkA": 0, "shrinkB": 6} if far else None
            ann = ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va,
                              zorder=6, linespacing=1.15, arrowprops=arrow,
                              bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none",
                                    "alpha": 0.8}, **style)
            box = ann.get_window_extent(renderer).expanded(1.04, 1.1)
            cost = sum(_overlap(box, b) for b in placed)
            for j, (px, py) in enumerate(centres):
                cost += _overlap(box, Bbox.from_extents(px - 9, py - 9, px + 9, py + 9))
                if j != i:
                    cost += 0.3 * _overlap(box, Bbox.from_extents(px - 24, py - 24, px + 24, py + 24))
            cost += 4 * (box.width * box.height - _overlap(box, axes_box))
            if best_cost is None or cost < best_cost:
                if best is not None:
                    best.remove()
                best, best_cost, best_box = ann, cost, box
            else:
                ann.remove()
            if cost == 0:
                break
        placed.append(best_box)


def _overlap(a: Bbox, b: Bbox) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w * h if w > 0 and h > 0 else 0.0


def check_output_path(path: Path | str, suffix: str, what: str) -> Path:
    """Reject an output path that cannot be written, before any work is done (raises `InputError`);
    `what` names the file in the message ('Diagramfilen')."""
    path = Path(path)
    if path.suffix.lower() != suffix:
        raise InputError(f"{what} {path} ska sluta på {suffix}.")
    if not path.parent.is_dir():
        raise InputError(f"Mappen {path.parent} finns inte – skapa den eller ange en annan sökväg för "
                         f"--{suffix[1:]}.")
    return path


def check_png_path(path: Path | str) -> Path:
    return check_output_path(path, ".png", "Diagramfilen")


def save_png(result: ScoreResult, path: Path | str, history: list[SavedAssessment] | None = None, *,
             rubric: Rubric | None = None, dpi: int = 150) -> Path:
    """Write the chart as a PNG and return its path."""
    path = check_png_path(path)
    fig = make_figure(result, history, rubric=rubric)
    try:
        fig.savefig(path, dpi=dpi, facecolor="white")
    except OSError as err:
        raise KategoriError(f"Diagrammet kunde inte sparas i {path} ({err.strerror}).") from None
    return path
