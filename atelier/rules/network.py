"""A layout of the actors' network that a room can read: the same at every load, labels apart, inside the frame.

Pure and deterministic: a force layout started from a circle in the order of the actors' keys (no randomness)
puts linked actors near each other; then each actor takes the nearest free cell of a grid whose cells are as
large as a label (wrapped on two lines): labels cannot overlap, and every cell is inside the frame.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 1600.0  # the frame the positions are computed in; the chart scales it to its own size
HEIGHT = 760.0
CHAR_WIDTH = 0.58  # of the font size: a generous width for a bold label's character
LINE = 1.3


@dataclass(frozen=True)
class Placed:
    key: str
    x: float
    y: float
    label_width: float
    label_height: float
    font: float = 26.0

    def box(self, gap: float) -> tuple[float, float, float, float]:
        """The label's box (under the node) with the node itself: left, top, right, bottom."""
        half = self.label_width / 2 + gap
        return (self.x - half, self.y - 16 - gap, self.x + half, self.y + 16 + self.label_height + gap)


LABEL_CHARS = 16  # a label wraps past this many characters, on two lines at most


def wrapped(label: str) -> list[str]:
    """The label on at most two lines of about LABEL_CHARS characters, cut at spaces."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= LABEL_CHARS:
            lines[-1] += " " + word
        elif len(lines) < 2:
            lines.append(word)
        else:
            lines[-1] += " " + word
    if len(lines) == 2 and len(lines[1]) > LABEL_CHARS + 2:
        cut = lines[1][:LABEL_CHARS + 1]
        lines[1] = (cut.rsplit(" ", 1)[0] if " " in cut else cut[:LABEL_CHARS]).rstrip() + "…"
    return lines or [label]


def label_size(label: str, font: float) -> tuple[float, float]:
    lines = wrapped(label)
    return max(max(len(line) for line in lines), 3) * font * CHAR_WIDTH, font * LINE * len(lines)


def layout(nodes: Sequence[tuple[str, str]], links: Sequence[tuple[str, str]], font: float = 26.0,
           iterations: int = 150) -> dict[str, Placed]:
    """Positions for `nodes` ((key, label)) joined by `links` ((key, key)), in a WIDTH × HEIGHT frame, with the
    label's size at `font` in the frame's units."""
    keys = sorted({k for k, _ in nodes})
    labels = dict(nodes)
    if not keys:
        return {}
    n = len(keys)
    index = {k: i for i, k in enumerate(keys)}
    pos = [[WIDTH / 2 + WIDTH * 0.35 * math.cos(2 * math.pi * i / n),
            HEIGHT / 2 + HEIGHT * 0.35 * math.sin(2 * math.pi * i / n)] for i in range(n)]
    edges = sorted({(min(index[a], index[b]), max(index[a], index[b])) for a, b in links
                    if a in index and b in index and a != b})
    ideal = math.sqrt(WIDTH * HEIGHT / n) * 0.8
    temperature = WIDTH / 8
    # Bounded work whatever the territory's size: n² pairs per round.
    iterations = max(10, min(iterations, 400_000 // (n * n)))
    for _ in range(iterations):  # Fruchterman–Reingold, deterministic
        move = [[0.0, 0.0] for _ in range(n)]
        for i in range(n):
            for j in range(i + 1, n):
                dx, dy = pos[i][0] - pos[j][0], pos[i][1] - pos[j][1]
                d = max(math.hypot(dx, dy), 1.0)
                force = ideal * ideal / d
                move[i][0] += dx / d * force
                move[i][1] += dy / d * force
                move[j][0] -= dx / d * force
                move[j][1] -= dy / d * force
        for i, j in edges:
            dx, dy = pos[i][0] - pos[j][0], pos[i][1] - pos[j][1]
            d = max(math.hypot(dx, dy), 1.0)
            force = d * d / ideal
            move[i][0] -= dx / d * force
            move[i][1] -= dy / d * force
            move[j][0] += dx / d * force
            move[j][1] += dy / d * force
        for i in range(n):  # a pull to the centre keeps unlinked actors from drifting to the edges
            move[i][0] -= (pos[i][0] - WIDTH / 2) * 0.02 * ideal / 10
            move[i][1] -= (pos[i][1] - HEIGHT / 2) * 0.02 * ideal / 10
            length = max(math.hypot(*move[i]), 1e-9)
            step = min(length, temperature)
            pos[i][0] += move[i][0] / length * step
            pos[i][1] += move[i][1] / length * step
        temperature = max(temperature * 0.97, 2.0)
    return _snapped(keys, [labels.get(k, k) for k in keys], pos, font)


def _snapped(keys: list[str], labels: list[str], pos: list[list[float]], font: float) -> dict[str, Placed]:
    """Each actor in the free grid cell nearest its place in the force layout, the layout first stretched to the
    grid's extent; the font shrinks when the frame has fewer cells than actors."""
    n = len(keys)
    while True:
        sizes = [label_size(label, font) for label in labels]
        cell_w = max(w for w, _ in sizes) + font * 0.8
        cell_h = max(h for _, h in sizes) + 34 + font * 0.4  # node above its label
        cols, rows = int(WIDTH // cell_w), int(HEIGHT // cell_h)
        if cols * rows >= n or font <= 10:
            break
        font -= 1
    cols, rows = max(cols, 1), max(rows, 1)
    xs, ys = [p[0] for p in pos], [p[1] for p in pos]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    wanted = [((p[0] - min(xs)) / span_x * (cols - 1), (p[1] - min(ys)) / span_y * (rows - 1)) for p in pos]
    free = {(c, r) for c in range(cols) for r in range(rows)}
    margin_x = (WIDTH - cols * cell_w) / 2
    margin_y = (HEIGHT - rows * cell_h) / 2
    placed: dict[str, Placed] = {}
    # The most central actors choose first: they are the ones the links meet at.
    order = sorted(range(n), key=lambda i: (math.hypot(wanted[i][0] - (cols - 1) / 2, wanted[i][1] - (rows - 1) / 2),
                                            keys[i]))
    for i in order:
        if not free:
            break
        cell = min(free, key=lambda c: ((c[0] - wanted[i][0]) ** 2 + (c[1] - wanted[i][1]) ** 2, c))
        free.discard(cell)
        x = margin_x + (cell[0] + 0.5) * cell_w
        y = margin_y + cell[1] * cell_h + 18 + font * 0.2
        placed[keys[i]] = Placed(keys[i], x, y, *sizes[i], font=font)
    return placed


def overlaps(a: Placed, b: Placed, gap: float = 0.0) -> bool:
    al, at, ar, ab = a.box(gap)
    bl, bt, br, bb = b.box(gap)
    return al < br and bl < ar and at < bb and bt < ab


def inside(p: Placed) -> bool:
    left, top, right, bottom = p.box(0)
    return left >= 0 and top >= 0 and right <= WIDTH and bottom <= HEIGHT
