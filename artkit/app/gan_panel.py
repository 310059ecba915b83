"""The GAN panel's view: it draws the GAN lab beside the canvas and passes the painter's input on.

G shows or hides the panel (the canvas stays paintable). It shows the training data, the model,
Train / Pause / Stop, live loss curves, a 5 x 5 grid of samples from fixed seeds refreshed about
once a second, the step, images per second, the device, the best score so far and where its
best.pt is kept. Clicking a sample makes it the painting's source (smoothly enlarged,
optionally tinted with a palette: P); W starts a latent walk, the source slowly morphing from
that sample into others while the brush keeps painting; N draws new seeds; Save writes the
generator on screen. Dropping a `.pt` file loads a checkpoint (Train then continues it);
dropping a folder, .h5 or .npz file makes it the training data.

What the panel knows and does is `artkit.gan.lab.GanLab` (pygame-free, tested on its own);
this module only draws it, forwards keys and clicks to it, and does what it asks of the
window: toasts, new painting sources (built in a helper thread, `SourceBuilder`) and the
walk's painting. Training runs in a separate process (`artkit.gan.worker`), so painting keeps
its frame rate. Runs live in the user's data folder: `<data folder>/gan/<date>-<model>/` holds
best.pt, last.pt, losses, sample grids, and the generators painted from
(`painted/step_*.pt`), so every painting's `gan:` source spec can be opened again.

torch is never imported in the window's process; without torch the Train button is disabled
and the panel shows how to install it for the way artkit was installed.
"""

from __future__ import annotations

import functools
import threading
import time
from pathlib import Path

import numpy as np
import pygame

from artkit.app import theme
from artkit.app.hits import HitMap
from artkit.app.panels import Panel
from artkit.errors import ArtkitError
from artkit.gan import lab as gl
from artkit.gan import worker as gw
from artkit.gan.lab import BuildSource, LabState, Toast, WalkEnded
from artkit.gan.text import kilo
from artkit.sessions import data_dir

PANEL_WIDTH = 344
PAD = 16
GRID_COLS = 5
GAP = 4
RENDER_EVERY_S = 0.2          # new numbers and losses are redrawn at most 5 times a second
WALK_PAINT_BUDGET_S = 0.005   # painting the walk by itself: this much work per frame
# D on real is drawn last and brightest: it often runs on top of D on fake.
LINE_COLOURS = {"d_real": (120, 186, 255), "d_fake": theme.ACCENT, "g": theme.TOAST_OK}
LINE_LABELS = (("d_real", "D on real"), ("d_fake", "D on fake"), ("g", "G"))
LINE_ORDER = ("g", "d_fake", "d_real")
STATUS_COLOURS = {LabState.TRAINING: theme.TOAST_OK, LabState.PAUSED: theme.ACCENT,
                  LabState.STOPPING: theme.TEXT_DIM, LabState.STARTING: theme.TEXT_DIM,
                  LabState.LOADING: theme.TEXT_DIM}
MESSAGE_LINES = 3


# --------------------------------------------------------------------------- source building


class SourceBuilder:
    """Turns samples into painting sources in a helper thread (enlarging a sample and finding
    its edges takes ~0.1–0.3 s, far too long for one frame). The newest request wins."""

    def __init__(self):
        self._lock = threading.Condition()
        self._request = None
        self._result = None
        self._busy = False
        self._closed = False
        self._thread = None

    @property
    def idle(self) -> bool:
        with self._lock:
            return self._request is None and not self._busy

    def request(self, image, size, palette: str, spec: str, label: str, note: str = "") -> None:
        with self._lock:
            self._request = (np.array(image, copy=True), tuple(size), palette, spec, label, note)
            self._lock.notify()
        if self._thread is None:
            self._thread = threading.Thread(target=self._work, daemon=True,
                                            name="artkit-gan-sources")
            self._thread.start()

    def take(self):
        """(source, spec, note) of the newest finished picture, or None."""
        with self._lock:
            result, self._result = self._result, None
            return result

    def _work(self) -> None:
        from artkit.gan.painting import sample_source

        while True:
            with self._lock:
                while self._request is None and not self._closed:
                    self._lock.wait()
                if self._closed:
                    return
                request, self._request = self._request, None
                self._busy = True
            image, size, palette, spec, label, note = request
            try:
                result = (sample_source(image, size, palette, name=label), spec, note)
            except ArtkitError as error:
                result = (None, str(error), "error")
            with self._lock:
                self._busy = False
                if self._request is None:  # a newer request makes this one stale
                    self._result = result

    def wait(self, timeout: float = 10.0) -> bool:
        """Block until nothing is pending (tests and scripts)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.idle:
                return True
            time.sleep(0.01)
        return self.idle

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._lock.notify()


# --------------------------------------------------------------------------- the panel


class GanPanel(Panel):
    width = PANEL_WIDTH
    help_line = ("G", "GAN panel: train a GAN, click a sample to paint it (T P W N)")

    def __init__(self, worker_mode: str = "process", busy: float | None = None,
                 nice: int = gw.DEFAULT_NICE):
        super().__init__()
        self.worker_mode = worker_mode
        self.nice = nice
        self.lab = gl.GanLab(self._start_worker, lambda: data_dir() / "gan")
        # In a thread the trainer shares the window's GIL: pace it so painting stays smooth.
        self.lab.busy = busy if busy is not None else (1.0 if worker_mode == "process" else 0.35)
        self.builder = SourceBuilder()
        self.overflow: set = set()  # any text that did not fit where it was drawn (tests)
        self._thumbs = None
        self._thumb_key = None
        self._image = None
        self._rendered_at = 0.0
        self._hits = HitMap()
        self._text_cache: dict = {}
        self._hover = None
        self._pressed = False

    def _start_worker(self) -> gw.GanWorker:
        return gw.GanWorker(self.worker_mode, nice=self.nice).start()

    # -- plumbing ----------------------------------------------------------------------------
    def attach(self, app) -> None:
        super().attach(app)
        for suffix in (".pt", ".pth"):
            app.drop_handlers[suffix] = self.load_checkpoint
        for suffix in (".h5", ".hdf5", ".npz"):
            app.drop_handlers[suffix] = self.use_data
        previous = app.drop_handlers.get("")
        app.drop_handlers[""] = lambda path: self._drop_no_suffix(path, previous)

    def _drop_no_suffix(self, path: Path, previous) -> None:
        if Path(path).is_dir():
            self.use_data(path)
        elif previous is not None:
            previous(path)
        else:
            self.app.session.open_source(str(path))
            self.app.toasts.show(f"Painting from {Path(path).name} now.", "ok")

    def say(self, text: str, kind: str = "info") -> None:
        self.lab.say(text, kind)

    # -- showing and hiding --------------------------------------------------------------------
    def show(self) -> None:
        self.visible = True
        self.lab.open()

    def hide(self) -> None:
        """Hide the panel: training stops cleanly (its best generator is kept), walks end."""
        self.visible = False
        self.lab.hide()

    def toggle(self) -> None:
        self.hide() if self.visible else self.show()

    def use_data(self, path) -> None:
        """Train on a folder or file of pictures from now on (drop it, or --gan-data)."""
        self.lab.use_data(path)
        if not self.visible:
            self.show()

    def load_checkpoint(self, path) -> None:
        """Sample from a checkpoint (drop a .pt file, or --gan CKPT); Train then continues it."""
        if not self.visible and Path(path).expanduser().is_file() and not self.lab.busy_training:
            self.show()
        self.lab.load_checkpoint(path)

    # -- every frame ---------------------------------------------------------------------------
    def update(self, dt: float) -> None:
        lab = self.lab
        lab.update()
        for item in lab.take_outbox():
            self._do(item)
        result = self.builder.take()
        if result is not None:
            source, spec, note = result
            if source is None:
                lab.say(spec, "error")
            else:
                self.app.set_source(source, spec)
                if note:
                    lab.say(note, "ok")
        if lab.walk is not None:
            lab.walk_tick(self.builder.idle)
            for item in lab.take_outbox():
                self._do(item)
            if not self.app.autopaint and getattr(self.app, "_held", None) is None:
                self._paint_a_little()

    def _do(self, item) -> None:
        """What the lab asks of the window."""
        if isinstance(item, Toast):
            if self.app is not None:
                self.app.toasts.show(item.text, item.kind,
                                     seconds=6 if item.kind == "error" else 4)
        elif isinstance(item, BuildSource):
            self.builder.request(item.image, self.app.session.size, item.palette, item.spec,
                                 item.label, item.note)
        elif isinstance(item, WalkEnded):
            self.app.session.end_gesture()

    def _paint_a_little(self) -> None:
        """The walk paints by itself (like autopaint, but it never decides it is finished):
        one batch of the core's autopaint size per frame, within WALK_PAINT_BUDGET_S."""
        from artkit.autopaint import batch_sizes

        session = self.app.session
        batch = batch_sizes(session.size, session.brush_size)[1]
        started = time.perf_counter()
        while True:
            t0 = time.perf_counter()
            session.autopaint(batch)
            now = time.perf_counter()
            if now - started + (now - t0) > WALK_PAINT_BUDGET_S:
                break

    # -- input ---------------------------------------------------------------------------------
    def handle_event(self, event) -> bool:
        kind = event.type
        if kind == pygame.KEYDOWN:
            return self._key(event)
        if not self.visible:
            return False
        if kind == pygame.MOUSEBUTTONDOWN and self.rect.collidepoint(event.pos):
            self._pressed = True
            if event.button == 1:
                self._click(event.pos)
            return True
        if kind == pygame.MOUSEBUTTONUP and self._pressed:
            self._pressed = False
            return True
        if kind == pygame.MOUSEMOTION:
            hover = self._hit(event.pos) if self.rect.collidepoint(event.pos) else None
            if hover != self._hover:
                self._hover = hover
                self.lab.changed = True
        return False

    def _key(self, event) -> bool:
        if event.mod & (pygame.KMOD_CTRL | pygame.KMOD_META | pygame.KMOD_ALT):
            return False
        if event.key == pygame.K_g:
            self.toggle()
            return True
        if not self.visible:
            return False
        lab = self.lab
        action = {pygame.K_t: self._train, pygame.K_p: lab.cycle_palette,
                  pygame.K_w: lab.toggle_walk, pygame.K_n: lab.new_samples}.get(event.key)
        if action is None:
            return False
        action()
        return True

    def _train(self) -> None:
        if self.lab.torch_here:
            self.lab.train_button()
        else:
            self.lab.say(gw.no_torch_message(), "error")

    def _hit(self, pos):
        found = self._hits.at(pos)
        return found[1] if found else None

    def target_rect(self, target) -> pygame.Rect | None:
        """Screen rect of a clickable thing, e.g. ("button", "train") or ("sample", 3)."""
        return self._hits.rect_of(target)

    def _click(self, pos) -> None:
        target = self._hit(pos)
        if target is None:
            return
        what, value = target
        lab = self.lab
        try:
            if what == "sample":
                lab.paint_sample(value)
            elif what == "row":
                lab.cycle_data() if value == "data" else lab.cycle_model()
            elif what == "button":
                {"train": self._train, "stop": lab.stop_training,
                 "palette": lab.cycle_palette, "walk": lab.toggle_walk,
                 "new": lab.new_samples, "save": lab.save_generator}[value]()
        except ArtkitError as error:
            lab.say(str(error), "error")

    # -- drawing -----------------------------------------------------------------------------
    def draw(self, screen: pygame.Surface, force: bool = False) -> bool:
        lab, now = self.lab, time.perf_counter()
        stale = self._image is None or self._image.get_size() != self.rect.size
        changed = stale or lab.changed or (lab.stats_changed and
                                           now - self._rendered_at >= RENDER_EVERY_S)
        if changed:
            self._image = self._render()
            self._rendered_at = now
            lab.changed = lab.stats_changed = False
        if changed or force:
            screen.blit(self._image, self.rect)
        return changed or force

    def _render(self) -> pygame.Surface:
        lab = self.lab
        w, h = self.rect.size
        img = pygame.Surface((w, h))
        img.fill(theme.SIDEBAR)
        pygame.draw.line(img, theme.SIDEBAR_EDGE, (0, 0), (0, h))
        hits = []
        inner = w - 2 * PAD
        mouse = self._hover

        def hit(rect, target):
            hits.append((rect.move(self.rect.topleft), target))

        # title and state
        r = self._text(img, "GAN", (PAD, 14), 21, bold=True)
        self._text(img, "lab", (r.right + 7, r.bottom - 4), 14, theme.TEXT_DIM,
                   anchor="bottomleft")
        self._pill(img, lab.state, (w - PAD, 26))

        # data and model: click to change
        y = 54
        for key, label, value, note in (
                ("data", "Data", lab.dataset.label, lab.data_note()),
                ("model", "Model", lab.model_name, lab.model_note())):
            row = pygame.Rect(PAD - 6, y, inner + 12, 40)
            if mouse == ("row", key) and not lab.busy_training:
                pygame.draw.rect(img, theme.ROW_HOVER, row, border_radius=7)
            self._text(img, label.upper(), (PAD, y + 5), 11, theme.TEXT_FAINT, bold=True)
            room = inner - 58 - 18  # the ⟳ on the right
            # The data row may name a person's own folder: its middle gives way if need be.
            self._fitted(img, value, (PAD + 58, y + 3), (15, 13, 11), room, bold=True,
                         elide=key == "data")
            self._fitted(img, note, (PAD + 58, y + 22), (12, 11), room, colour=theme.TEXT_DIM,
                         elide=key == "data")
            if not lab.busy_training:
                self._text(img, "⟳", (w - PAD, y + 4), 14, theme.TEXT_FAINT, anchor="topright")
            hit(row, ("row", key))
            y += 44

        # Train / Pause / Stop
        y += 4
        bw = (inner - 2 * 8) // 3
        can_stop = lab.state in (LabState.TRAINING, LabState.PAUSED)
        buttons = (("train", lab.train_label(), "T", True, lab.can_train),
                   ("stop", "Stop", "", False, can_stop),
                   ("save", "Save G", "", False, lab.preview_from == "training"))
        for i, (name, label, key, primary, enabled) in enumerate(buttons):
            rect = pygame.Rect(PAD + i * (bw + 8), y, bw, 32)
            self._button(img, rect, label, key, primary and enabled, enabled,
                         mouse == ("button", name))
            hit(rect, ("button", name))
        y += 44

        # numbers
        third = inner // 3
        cols = ((PAD, "Step", f"{lab.step:,}"),
                (PAD + third, "Images/s", kilo(lab.rate) if lab.rate else "—"),
                (PAD + 2 * third, "Device", _device_short(lab.device_text)))
        for x, label, value in cols:
            self._text(img, label.upper(), (x, y), 11, theme.TEXT_FAINT, bold=True)
            self._fitted(img, value, (x, y + 14), (14, 12, 11), third - 6, bold=True, lines=2)
        y += 42
        self._text(img, "BEST", (PAD, y), 11, theme.TEXT_FAINT, bold=True)
        self._fitted(img, lab.best_text(), (PAD + 46, y - 1), (13, 12, 11), inner - 46)
        y += 18
        where = lab.best_path_text()
        if where:
            for line in _wrap_path(where, 11, inner - 46)[:2]:
                self._fitted(img, line, (PAD + 46, y), (11,), inner - 46,
                             colour=theme.TEXT_DIM)
                y += 14
        y += 6

        # loss curves
        bottom_h = 58 + 15 * MESSAGE_LINES  # the message and the bottom buttons
        room = h - y - bottom_h - 16 - 14 - 16 - 6  # minus the labels and gaps
        grid_side = min(inner, max(120, room - 64))
        chart_h = max(48, min(96, room - grid_side))
        chart = pygame.Rect(PAD, y + 16, inner, chart_h)
        self._text(img, "LOSSES", (PAD, y), 11, theme.TEXT_FAINT, bold=True)
        lx = w - PAD
        for key, label in reversed(LINE_LABELS):
            r = self._text(img, label, (lx, y - 1), 11, theme.TEXT_DIM, anchor="topright")
            pygame.draw.line(img, LINE_COLOURS[key], (r.left - 14, r.centery),
                             (r.left - 4, r.centery), 3)
            lx = r.left - 22
        self._chart(img, chart)
        y = chart.bottom + 14

        # samples
        self._text(img, "SAMPLES", (PAD, y), 11, theme.TEXT_FAINT, bold=True)
        if lab.preview is not None:
            self._fitted(img, f"step {lab.preview.step:,} · click one to paint it",
                         (w - PAD, y), (11,), inner - 70, colour=theme.TEXT_DIM,
                         anchor="topright")
        y += 16
        cell = (grid_side - GAP * (GRID_COLS - 1)) // GRID_COLS
        left = PAD + (inner - (cell * GRID_COLS + GAP * (GRID_COLS - 1))) // 2
        thumbs = self._thumbnails(cell)
        preview = lab.preview
        for i in range(gw.PREVIEW_COUNT):
            row, col = divmod(i, GRID_COLS)
            rect = pygame.Rect(left + col * (cell + GAP), y + row * (cell + GAP), cell, cell)
            if thumbs is not None and i < len(thumbs):
                img.blit(thumbs[i], rect)
                hit(rect, ("sample", i))
                seed = preview.seeds[i] if i < len(preview.seeds) else None
                if mouse == ("sample", i):
                    pygame.draw.rect(img, theme.TEXT, rect.inflate(4, 4), 2, border_radius=3)
                if seed is not None and seed == lab.selected_seed and lab.painted is not None:
                    pygame.draw.rect(img, theme.ACCENT, rect.inflate(4, 4), 3, border_radius=3)
            else:
                pygame.draw.rect(img, theme.BACKDROP, rect, border_radius=3)
        y += GRID_COLS * (cell + GAP) + 6
        if thumbs is None:
            grid = pygame.Rect(left, y - GRID_COLS * (cell + GAP) - 6, grid_side, grid_side)
            hint = lab.grid_hint()
            size = next((size for size in (13, 12) if _width(hint, size) <= grid_side - 8), 11)
            lines = _wrap(hint, size, grid_side - 8)
            top = grid.centery - len(lines) * (size + 2) // 2
            for i, line in enumerate(lines):
                self._fitted(img, line, (grid.centerx, top + i * (size + 2)), (size,),
                             grid_side - 8, colour=theme.TEXT_DIM, anchor="midtop")

        # message lines
        bottom = h - 52
        if lab.message:
            text, kind = lab.message
            colour = {"error": (236, 128, 112), "ok": (150, 210, 160)}.get(kind, theme.TEXT_DIM)
            size, lines = 12, _wrap(text, 12, inner)
            if len(lines) > MESSAGE_LINES:
                size, lines = 11, _wrap(text, 11, inner)
            if len(lines) > MESSAGE_LINES:
                self.overflow.add(text)
                lines = lines[:MESSAGE_LINES]
            top = max(y, bottom - 6 - 15 * len(lines))
            for i, line in enumerate(lines):
                self._text(img, line, (PAD, top + 15 * i), size, colour)

        # palette, walk, new samples
        y = h - 52
        has_samples = lab.preview is not None
        row = (("palette", f"{lab.palette}", "P", True),
               ("walk", "Walk" + (" · on" if lab.walk else ""), "W", lab.painted is not None),
               ("new", "New", "N", has_samples))
        for i, (name, label, key, enabled) in enumerate(row):
            rect = pygame.Rect(PAD + i * (bw + 8), y, bw, 32)
            on = name == "walk" and lab.walk is not None
            self._button(img, rect, label, key, on, enabled, mouse == ("button", name),
                         swatch=lab.palette if name == "palette" else None)
            hit(rect, ("button", name))
        self._hits.replace(hits)
        return img

    def _text(self, surface, string, pos, size=14, colour=theme.TEXT, bold=False,
              anchor="topleft") -> pygame.Rect:
        """Like `theme.text`, with the rendered words cached: most of the panel's text stays
        the same from one redraw to the next, and rendering text is most of a redraw's cost."""
        key = (string, size, colour, bold)
        image = self._text_cache.get(key)
        if image is None:
            if len(self._text_cache) > 600:
                self._text_cache.clear()
            image = self._text_cache[key] = theme.font(size, bold).render(string, True, colour)
        rect = image.get_rect(**{anchor: pos})
        surface.blit(image, rect)
        return rect

    def _fitted(self, surface, string, pos, sizes, width, colour=theme.TEXT, bold=False,
                anchor="topleft", lines: int = 1, elide: bool = False) -> pygame.Rect:
        """Draw `string` at the largest of `sizes` that fits `width` px, else (with lines > 1)
        wrapped at the smallest. The panel's own words are never cut: text that fits no way is
        drawn whole at the smallest size and noted in `overflow`. A person's own names (a
        dropped folder, elide=True) lose their middle to "…" instead."""
        for size in sizes:
            if _width(string, size, bold) <= width:
                return self._text(surface, string, pos, size, colour, bold, anchor)
        size = sizes[-1]
        if elide:
            return self._text(surface, _elided(string, size, width, bold), pos, size, colour,
                              bold, anchor)
        wrapped = _wrap(string, size, width)
        if lines > 1 and len(wrapped) <= lines and \
                all(_width(line, size, bold) <= width for line in wrapped):
            x, y = pos
            rect = None
            for i, line in enumerate(wrapped):
                r = self._text(surface, line, (x, y + i * (size + 1)), size, colour, bold, anchor)
                rect = r if rect is None else rect.union(r)
            return rect
        self.overflow.add(string)
        return self._text(surface, string, pos, size, colour, bold, anchor)

    def _pill(self, img, state: LabState, topright) -> None:
        colour = STATUS_COLOURS.get(state, theme.BADGE)
        face = theme.font(12, bold=True)
        text = face.render(state.label, True,
                           theme.ACCENT_TEXT if colour != theme.BADGE else theme.TEXT)
        rect = pygame.Rect(0, 0, text.get_width() + 18, text.get_height() + 6)
        rect.midright = topright
        pygame.draw.rect(img, colour, rect, border_radius=rect.height // 2)
        img.blit(text, text.get_rect(center=rect.center))

    def _button(self, img, rect, label, key, primary, enabled, hover, swatch=None) -> None:
        if primary:
            fill, colour = theme.ACCENT, theme.ACCENT_TEXT
        else:
            fill = theme.ROW_HOVER if hover and enabled else theme.BADGE
            colour = theme.TEXT if enabled else theme.TEXT_FAINT
        if primary and hover:
            fill = (246, 186, 112)
        pygame.draw.rect(img, fill, rect, border_radius=8)
        content_x = rect.x + 10
        if swatch is not None:
            self._swatch(img, pygame.Rect(content_x, rect.centery - 7, 22, 14), swatch)
            content_x += 28
        r = self._fitted(img, label, (content_x, rect.centery), (14, 12), rect.right - 4 -
                         content_x, colour, bold=primary, anchor="midleft")
        if key and r.right + 24 < rect.right:
            self._text(img, key, (rect.right - 9, rect.centery), 10,
                       theme.ACCENT_TEXT if primary else theme.TEXT_FAINT, bold=True,
                       anchor="midright")

    @staticmethod
    @functools.lru_cache(maxsize=16)
    def _swatch_surface(size, palette) -> pygame.Surface:
        from artkit.gan.painting import tint

        ramp = tint(np.linspace(0, 1, size[0], dtype=np.float32)[None, :], palette)
        ramp = np.round(np.repeat(ramp, size[1], axis=0) * 255).astype(np.uint8)
        return pygame.surfarray.make_surface(ramp.transpose(1, 0, 2))

    def _swatch(self, img, rect, palette) -> None:
        img.blit(self._swatch_surface(rect.size, palette), rect)
        pygame.draw.rect(img, theme.SIDEBAR_EDGE, rect, 1)

    def _chart(self, img, rect) -> None:
        pygame.draw.rect(img, theme.BACKDROP, rect, border_radius=6)
        losses = self.lab.losses
        if len(losses) < 2:
            self._text(img, "losses appear as the GAN trains", rect.center, 12, theme.TEXT_FAINT,
                       anchor="center")
            return
        data = losses.rows()
        if len(data) > rect.width:  # one point per pixel column is all the eye can see
            data = data[np.linspace(0, len(data) - 1, rect.width).astype(int)]
        x = data[:, 0]
        top = max(0.5, float(np.percentile(data[:, 1:], 99)) * 1.1)
        inner = rect.inflate(-12, -12)
        for frac in (0.25, 0.5, 0.75):
            gy = inner.bottom - frac * inner.height
            pygame.draw.line(img, theme.SIDEBAR_EDGE, (inner.left, gy), (inner.right, gy))
        self._text(img, f"{top:.1f}", (rect.left + 4, rect.top + 2), 10, theme.TEXT_FAINT)
        span = max(1.0, x[-1] - x[0])
        xs = inner.left + (x - x[0]) / span * inner.width
        columns = {key: column for column, (key, _) in enumerate(LINE_LABELS, start=1)}
        for key in LINE_ORDER:
            ys = inner.bottom - np.clip(data[:, columns[key]] / top, 0, 1) * inner.height
            points = np.stack([xs, ys], axis=1)
            if key == "d_real":  # two pixels wide, so it shows where it runs over D on fake
                pygame.draw.lines(img, LINE_COLOURS[key], False, points, 2)
            else:
                pygame.draw.aalines(img, LINE_COLOURS[key], False, points)
        self._text(img, f"{kilo(x[-1])} images", (rect.right - 4, rect.bottom - 2), 10,
                   theme.TEXT_FAINT, anchor="bottomright")

    def _thumbnails(self, cell: int):
        preview = self.lab.preview
        if preview is None:
            return None
        key = (id(preview), cell, self.lab.palette)
        if self._thumb_key != key:
            from artkit.gan.painting import tint

            thumbs = []
            for image in preview.images:
                rgb = np.ascontiguousarray(np.round(tint(image, self.lab.palette) * 255)
                                           .astype(np.uint8))
                small = pygame.image.frombuffer(rgb.tobytes(), (rgb.shape[1], rgb.shape[0]),
                                                "RGB")
                thumbs.append(pygame.transform.smoothscale(small, (cell, cell)))
            self._thumbs, self._thumb_key = thumbs, key
        return self._thumbs

    # -- the end -----------------------------------------------------------------------------
    def close(self) -> None:
        """The app is quitting: stop training cleanly (best.pt is written) and end the engine."""
        self.builder.close()
        if self.lab.busy_training:
            print("Stopping the GAN: keeping its best generator…", flush=True)
        self.lab.close(timeout=60)


def _device_short(text: str) -> str:
    """"cpu (1 thread)" → "CPU · 1 thread"; "cuda (NVIDIA H100)" → "CUDA · H100"."""
    kind, _, rest = text.partition(" (")
    if kind not in ("cpu", "cuda", "mps"):
        return text
    label = {"cpu": "CPU", "cuda": "CUDA", "mps": "Apple mps"}[kind]
    name = rest.rstrip(")").removeprefix("NVIDIA ").removeprefix("GeForce ")
    return f"{label} · {name}" if name else label


@functools.lru_cache(maxsize=64)
def _elided(text: str, size: int, width: int, bold: bool = False) -> str:
    """`text` with its middle replaced by "…" until it fits `width` px."""
    keep = len(text)
    while keep > 2:
        keep -= 1
        shorter = text[:(keep + 1) // 2] + "…" + text[len(text) - keep // 2:]
        if _width(shorter, size, bold) <= width:
            return shorter
    return "…"


@functools.lru_cache(maxsize=256)
def _wrap(text: str, size: int, width: int) -> list:
    return theme.wrap(text, size, width)


@functools.lru_cache(maxsize=512)
def _width(text: str, size: int, bold: bool = False) -> int:
    return theme.font(size, bold).size(text)[0]


def _wrap_path(text: str, size: int, width: int) -> list:
    """Lines of a path that fit `width` px, broken after a "/" where a line is full."""
    lines, line = [], ""
    for part in text.replace("/", "/\n").split("\n"):
        if line and _width(line + part, size) > width:
            lines.append(line)
            line = part
        else:
            line += part
    return lines + [line] if line else lines


# --------------------------------------------------------------------------- plugging in


def attach(app) -> GanPanel:
    """Add the GAN panel to a paint app (called by `PaintApp.attach_plugins`)."""
    panel = GanPanel()
    app.add_panel(panel)
    return panel


def find_panel(app) -> GanPanel | None:
    return next((p for p in app.panels if isinstance(p, GanPanel)), None)


def show_panel(app, checkpoint=None, data=None) -> GanPanel:
    """Open the GAN panel (for `artkit paint --gan [CHECKPOINT] [--gan-data PATH]`): load the
    checkpoint and/or train on the data given."""
    panel = find_panel(app) or attach(app)
    panel.show()
    try:
        if data:
            panel.use_data(data)
        if checkpoint:
            panel.load_checkpoint(checkpoint)
    except ArtkitError as error:  # the window stays open; the panel says what went wrong
        panel.say(str(error), "error")
    app.layout()
    return panel
