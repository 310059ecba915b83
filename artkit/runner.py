"""Load a sketch file, run its frames, reload it when it changes, and keep it from freezing.

A sketch is a plain Python file with `setup()` and/or `draw()` and optional event hooks
(`mouse_pressed`, `mouse_released`, `mouse_moved`, `mouse_dragged`, `key_pressed`,
`key_released`). A hook gets the arguments it names (`def mouse_pressed(x, y):`,
`def key_pressed(key):`). A file with neither setup nor draw is a static sketch: its top level
draws once. The beginner API (`artkit.api`) is put into the sketch's own module dict, so no
import is needed, and the live names (`mouse_x`, `frame_count`, `width`...) are refreshed in
that dict before every call into the sketch.

This module never imports pygame: `artkit run FILE --frames N` drives `SketchRunner` directly,
and the window (`artkit.app.sketch_window`) drives the same object, feeding it events.

Infinite-loop guard. Sketch code runs in a short-lived worker thread per call (module top
level, setup, a frame of events + draw). The caller waits for it with a deadline; when the
deadline passes it raises `SketchStopped` inside the worker with
`ctypes.pythonapi.PyThreadState_SetAsyncExc`. CPython checks for such pending exceptions
between bytecodes, so pure-Python loops (`while True: pass`) stop within milliseconds, while
the window thread stays free to handle events. We chose this over `sys.settrace` (which would
slow every line of every frame) and over a subprocess (which would have to ship every frame's
pixels and the canvas state across a process boundary). `SketchStopped` derives from
BaseException, so a sketch's `except Exception:` can't swallow it; the interrupt is re-sent a
few times in case a bare `except:` does. Code stuck inside one long C call (a huge `sleep`)
can't be interrupted; the runner then gives that thread up and reports it.

Live reload. `reload_if_changed()` polls the file's modification time (cheap; called every
frame, it checks at most every `poll_interval` seconds). A new version is loaded beside the
running one; it becomes the running sketch only once its top level, setup and first frame
have run without error. If any of those fails, the message is reported and the last good
version carries on. Fixing the file brings the new version in.
"""

from __future__ import annotations

import ast
import builtins
import collections
import ctypes
import inspect
import math
import os
import sys
import threading
import time
import types
from dataclasses import dataclass, field
from pathlib import Path

from artkit import friendly, mistakes
from artkit.errors import ArtkitError
from artkit.files import check_regular_file
from artkit.friendly import HOOK_ARGUMENTS, Problem
from artkit.params import ParamError
from artkit.sketch import SketchContext, apply_settings, check_settings, new_seed, setting_params

DEFAULT_TIMEOUT = 3.0
KEEPS_RUNNING = " (The last version that worked keeps running until you fix this.)"
RUNNER_FLAG = "__artkit_runner__"  # set in the sketch's globals: artkit.go() sees it and does nothing


class SketchStopped(BaseException):
    """Raised inside sketch code by the guard (time limit passed, or the window closed)."""


# ---------------------------------------------------------------------------------------------
# Running a call with a time limit

@dataclass
class GuardedResult:
    error: BaseException | None = None
    timed_out: bool = False      # ran past its time limit and was stopped
    cancelled: bool = False      # stopped because `should_stop()` asked (window closing)
    stuck: bool = False          # would not stop even when interrupted; the thread was given up
    stopped_at: BaseException | None = None   # the SketchStopped, whose traceback says where

    @property
    def ok(self) -> bool:
        return self.error is None and not (self.timed_out or self.cancelled or self.stuck)


def _raise_in_thread(thread: threading.Thread, exc_type: type) -> None:
    """Ask CPython to raise exc_type in `thread` at its next bytecode."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident), ctypes.py_object(exc_type))


def run_guarded(function, timeout: float, pump=None, should_stop=None, poll: float = 0.01) -> GuardedResult:
    """Run `function()` in a worker thread, stopping it if it runs longer than `timeout` seconds.

    `pump()` is called about every `poll` seconds while waiting (the window handles its events
    there); `should_stop()` returning True stops the call early. Returns a GuardedResult.
    """
    result = GuardedResult()

    def body():
        try:
            try:
                function()
            except SketchStopped as stop:
                result.stopped_at = stop  # the guard stopped it; the waiting side records why
            except BaseException as error:  # everything the sketch raised is reported
                result.error = error
        except SketchStopped:
            pass  # a stop that landed just after the function had finished

    worker = threading.Thread(target=body, name="artkit-sketch", daemon=True)
    worker.start()
    deadline = time.monotonic() + timeout
    wait = poll if (pump is not None or should_stop is not None) else max(timeout, 0.0)
    while True:
        worker.join(wait)
        if not worker.is_alive():
            return result
        if pump is not None:
            pump()
        if should_stop is not None and should_stop():
            result.cancelled = True
            break
        if time.monotonic() >= deadline:
            result.timed_out = True
            break
        if pump is None and should_stop is None:
            wait = max(0.0, deadline - time.monotonic())
    # Stop it: send the exception, and send again in case the sketch caught it.
    for _ in range(20):
        if not worker.is_alive():
            return result
        _raise_in_thread(worker, SketchStopped)
        worker.join(0.1)
    result.stuck = worker.is_alive()
    return result


# ---------------------------------------------------------------------------------------------
# One loaded version of a sketch file

@dataclass
class LoadedSketch:
    source: str
    lines: list[str]
    module: types.ModuleType
    context: SketchContext
    hooks: dict = field(default_factory=dict)   # hook name -> (function, argument names)
    proven: bool = False                        # has drawn a frame without error
    settings: dict = field(default_factory=dict)  # the --param overrides it got, checked

    @property
    def namespace(self) -> dict:
        return self.module.__dict__

    @property
    def animated(self) -> bool:
        return "draw" in self.hooks


@dataclass
class _Event:
    kind: str          # "mouse_pressed", "mouse_released", "mouse_moved", "mouse_wheel", "key_pressed", "key_released"
    x: float = 0.0
    y: float = 0.0
    button: str | None = None
    key: str | None = None
    delta: float = 0.0  # mouse_wheel: notches, + towards the person (p5.js's sign)


class SketchRunner:
    """Runs one sketch file: load, step frames, feed events, reload on change.

    `seed` seeds the sketch's random numbers and noise (a fresh one each run when None, kept
    across reloads so a tweak doesn't reshuffle the picture); `params` overrides UPPERCASE
    settings; `timeout` is the infinite-loop guard's limit for any one call into the sketch.
    """

    def __init__(self, path, seed: int | None = None, params: dict | None = None,
                 timeout: float = DEFAULT_TIMEOUT, out_dir=None, poll_interval: float = 0.3):
        self.path = Path(path).resolve()
        if not self.path.is_file():
            if self.path.exists():   # a folder, or a pipe that reading would wait on forever
                check_regular_file(self.path, "sketch file")
            hint = " (sketch files end in .py)" if self.path.suffix != ".py" else ""
            raise ArtkitError(f"There is no sketch file called '{path}'{hint}.")
        self.filename = str(self.path)
        self.seed = new_seed() if seed is None else int(seed)
        self.params = dict(params or {})  # as given: Python values or command-line text
        self.timeout = float(timeout)
        if not (math.isfinite(self.timeout) and self.timeout > 0):   # nan would turn the guard off
            raise ArtkitError(f"The time limit for setup() and draw() must be a number of "
                              f"seconds more than 0, not {timeout!r}.")
        self.out_dir = Path(out_dir) if out_dir is not None else Path.cwd()
        self.poll_interval = poll_interval
        self.current: LoadedSketch | None = None
        self.previous: LoadedSketch | None = None   # last good version while a new one is on probation
        self.problem: Problem | None = None          # the error to show until the next good load
        self.warnings: list[Problem] = []            # from the latest load
        self.halted = False                          # the running version stopped on an error
        self.loads = 0                               # successful loads (reloads included)
        self._events: collections.deque[_Event] = collections.deque()
        self._stamp = None
        self._last_poll = 0.0
        self._stop_requested = False
        self._busy_with = "the top level"
        self.recordings: list = []          # SketchRecording / FrameFiles being fed frames
        self._record_requests: list = []    # (path, seconds, fps) from record(), not started

    # ------------------------------------------------------------------ properties
    @property
    def context(self) -> SketchContext | None:
        return self.current.context if self.current else None

    @property
    def canvas(self):
        return self.current.context.canvas if self.current else None

    @property
    def size(self) -> tuple[int, int]:
        if self.current is None:
            return (400, 400)
        canvas = self.current.context.canvas
        return (canvas.width, canvas.height)

    @property
    def frame_rate(self) -> float:
        return self.current.context.target_frame_rate if self.current else 60.0

    @property
    def running(self) -> bool:
        """A sketch is loaded and not stopped by an error."""
        return self.current is not None and not self.halted

    @property
    def wants_frames(self) -> bool:
        """True while draw() should be called again (animated, looping, not halted)."""
        if not self.running:
            return False
        if self._events:
            return True
        ctx = self.current.context
        return self.current.animated and (ctx.looping or ctx.redraw_requested or ctx.frame_count == 0)

    # ------------------------------------------------------------------ loading
    def _file_stamp(self):
        try:
            st = self.path.stat()
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def load(self, pump=None) -> bool:
        """Load (or reload) the file now. True when the new version is loaded."""
        self._stamp = self._file_stamp()
        try:
            data = self.path.read_bytes()
        except OSError as error:
            self._fail(Problem("load", f"artkit can't read the sketch file: "
                                       f"{error.strerror or error}.", path=self.filename))
            return False
        try:
            source = data.decode("utf-8-sig")   # "UTF-8 with BOM" (Windows Notepad) too
        except UnicodeDecodeError as error:
            self._fail(friendly.undecodable_sketch(error, data, self.filename))
            return False
        if self.current is not None and source == self.current.source and not self.halted and self.problem is None:
            return True  # saved without changes
        return self._load_source(source, pump)

    def reload_if_changed(self, pump=None, now: float | None = None) -> bool:
        """Reload when the file changed since the last load (checked every poll_interval s).
        True when a reload was attempted."""
        now = time.monotonic() if now is None else now
        if now - self._last_poll < self.poll_interval:
            return False
        self._last_poll = now
        stamp = self._file_stamp()
        if stamp is None or stamp == self._stamp:
            return False
        self.load(pump)
        return True

    def _load_source(self, source: str, pump) -> bool:
        from artkit import api

        lines = source.splitlines()
        try:
            tree = ast.parse(source, self.filename)
        except SyntaxError as error:
            # JavaScript or Processing pasted in gets its own message; anything else the usual one.
            self._fail_load(mistakes.explain_unreadable(error, api.namespace(), self.filename, lines)
                            or friendly.explain_syntax_error(error, self.filename, lines))
            return False
        found = mistakes.check(tree, source, api.namespace(), self.filename, lines)
        mistake = next((problem for problem in found if not problem.warning), None)
        if mistake is not None:   # a mistake that can only fail (mouseX, x = x + 1 without global)
            self._fail_load(mistake)
            return False
        warnings = friendly.check_hooks(tree, self.filename, lines)
        warnings += friendly.check_reserved_names(tree, api.__all__, self.filename, lines)
        warnings += found
        settings = setting_params(tree)
        for name in self.params:
            if name not in settings:
                self._fail_load(friendly.param_problem(name, sorted(settings), self.filename))
                return False
        try:
            values = check_settings(self.params, settings)
        except ParamError as error:
            self._fail_load(friendly.param_value_problem(error, self.filename))
            return False
        apply_settings(tree, values)
        try:
            code = compile(tree, self.filename, "exec")
        except SyntaxError as error:  # a few errors are only found by the compiler
            self._fail_load(friendly.explain_syntax_error(error, self.filename, lines))
            return False

        module = types.ModuleType(f"sketch_{self.path.stem}")
        namespace = module.__dict__
        namespace.update(api.namespace())
        namespace.update(__file__=self.filename, __builtins__=_sketch_builtins())
        namespace[RUNNER_FLAG] = True
        context = SketchContext(self.seed, namespace, out_dir=self.out_dir, name=self.path.stem)
        sketch = LoadedSketch(source, lines, module, context, settings=values)
        for warning in warnings:
            warning.path = self.filename
            friendly.report(warning)
        self.warnings = warnings

        def start():
            api.use(context)
            namespace.update(_live_values(context))
            self._busy_with = "the top level"
            exec(code, namespace)
            self._find_hooks(sketch)
            if "setup" in sketch.hooks:
                self._call(sketch, "setup")
            context.canvas  # make the canvas now if nothing has drawn yet
            namespace.update(_live_values(context))

        outcome = self._guarded(start, pump)
        if not outcome.ok:
            self._fail_load(self._explain(outcome, sketch))
            return False
        # On probation until its first frame works; a static sketch is done already.
        sketch.proven = not sketch.animated
        if sketch.proven:
            self.previous = None
        elif self.current is not None and self.current.proven and not self.halted:
            self.previous = self.current
        # else: the version being replaced was itself on probation; keep the last good one.
        self.current = sketch
        self.halted = False
        self.problem = None
        self.loads += 1
        return True

    def _find_hooks(self, sketch: LoadedSketch) -> None:
        namespace = sketch.namespace
        for hook in HOOK_ARGUMENTS:
            function = namespace.get(hook)
            if function is None:
                continue
            if not callable(function):
                continue
            problem = friendly.check_hook_arguments(function, hook, self.filename, sketch.lines)
            if problem is not None:
                raise _HookProblem(problem)
            try:
                names = tuple(inspect.signature(function).parameters)
            except (TypeError, ValueError):
                names = ()
            sketch.hooks[hook] = (function, names)

    def _fail_load(self, problem: Problem) -> None:
        """A new version didn't load: say so, and that the running one carries on."""
        if self.current is not None and not self.halted:
            problem.message += KEEPS_RUNNING
        self._fail(problem)

    def _fail(self, problem: Problem) -> None:
        """Report a problem. The running version (if any) keeps going unless it was the one
        that failed; `self.problem` holds the message for the window."""
        problem.path = problem.path or self.filename
        friendly.report(problem)
        self.problem = problem

    # ------------------------------------------------------------------ frames
    def step(self, pump=None) -> bool:
        """Handle queued events and draw one frame. True when draw() ran."""
        sketch = self.current
        if sketch is None or self.halted:
            self._events.clear()
            return False
        ctx = sketch.context
        drew = []

        def frame():
            from artkit import api

            api.use(ctx)
            namespace = sketch.namespace
            while self._events:
                self._dispatch(sketch, self._events.popleft())
            # As in p5, draw() runs once even when setup() called no_loop().
            if "draw" in sketch.hooks and (ctx.looping or ctx.redraw_requested or ctx.frame_count == 0):
                ctx.redraw_requested = False
                ctx.begin_frame()
                namespace.update(_live_values(ctx))
                self._call(sketch, "draw")
                drew.append(True)
                # p5: pmouse is where the mouse was at the end of the previous frame.
                ctx.pmouse_x, ctx.pmouse_y = ctx.mouse_x, ctx.mouse_y

        outcome = self._guarded(frame, pump)
        if outcome.ok:
            sketch.proven = sketch.proven or bool(drew)
            if sketch.proven:
                self.previous = None
            if drew:   # outside the guard: saving frames is artkit's work, not the sketch's
                self._feed_recordings(ctx)
            return bool(drew)
        problem = self._explain(outcome, sketch)
        if not sketch.proven and self.previous is not None:
            # The new version failed on its first frame: go back to the last good one.
            problem.message += KEEPS_RUNNING
            self.current, self.previous = self.previous, None
        else:
            self.halted = True
        self._fail(problem)
        return False

    def _call(self, sketch: LoadedSketch, hook: str, **available) -> None:
        function, names = sketch.hooks[hook]
        self._busy_with = hook
        function(*[available.get(name) for name in names])

    def _dispatch(self, sketch: LoadedSketch, event: _Event) -> None:
        ctx = sketch.context
        namespace = sketch.namespace
        hook = event.kind
        if hook == "mouse_wheel":
            namespace.update(_live_values(ctx))
            if hook in sketch.hooks:
                self._call(sketch, hook, delta=event.delta, x=ctx.mouse_x, y=ctx.mouse_y)
            return
        if hook.startswith("mouse"):
            # For hooks, pmouse is where the mouse was before this event, so a
            # mouse_dragged hook that draws line(pmouse_x, pmouse_y, mouse_x, mouse_y) is unbroken.
            ctx.pmouse_x, ctx.pmouse_y = ctx.mouse_x, ctx.mouse_y
            ctx.mouse_x, ctx.mouse_y = event.x, event.y
            if hook == "mouse_pressed":
                ctx.mouse_is_pressed, ctx.mouse_button = True, event.button
            elif hook == "mouse_released":
                ctx.mouse_is_pressed = False
            elif hook == "mouse_moved" and ctx.mouse_is_pressed:
                hook = "mouse_dragged"
        else:
            ctx.key = event.key
            ctx.key_is_pressed = hook == "key_pressed"
        namespace.update(_live_values(ctx))
        if hook in sketch.hooks:
            self._call(sketch, hook, x=event.x, y=event.y, button=event.button or ctx.mouse_button,
                       key=event.key)

    def _guarded(self, function, pump) -> GuardedResult:
        self._stop_requested = False
        return run_guarded(function, self.timeout, pump=pump, should_stop=lambda: self._stop_requested)

    def _explain(self, outcome: GuardedResult, sketch: LoadedSketch) -> Problem:
        from artkit import api

        if outcome.timed_out or outcome.stuck:
            return friendly.timeout_problem(self._busy_with, self.timeout, outcome.stopped_at,
                                            self.filename, sketch.lines)
        if outcome.cancelled:
            return Problem("stopped", "the sketch was stopped.", path=self.filename, warning=True)
        error = outcome.error
        if isinstance(error, _HookProblem):
            return error.problem
        return (friendly.explain_stop(error, self.filename, sketch.lines) or
                friendly.explain_exception(error, self.filename, sketch.lines, sketch.namespace,
                                           api))

    def stop(self) -> None:
        """Stop the call that is running now (the window is closing)."""
        self._stop_requested = True

    # ------------------------------------------------------------------ input (from the window)
    def mouse_pressed(self, x: float, y: float, button: str = "left") -> None:
        self._events.append(_Event("mouse_pressed", x, y, button=button))

    def mouse_released(self, x: float, y: float, button: str = "left") -> None:
        self._events.append(_Event("mouse_released", x, y, button=button))

    def mouse_moved(self, x: float, y: float) -> None:
        self._events.append(_Event("mouse_moved", x, y))

    def key_pressed(self, key: str) -> None:
        self._events.append(_Event("key_pressed", key=key))

    def key_released(self, key: str) -> None:
        self._events.append(_Event("key_released", key=key))

    def mouse_wheel(self, delta: float) -> None:
        """The wheel turned `delta` notches: positive towards the person (scrolling down)."""
        self._events.append(_Event("mouse_wheel", delta=float(delta)))

    # ------------------------------------------------------------------ recording
    def record(self, path, seconds: float | None, fps: float | None = None) -> Path:
        """Record the next `seconds` of frames the sketch draws (None: every frame until the
        run ends) into `path` (.mp4, .webm, .gif or .webp), `fps` frames a second (default:
        the sketch's frame rate). The file name is checked now, so a bad one stops the run
        before anything is drawn."""
        from artkit.video import check_recording_path

        if seconds is not None and not 0 < seconds <= 3600:
            raise ArtkitError(f"--seconds must be more than 0 and at most 3600, not {seconds:g}.")
        if fps is not None and not 0 < fps <= 240:
            raise ArtkitError(f"--fps must be more than 0 and at most 240, not {fps:g}.")
        path = check_recording_path(path)
        self._record_requests.append((path, seconds, fps))
        return path

    def _feed_recordings(self, ctx) -> None:
        """Give every recording the frame just drawn; finish those that have all theirs."""
        from artkit.recording import SketchRecording, extras

        for path, seconds, fps in self._record_requests:
            rate = fps or ctx.target_frame_rate
            frames = None if seconds is None else max(1, round(seconds * rate))
            self.recordings.append(SketchRecording(path, frames, rate))
        self._record_requests.clear()
        started = extras(ctx).recordings   # save_gif() and save_frames() in the sketch
        self.recordings += started
        started.clear()
        for recording in list(self.recordings):
            try:
                if recording.add(ctx.canvas):
                    self.recordings.remove(recording)
                    print(recording.finish())
            except ArtkitError as error:
                self.recordings.remove(recording)
                recording.abort()
                friendly.report(Problem("record", f"the recording stopped: {error}",
                                        path=self.filename, warning=True))

    def finish_recordings(self) -> list[str]:
        """Write whatever the recordings have (the run or the window is ending); returns a
        sentence for each, including requests that never got a frame."""
        said = []
        for recording in self.recordings:
            try:
                said.append(recording.finish())
            except ArtkitError as error:
                said.append(str(error))
        self.recordings.clear()
        for path, _, _ in self._record_requests:
            said.append(f"nothing was recorded into {path.name}: the sketch drew no frames "
                        f"(a recording needs a draw() function).")
        self._record_requests.clear()
        return said

    # ------------------------------------------------------------------ headless
    def run_frames(self, frames: int) -> bool:
        """Load (if needed) and draw up to `frames` frames without a window. True if no error.

        Stops early when the sketch stops looping (no_loop) or has no draw()."""
        if self.current is None and not self.load():
            return False
        # Without a window frames come as fast as they are drawn: millis() counts frames, so a
        # recording plays at the speed the sketch meant, on any machine.
        from artkit.recording import extras

        clock = extras(self.current.context)
        requested = [fps for _, _, fps in self._record_requests if fps]
        clock.frame_clock_fps = requested[0] if requested else self.current.context.target_frame_rate
        for _ in range(max(0, int(frames))):
            if not self.wants_frames:
                break
            self.step()
            if self.halted or self.problem is not None:
                return False
        return self.problem is None

    def provenance(self, frames: int | None = None) -> dict:
        """What a saved picture records about how it was made."""
        info = {"sketch": self.path.name, "seed": self.seed}
        if frames is not None:
            info["frames"] = frames
        params = self.current.settings if self.current is not None else self.params
        if params:
            info["params"] = params
        return info


def _live_values(ctx) -> dict:
    """The names refreshed in the sketch before every call: the context's, and key_code."""
    from artkit.api import key_code_for

    values = ctx.live_values()
    values["key_code"] = key_code_for(ctx.key) if ctx.key else 0
    return values


# ---------------------------------------------------------------------------------------------
# What a sketch may not do to artkit: wait for typed input, or end the whole program

def _input_in_sketch(*_args, **_kwargs):
    """input() in a sketch: there is nobody typing into a sketch (in a window, stdin is not
    the keyboard; with a pipe it would wait forever), so say so at once."""
    raise ArtkitError(friendly.no_input_message())


def _exit_in_sketch(*_args, **_kwargs):
    """os._exit() and os.abort() in a sketch: they would end artkit on the spot, with no
    message and no picture saved."""
    raise ArtkitError(friendly.exit_message("os._exit()"))


def _abort_in_sketch(*_args, **_kwargs):
    raise ArtkitError(friendly.exit_message("os.abort()"))


def _sketch_os() -> types.ModuleType:
    """The `os` a sketch's `import os` gets: the real one, but _exit and abort explained."""
    module = types.ModuleType("os", os.__doc__)
    module.__dict__.update(os.__dict__)
    module._exit, module.abort = _exit_in_sketch, _abort_in_sketch
    return module


class _NoTyping:
    """The `sys.stdin` a sketch sees: reading it explains at once instead of waiting (a read
    stuck inside C can't be stopped by the loop guard, and would hang artkit's exit)."""

    def _refuse(self, *_args, **_kwargs):
        raise ArtkitError(friendly.no_input_message())

    read = readline = readlines = fileno = __iter__ = __next__ = _refuse

    def isatty(self) -> bool:
        return False


def _sketch_sys() -> types.ModuleType:
    """The `sys` a sketch's `import sys` gets: the real one, but stdin can't be waited on."""
    module = types.ModuleType("sys", sys.__doc__)
    module.__dict__.update(sys.__dict__)
    module.stdin = module.__stdin__ = _NoTyping()
    return module


_SKETCH_OS = _sketch_os()
_SKETCH_SYS = _sketch_sys()


def _import_in_sketch(name, globals=None, locals=None, fromlist=(), level=0):
    module = builtins.__import__(name, globals, locals, fromlist, level)
    if module is os:
        return _SKETCH_OS
    return _SKETCH_SYS if module is sys else module


def _sketch_builtins() -> dict:
    """Python's builtins for a sketch's module, with input() and `import os` made safe."""
    names = dict(builtins.__dict__)
    names.update(input=_input_in_sketch, __import__=_import_in_sketch)
    return names


class _HookProblem(Exception):
    """A hook asks for arguments artkit can't give (found while loading)."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


# ---------------------------------------------------------------------------------------------
# artkit.go(): run the calling file from an editor's Run button

def caller_sketch() -> "SketchRunner | None":
    """A runner for the sketch file that called `artkit.go()` (which opens it in a window, so
    Thonny's or IDLE's Run works). None when the runner itself is executing the file, or when
    the file was imported rather than run."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__", "").startswith("artkit"):
        frame = frame.f_back
    if frame is None:
        return
    caller = frame.f_globals
    if caller.get(RUNNER_FLAG) or caller.get("__name__") != "__main__":
        return
    path = caller.get("__file__")
    if not path:
        raise ArtkitError("artkit.go() runs a saved sketch file: save your sketch first, then run it.")
    return SketchRunner(path)
