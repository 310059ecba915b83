"""The x·y game: why two gradient players can circle forever, and four ways to stop them.

Two players share one number f(x, y) = x·y. Player x wants it small, player y wants it large.
Each takes a gradient step of size eta (called `lr` here):

    x <- x - eta * df/dx = x - eta * y
    y <- y + eta * df/dy = y + eta * x

The only point where neither wants to move is (0, 0). This is a GAN in miniature: near its
balance point a generator and a discriminator see each other exactly like this (see
`artkit.gan.part1`).

Continuous time (eta -> 0) is a circle: dx/dt = -y, dy/dt = x gives x = r cos(t + phi),
y = r sin(t + phi), so the players orbit at their starting radius forever.

Simultaneous steps spiral outwards. One step is the matrix [[1, -eta], [eta, 1]], which is
sqrt(1 + eta^2) times a rotation, so the radius grows by exactly sqrt(1 + eta^2) every step:
after n steps r_n = r_0 * (1 + eta^2)^(n/2). Each player steps along the tangent of the circle,
and a tangent step always lands outside the circle.

The fixes, each a linear map whose spectral radius is the per-step growth factor:

- alternating: y moves after seeing x's new value. Matrix [[1, -eta], [eta, 1 - eta^2]] has
  determinant 1 and conserves x^2 + y^2 - eta*x*y exactly, so the orbit is a closed ellipse
  (radius stays within r_0 / sqrt(1 +- eta/2)): bounded, but never converging.
- extragradient: both players first take a trial step, then step from where they were using
  the gradient at the trial point. Matrix (1 - eta^2) I + eta [[0, -1], [1, 0]]: factor
  sqrt(1 - eta^2 + eta^4) < 1, so it spirals in.
- optimistic gradient (OGDA): step with 2 * (this gradient) - (last gradient), a cheap guess
  of the gradient ahead. A two-step recurrence; its factor is the spectral radius of a 4x4
  companion matrix, just under 1 for small eta.
- consensus optimisation (Mescheder, Nowozin, Geiger 2017): both players also descend
  gamma * |v|^2 / 2, where v = (df/dx, -df/dy) is the field they follow. Here |v|^2 = x^2 + y^2,
  so it pulls both towards 0: factor sqrt((1 - eta*gamma)^2 + eta^2). With gamma = eta it is
  exactly extragradient's matrix.

Plain numpy; matplotlib is imported lazily by the plotting function.
"""

import os
from dataclasses import dataclass

import numpy as np

from artkit.errors import ArtkitError

DEFAULT_GAMMA = 0.2


def _check(lr: float, steps: int) -> None:
    if not lr > 0:
        raise ArtkitError(f"the learning rate must be above 0, not {lr!r}.")
    if int(steps) != steps or steps < 1:
        raise ArtkitError(f"steps must be a whole number of at least 1, not {steps!r}.")


def _start_path(start, steps: int) -> np.ndarray:
    path = np.empty((int(steps) + 1, 2))
    path[0] = start
    return path


def simultaneous(lr: float, steps: int, start=(1.0, 0.0)) -> np.ndarray:
    """Both players step at once from the same point. Returns (steps + 1, 2) positions."""
    _check(lr, steps)
    path = _start_path(start, steps)
    for n in range(int(steps)):
        x, y = path[n]
        path[n + 1] = x - lr * y, y + lr * x
    return path


def alternating(lr: float, steps: int, start=(1.0, 0.0)) -> np.ndarray:
    """x steps first; y then steps using x's new value. Returns (steps + 1, 2) positions."""
    _check(lr, steps)
    path = _start_path(start, steps)
    for n in range(int(steps)):
        x, y = path[n]
        x = x - lr * y
        path[n + 1] = x, y + lr * x
    return path


def extragradient(lr: float, steps: int, start=(1.0, 0.0)) -> np.ndarray:
    """Trial step, then the real step from the old point with the trial point's gradient."""
    _check(lr, steps)
    path = _start_path(start, steps)
    for n in range(int(steps)):
        x, y = path[n]
        x_look, y_look = x - lr * y, y + lr * x
        path[n + 1] = x - lr * y_look, y + lr * x_look
    return path


def optimistic(lr: float, steps: int, start=(1.0, 0.0)) -> np.ndarray:
    """Optimistic gradient descent-ascent: step with 2*(gradient now) - (gradient before).
    The first step has no "before", so it reuses the current gradient (a plain step)."""
    _check(lr, steps)
    path = _start_path(start, steps)
    grad_before = np.array([path[0, 1], path[0, 0]])  # (df/dx, df/dy) = (y, x)
    for n in range(int(steps)):
        x, y = path[n]
        grad_now = np.array([y, x])
        guess = 2.0 * grad_now - grad_before
        path[n + 1] = x - lr * guess[0], y + lr * guess[1]
        grad_before = grad_now
    return path


def consensus(lr: float, steps: int, start=(1.0, 0.0), gamma: float = DEFAULT_GAMMA) -> np.ndarray:
    """Simultaneous steps plus gamma times the gradient of |v|^2 / 2 = (x^2 + y^2) / 2."""
    _check(lr, steps)
    if not gamma >= 0:
        raise ArtkitError(f"gamma must be 0 or more, not {gamma!r}.")
    path = _start_path(start, steps)
    for n in range(int(steps)):
        x, y = path[n]
        path[n + 1] = x - lr * (y + gamma * x), y + lr * (x - gamma * y)
    return path


def continuous(lr: float, steps: int, start=(1.0, 0.0)) -> np.ndarray:
    """The exact continuous-time solution sampled at t = n * lr: a circle."""
    _check(lr, steps)
    x0, y0 = start
    t = np.arange(int(steps) + 1) * lr
    radius, phase = np.hypot(x0, y0), np.arctan2(y0, x0)
    return np.stack([radius * np.cos(t + phase), radius * np.sin(t + phase)], axis=1)


def radius(path) -> np.ndarray:
    """Distance of each position from the balance point (0, 0)."""
    path = np.asarray(path, dtype=float)
    return np.hypot(path[..., 0], path[..., 1])


def simultaneous_radius(r0: float, lr: float, n) -> np.ndarray:
    """Closed form for simultaneous steps: r_n = r_0 * (1 + lr^2)^(n/2)."""
    return r0 * (1.0 + lr * lr) ** (np.asarray(n, dtype=float) / 2.0)


def alternating_invariant(path, lr: float) -> np.ndarray:
    """x^2 + y^2 - lr*x*y: constant along an alternating-updates path."""
    path = np.asarray(path, dtype=float)
    x, y = path[..., 0], path[..., 1]
    return x * x + y * y - lr * x * y


def update_matrix(method: str, lr: float, gamma: float = DEFAULT_GAMMA) -> np.ndarray:
    """The linear map one step applies. 2x2 on (x, y); for `optimistic` 4x4 on
    (x_n, y_n, x_{n-1}, y_{n-1}), since it remembers the last gradient."""
    e = lr
    if method == "simultaneous":
        return np.array([[1.0, -e], [e, 1.0]])
    if method == "alternating":
        return np.array([[1.0, -e], [e, 1.0 - e * e]])
    if method == "extragradient":
        return np.array([[1.0 - e * e, -e], [e, 1.0 - e * e]])
    if method == "consensus":
        return np.array([[1.0 - e * gamma, -e], [e, 1.0 - e * gamma]])
    if method == "optimistic":
        # x' = x - e(2y - y_prev), y' = y + e(2x - x_prev)
        return np.array([
            [1.0, -2.0 * e, 0.0, e],
            [2.0 * e, 1.0, -e, 0.0],
            [1.0, 0.0, 0.0, 0.0],
            [0.0, 1.0, 0.0, 0.0],
        ])
    raise ArtkitError(f"unknown update rule {method!r}; choose one of {', '.join(METHODS)}.")


def growth_factor(method: str, lr: float, gamma: float = DEFAULT_GAMMA) -> float:
    """How much the radius is multiplied by per step in the long run (spectral radius)."""
    return float(np.max(np.abs(np.linalg.eigvals(update_matrix(method, lr, gamma)))))


@dataclass(frozen=True)
class Method:
    name: str
    label: str
    rule: str


METHODS = {
    "simultaneous": Method("simultaneous", "Simultaneous", "both step at once"),
    "alternating": Method("alternating", "Alternating", "y steps after seeing x's new value"),
    "extragradient": Method("extragradient", "Extragradient",
                            "trial step, then step with its gradient"),
    "optimistic": Method("optimistic", "Optimistic (OGDA)", "step with 2*grad - previous grad"),
    "consensus": Method("consensus", "Consensus", "also descend gamma*|v|^2/2"),
}
_STEPPERS = {
    "simultaneous": simultaneous,
    "alternating": alternating,
    "extragradient": extragradient,
    "optimistic": optimistic,
    "consensus": consensus,
}


@dataclass
class GameRun:
    """One update rule played out: its positions, radii and long-run growth factor."""
    method: Method
    path: np.ndarray        # (steps + 1, 2)
    radii: np.ndarray       # (steps + 1,)
    factor: float           # spectral radius of the update matrix
    setting: str = ""       # extra knob shown with the rule, e.g. "gamma = 0.2"

    @property
    def label(self) -> str:
        return f"{self.method.label} ({self.setting})" if self.setting else self.method.label

    @property
    def final_radius(self) -> float:
        return float(self.radii[-1])

    @property
    def verdict(self) -> str:
        if self.factor > 1.0 + 1e-9:
            return "spirals out"
        if self.factor < 1.0 - 1e-9:
            return "spirals in"
        return "orbits, bounded"


def play(method: str, lr: float, steps: int, start=(1.0, 0.0),
         gamma: float = DEFAULT_GAMMA) -> GameRun:
    """Run one update rule and return a `GameRun`."""
    if method not in _STEPPERS:
        raise ArtkitError(f"unknown update rule {method!r}; choose one of {', '.join(METHODS)}.")
    with np.errstate(over="ignore", invalid="ignore"):  # blow-ups are reported just below
        if method == "consensus":
            path = consensus(lr, steps, start, gamma=gamma)
        else:
            path = _STEPPERS[method](lr, steps, start)
    if not np.all(np.isfinite(path)):
        raise ArtkitError(f"{METHODS[method].label} ran off to infinity; use fewer steps or a "
                          f"smaller learning rate than {lr:g}.")
    setting = f"gamma = {gamma:g}" if method == "consensus" else ""
    return GameRun(METHODS[method], path, radius(path), growth_factor(method, lr, gamma), setting)


def run_all(lr: float = 0.1, steps: int = 500, start=(1.0, 0.0),
            gamma: float = DEFAULT_GAMMA) -> dict:
    """Every update rule from the same start: dict name -> `GameRun`, simultaneous first."""
    return {name: play(name, lr, steps, start, gamma) for name in METHODS}


def radius_table(runs: dict, lr: float, steps: int, start=(1.0, 0.0)) -> str:
    """A plain-text table: each rule's radius after `steps` steps and its growth factor."""
    r0 = float(np.hypot(*start))
    lines = [
        f"f(x, y) = x*y, x descends, y ascends; lr = {lr:g}, "
        f"{steps} step{'s' if steps != 1 else ''}, start radius {r0:g}",
        f"continuous time (the circle): radius stays {r0:g}",
        "simultaneous, closed form: r0 * (1 + lr^2)^(n/2) = "
        f"{float(simultaneous_radius(r0, lr, steps)):.6g}",
        "",
        f"{'update rule':<30}{'radius after':>14}{'per-step factor':>17}  verdict",
    ]
    for run in runs.values():
        lines.append(
            f"{run.label:<30}{run.final_radius:>14.6g}{run.factor:>17.6f}  {run.verdict}"
        )
    return "\n".join(lines)


def _orbit(ax, run: GameRun, circle: np.ndarray, title: str) -> None:
    from matplotlib.collections import LineCollection

    path = run.path
    segments = np.stack([path[:-1], path[1:]], axis=1)
    colours = LineCollection(segments, cmap="viridis", linewidth=1.6)
    colours.set_array(np.arange(len(segments)))
    ax.plot(circle[:, 0], circle[:, 1], color="0.55", linestyle="--", linewidth=1,
            label="continuous time")
    ax.add_collection(colours)
    ax.plot(*path[0], "o", color="black", markersize=5, label="start")
    ax.plot(*path[-1], "s", color="tab:red", markersize=5, label="end")
    ax.plot(0, 0, "+", color="black", markersize=9)
    reach = 1.12 * max(float(run.radii.max()), float(radius(circle).max()))
    ax.set_xlim(-reach, reach)
    ax.set_ylim(-reach, reach)
    ax.set_aspect("equal")
    ax.set_xlabel("x (minimises)")
    ax.set_ylabel("y (maximises)")
    ax.set_title(title, fontsize=10)


def plot_all(runs: dict, out_dir, lr: float) -> list:
    """Write `xy_simultaneous.png` and `xy_fixes.png` into `out_dir`; return their paths.

    The first shows simultaneous steps: x and y over time against the continuous-time
    solution, and the outward spiral. The second puts every rule's orbit side by side with a
    shared radius-over-time plot."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sim = runs["simultaneous"]
    if sim.radii[0] == 0:
        raise ArtkitError("a game started at (0, 0) never moves, so there is nothing to plot; "
                          "start somewhere else, e.g. 1,0.")
    os.makedirs(out_dir, exist_ok=True)
    steps = len(sim.path) - 1
    start = tuple(sim.path[0])
    circle = continuous(lr, steps, start)
    full_circle = continuous(2 * np.pi / 400, 400, start)
    step = np.arange(steps + 1)
    paths = []

    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 5.4), constrained_layout=True,
                                      gridspec_kw={"width_ratios": [1.5, 1]})
    fig.suptitle(f"Simultaneous gradient steps on f(x, y) = x*y spiral outwards (lr = {lr:g})",
                 fontsize=13)
    envelope = simultaneous_radius(float(np.hypot(*start)), lr, step)
    left.fill_between(step, -envelope, envelope, color="0.92",
                      label="closed form ±r0(1+lr²)^(n/2)")
    left.plot(step, circle[:, 0], color="tab:blue", linestyle=":", linewidth=1,
              label="x, continuous time")
    left.plot(step, circle[:, 1], color="tab:orange", linestyle=":", linewidth=1,
              label="y, continuous time")
    left.plot(step, sim.path[:, 0], color="tab:blue", linewidth=1.6, label="x (minimises)")
    left.plot(step, sim.path[:, 1], color="tab:orange", linewidth=1.6, label="y (maximises)")
    left.set_xlabel("step")
    left.set_ylabel("value")
    left.set_title(f"x and y over time: amplitude {sim.radii[0]:.3g} -> {sim.final_radius:.3g} "
                   f"after {steps} steps", fontsize=10)
    left.legend(loc="upper left", fontsize=8)
    _orbit(right, sim, full_circle,
           f"The orbit: radius grows by sqrt(1+lr²) = {sim.factor:.5f} per step")
    right.legend(loc="upper right", fontsize=8)
    path = os.path.join(out_dir, "xy_simultaneous.png")
    fig.savefig(path, dpi=110)
    plt.close(fig)
    paths.append(path)

    fig, axes = plt.subplots(2, 3, figsize=(14, 9.4), constrained_layout=True)
    fig.suptitle(f"The x*y game, {steps} steps of lr = {lr:g} from radius {sim.radii[0]:.3g}: "
                 "the fixes side by side (colour runs from early to late)", fontsize=13)
    for ax, run in zip(axes.flat, runs.values()):
        _orbit(ax, run, full_circle,
               f"{run.label}: {run.method.rule}\n"
               f"radius after {steps} steps: {run.final_radius:.3g} ({run.verdict})")
    axes.flat[0].legend(loc="upper right", fontsize=8)
    ax = axes.flat[5]
    for run in runs.values():
        ax.plot(step, run.radii, linewidth=1.6, label=f"{run.label}: x{run.factor:.4f}/step")
    ax.axhline(sim.radii[0], color="0.55", linestyle="--", linewidth=1, label="continuous time")
    ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel("distance from (0, 0), log scale")
    ax.set_title("Radius over time", fontsize=10)
    ax.legend(fontsize=8, loc="lower left")
    path = os.path.join(out_dir, "xy_fixes.png")
    fig.savefig(path, dpi=110)
    plt.close(fig)
    paths.append(path)
    return paths
