"""A painting as vector graphics: SVG (for browsers and pen plotters) and PDF (for print).

A painting is its stroke log, so a vector copy is "replay onto a vector canvas": the marks are
drawn by the same `artkit.strokes.render_strokes` as the PNG, onto skia's SVG or PDF back end
instead of its raster one, so every line, curve and dab has the geometry, width, colour and
opacity it has in the picture.

The SVG is arranged for plotters. Each mark's colour is given a *pen*: every distinct colour
has its own when there are at most `pens` of them, otherwise similar colours share one of
`pens` pens (median cut over the marks' colours). Marks stay in the order they were painted
(translucent marks blend differently in another order, and the SVG must look like the PNG), so
the file is a sequence of top-level groups, each a run of marks of one pen:

    <g id="paper" inkscape:label="1 paper">   the background
    <g id="pen3-17" inkscape:label="3 #c05a2b" data-marks="24">   run 17, drawn with pen 3

vpype reads each top-level group as a layer numbered by the first number in its label and
merges groups with the same number, so `vpype read painting.svg` gives layer 1 (the paper,
`ldelete 1`) and one layer per pen, however the runs interleave. `data-marks` says how many
brush marks a group holds (a clump of hairs is one `<path>` with one subpath per hair).

The groups are made by a pass over skia's output, not by writing SVG ourselves: skia's SVG
canvas writes each element to its stream as it is drawn, so the stream's length after each
run marks where that run's elements end, and skia stays the one thing that turns marks into
geometry. The same pass rounds coordinates to 1/100 of an output pixel (skia writes eight
significant digits, three times the bytes for a difference no rasteriser shows).

Core module: numpy, Pillow and skia only.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import skia

from artkit.errors import ArtkitError
from artkit.files import atomic_write, check_writable
from artkit.strokes import render_strokes

__all__ = ["VECTOR_SUFFIXES", "DEFAULT_PENS", "Painting", "VectorExport", "check_vector_path",
           "export_vector", "svg_bytes", "pdf_bytes", "pen_assignment"]

VECTOR_SUFFIXES = (".svg", ".pdf")
DEFAULT_PENS = 8          # pens a plotter is likely to have; more colours share them
MAX_PENS = 64
PAPER_LAYER = 1           # vpype's layer number for the background group
COORDINATE_DECIMALS = 2   # 1/100 of an output pixel
OPACITY_DECIMALS = 3      # 1/1000: alpha is stored in 1/255 steps, so this keeps it exact

INKSCAPE_NS = "http://www.inkscape.org/namespaces/inkscape"


@dataclass
class VectorExport:
    """What `export_vector` wrote: the file, its size, and how the marks were grouped."""

    path: Path
    bytes: int
    marks: int
    groups: int = 0                            # SVG: top-level runs of one pen (paper excluded)
    pens: list = field(default_factory=list)   # SVG: (layer number, '#rrggbb') per pen


def check_vector_path(path) -> Path:
    """`path` as a Path when it names an .svg or .pdf file artkit can write."""
    path = Path(path)
    if path.suffix.lower() not in VECTOR_SUFFIXES:
        raise ArtkitError(f"A vector copy must be an .svg or .pdf file, not '{path.name}'.")
    return check_writable(path)


# ---------------------------------------------------------------------------------------------
# What is drawn

@dataclass(frozen=True)
class Painting:
    """What a vector copy draws, taken from a stroke log at one moment: its size, its paper
    and the batches the canvas shows (those after the last clear). Batches are never changed
    once logged, so a window can hand this to a thread and paint on."""

    size: tuple[int, int]
    background: tuple[int, int, int]
    batches: tuple

    @classmethod
    def of(cls, log, background=None) -> "Painting":
        """The painting `log` shows now, with only the marks that touch the page (a brush
        near the edge scatters some wholly outside it: the PNG doesn't show them, and a
        plotter must not draw them)."""
        from artkit.color import to_rgba

        bg = background if background is not None else log.meta.get("background", "white")
        rgb = tuple(int(c) for c in bg[:3]) if isinstance(bg, (list, tuple)) else \
            tuple(to_rgba(bg)[:3])
        batches = (_on_page(s, log.size) for g in log.visible_gestures() for s in g.strokes)
        return cls(tuple(log.size), rgb, tuple(b for b in batches if len(b)))

    @property
    def marks(self) -> int:
        return sum(len(b) for b in self.batches)


def _on_page(strokes, size):
    """The marks of `strokes` whose extent (points, widened by half the width) meets the
    page (0, 0)-(w, h)."""
    if not len(strokes):
        return strokes
    half = strokes.width[:, None] * np.float32(0.5)
    low = strokes.points.min(axis=1) - half
    high = strokes.points.max(axis=1) + half
    inside = (high[:, 0] > 0) & (high[:, 1] > 0) & (low[:, 0] < size[0]) & (low[:, 1] < size[1])
    return strokes if inside.all() else strokes[inside]


def _output_size(painting: Painting, scale: float) -> tuple[int, int]:
    if not (0 < scale <= 16):
        raise ArtkitError(f"--scale must be more than 0 and at most 16, not {scale}.")
    return tuple(max(1, round(v * scale)) for v in painting.size)


def _painting(source, background=None) -> Painting:
    """A Painting from a Painting, a StrokeLog or a .strokes path."""
    if isinstance(source, Painting):
        return source
    from artkit.strokelog import StrokeLog

    if not isinstance(source, StrokeLog):
        source = StrokeLog.load(source)
    return Painting.of(source, background)


def _paint_paper(sk_canvas, rgb, size) -> None:
    paint = skia.Paint(Color=skia.Color(*rgb))
    sk_canvas.drawRect(skia.Rect.MakeWH(*size), paint)


# ---------------------------------------------------------------------------------------------
# Pens

def pen_assignment(batches, pens: int = DEFAULT_PENS):
    """(pen index per mark of each batch, palette (K, 3) uint8): every distinct colour is its
    own pen when there are at most `pens`, else median cut picks `pens` shared ones. Pens are
    numbered in the order they are first used, so the first marks painted use pen 0."""
    from PIL import Image

    if not 1 <= pens <= MAX_PENS:
        raise ArtkitError(f"--pens must be from 1 to {MAX_PENS}, not {pens}.")
    if not batches:
        return [], np.zeros((0, 3), np.uint8)
    rgb = np.concatenate([b.rgba[:, :3] for b in batches])
    unique, index = np.unique(rgb, axis=0, return_inverse=True)
    index = index.reshape(-1)
    if len(unique) > pens:
        # Quantise the distinct colours, weighted by use (one pixel per mark).
        picture = Image.fromarray(rgb[None, :, :], "RGB")
        quantised = picture.quantize(pens, method=Image.Quantize.MEDIANCUT)
        index = np.asarray(quantised, np.int64).reshape(-1)
        palette = np.asarray(quantised.getpalette()[:3 * pens], np.uint8).reshape(-1, 3)
    else:
        palette = unique
    # Renumber pens by first use.
    used, first = np.unique(index, return_index=True)
    order = used[np.argsort(first)]
    renumber = np.empty(index.max() + 1, np.int64)
    renumber[order] = np.arange(len(order))
    index = renumber[index]
    palette = palette[order]
    per_batch, at = [], 0
    for b in batches:
        per_batch.append(index[at:at + len(b)])
        at += len(b)
    return per_batch, palette


def _pen_runs(pen: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of each run of consecutive marks with one pen."""
    cuts = np.flatnonzero(np.diff(pen) != 0) + 1
    edges = [0, *cuts.tolist(), len(pen)]
    return list(zip(edges[:-1], edges[1:]))


# ---------------------------------------------------------------------------------------------
# SVG

_SVG_START = re.compile(rb"<svg\b[^>]*")
# Attributes holding lengths and coordinates, and those holding opacities.
_GEOMETRY_ATTR = re.compile(rb'\b(d|cx|cy|rx|ry|x|y|x1|y1|x2|y2|width|height|stroke-width|r)="([^"]*)"')
_OPACITY_ATTR = re.compile(rb'\b((?:fill-|stroke-)?opacity)="([^"]*)"')
_NUMBER = re.compile(rb"-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def _short(value: float, decimals: int) -> bytes:
    """`value` rounded, without trailing zeros or a leading '0' ('-0.50' -> '-.5')."""
    text = f"{value:.{decimals}f}".rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    if text.startswith("0."):
        text = text[1:]
    elif text.startswith("-0."):
        text = "-" + text[2:]
    return text.encode()


def _round_numbers(text: bytes, decimals: int) -> bytes:
    return _NUMBER.sub(lambda m: _short(float(m.group()), decimals), text)


_PATH_COMMAND = re.compile(rb"[A-Za-z]")
# Points per command, for the commands skia writes for strokes and dabs (M, L, Q, C).
_POINTS_PER_COMMAND = bytes.maketrans(b"MLQC", b"\x01\x01\x02\x03")
_SKIA_COMMANDS = frozenset(b"MLQC")


def _path_data(d: bytes) -> bytes:
    """skia's absolute path data rewritten with relative coordinates in 1/100 px.

    Relative steps are differences of the rounded absolute points (whole hundredths), so
    rounding never drifts along a hair; a command letter repeated is left out, as SVG allows.
    A path with other commands keeps its absolute form, rounded."""
    letters = b"".join(_PATH_COMMAND.findall(d))
    if not letters or letters[0] != ord("M") or not _SKIA_COMMANDS.issuperset(letters):
        return _round_numbers(d, COORDINATE_DECIMALS)
    numbers = np.array(_NUMBER.findall(d)).astype(np.float64)
    points = np.frombuffer(letters.translate(_POINTS_PER_COMMAND), np.uint8).astype(np.int64)
    if len(numbers) != 2 * points.sum():
        return _round_numbers(d, COORDINATE_DECIMALS)
    at = np.rint(numbers * 10 ** COORDINATE_DECIMALS).astype(np.int64).reshape(-1, 2)
    # Every point of a command is relative to where the previous command ended.
    command_end = np.cumsum(points) - 1
    reference = np.repeat(np.concatenate([[-1], command_end[:-1]]), points)
    steps = at.copy()
    relative = reference >= 0
    steps[relative] -= at[reference[relative]]
    flat = steps.reshape(-1)
    values, which = np.unique(flat, return_inverse=True)
    text = np.array([_hundredths(v) for v in values.tolist()], dtype=object)[which]
    # Before each number: its command's letter where the letter changes, else a space (none
    # before a minus sign, which separates numbers by itself).
    before = np.where(flat < 0, "", " ").astype(object)
    written = np.frombuffer(b"M" + letters[1:].lower(), np.uint8)
    changes = np.concatenate([[True], written[1:] != written[:-1]])
    first_number = np.concatenate([[0], np.cumsum(points * 2)[:-1]])
    before[first_number[changes]] = [chr(c) for c in written[changes].tolist()]
    return "".join((before + text).tolist()).encode()


@functools.lru_cache(maxsize=1 << 16)   # steps along hairs repeat: most are found here
def _hundredths(value: int) -> str:
    """A whole number of 1/100 steps as short decimal text: 250 -> '2.5', -5 -> '-.05'."""
    sign = "-" if value < 0 else ""
    whole, part = divmod(abs(value), 10 ** COORDINATE_DECIMALS)
    if not part:
        return f"{sign}{whole}"
    return f"{sign}{whole or ''}.{part:0{COORDINATE_DECIMALS}d}".rstrip("0")


def _rounded(chunk: bytes) -> bytes:
    def geometry(m):
        value = m.group(2)
        value = _path_data(value) if m.group(1) == b"d" else \
            _round_numbers(value, COORDINATE_DECIMALS)
        return m.group(1) + b'="' + value + b'"'

    chunk = _GEOMETRY_ATTR.sub(geometry, chunk)
    return _OPACITY_ATTR.sub(
        lambda m: m.group(1) + b'="' + _round_numbers(m.group(2), OPACITY_DECIMALS) + b'"',
        chunk)


def _hex(rgb) -> str:
    return "#" + "".join(f"{int(c):02x}" for c in rgb)


def svg_bytes(painting, scale: float = 1.0, background=None, pens: int = DEFAULT_PENS):
    """A painting (a Painting, StrokeLog or .strokes path) as SVG bytes, `scale` times its
    size, and a VectorExport describing it (its `path` is None)."""
    painting = _painting(painting, background)
    size = _output_size(painting, scale)
    batches = painting.batches
    pen_of, palette = pen_assignment(batches, pens)

    stream = skia.DynamicMemoryWStream()
    sk_canvas = skia.SVGCanvas.Make(skia.Rect.MakeWH(*size), stream,
                                    skia.SVGCanvas.kNoPrettyXML_Flag)
    start = stream.bytesWritten()
    _paint_paper(sk_canvas, painting.background, size)
    # (byte offset where the group ends, pen or None for the paper, marks in it)
    ends = [[stream.bytesWritten(), None, 0]]
    for strokes, pen in zip(batches, pen_of):
        for lo, hi in _pen_runs(pen):
            render_strokes(sk_canvas, strokes[lo:hi], scale)
            if ends[-1][1] == pen[lo]:   # the same pen as the last run (of the batch before)
                ends[-1][0] = stream.bytesWritten()
                ends[-1][2] += hi - lo
            else:
                ends.append([stream.bytesWritten(), int(pen[lo]), hi - lo])
    del sk_canvas   # closes the document: skia writes </svg>
    data = stream.detachAsData().bytes()

    parts = [b'<?xml version="1.0" encoding="utf-8"?>\n',
             f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="{INKSCAPE_NS}" '
             f'width="{size[0]}" height="{size[1]}" viewBox="0 0 {size[0]} {size[1]}">\n'
             .encode()]
    if not _SVG_START.match(data, data.find(b"<svg")):
        raise ArtkitError("skia wrote an SVG artkit can't read; this is a bug in artkit.")
    at, groups = start, 0
    for end, pen, marks in ends:
        chunk = data[at:end].lstrip(b">")   # skia closes <svg ...> when its first child starts
        at = end
        if not chunk:
            continue
        if pen is None:
            parts.append(f'<g id="paper" inkscape:label="{PAPER_LAYER} paper">'.encode())
        else:
            groups += 1
            layer = pen + PAPER_LAYER + 1
            parts.append(f'<g id="pen{layer}-{groups}" inkscape:label="{layer} '
                         f'{_hex(palette[pen])}" data-marks="{marks}">'.encode())
        parts += [_rounded(chunk), b"</g>\n"]
    parts.append(b"</svg>\n")
    info = VectorExport(None, 0, painting.marks, groups,
                        [(i + PAPER_LAYER + 1, _hex(c)) for i, c in enumerate(palette)])
    return b"".join(parts), info


# ---------------------------------------------------------------------------------------------
# PDF

def pdf_bytes(painting, scale: float = 1.0, background=None,
              title: str = "artkit painting") -> bytes:
    """A painting (a Painting, StrokeLog or .strokes path) as a one-page PDF, one point per
    output pixel."""
    from artkit.version import __version__

    painting = _painting(painting, background)
    size = _output_size(painting, scale)
    stream = skia.DynamicMemoryWStream()
    metadata = skia.PDF.Metadata()
    metadata.fTitle = title
    metadata.fCreator = f"artkit {__version__}"
    document = skia.PDF.MakeDocument(stream, metadata)
    page = document.beginPage(*size)
    _paint_paper(page, painting.background, size)
    for strokes in painting.batches:
        render_strokes(page, strokes, scale)
    document.endPage()
    document.close()
    return stream.detachAsData().bytes()


# ---------------------------------------------------------------------------------------------
# Files

def export_vector(painting, out, scale: float = 1.0, background=None,
                  pens: int = DEFAULT_PENS) -> VectorExport:
    """Write a painting (a Painting, StrokeLog or .strokes path) to `out`: an .svg (marks
    grouped by pen, see the module's notes) or a .pdf, `scale` times the painting's size."""
    out = check_vector_path(out)
    painting = _painting(painting, background)
    if out.suffix.lower() == ".svg":
        data, info = svg_bytes(painting, scale, pens=pens)
    else:
        data = pdf_bytes(painting, scale, title=out.stem)
        info = VectorExport(None, 0, painting.marks)
    with atomic_write(out) as f:   # a crash or a full disk leaves any old file intact
        f.write(data)
    info.path, info.bytes = out, len(data)
    return info
