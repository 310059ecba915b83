"""Part I of the GAN lab: the smallest GAN there is, trained with hand-derived gradients.

The real data is one number, the "true" value r = 1.0. The generator is one parameter: it
always produces the number g. The discriminator is one weight w and a sigmoid:

    D(x) = sigmoid(w * x)          D says "real" with probability D(x)

Each training step is the book's loop: D learns from a real sample (target 1) and a fake
(target 0), then G learns through D (target 1). Each update is plain gradient descent on the
hand-derived gradients. D takes one step on the sum of its real and fake losses; the book
takes two separate steps, which with one weight shifts the balance point a little below the
true value (to g with g * sigmoid(lr * g / 2) = 1/2 for BCE), so the sum is used. Every gradient
below is derived by hand with the chain rule, using sigmoid'(t) = sigmoid(t) * (1 - sigmoid(t)).
Write d_r = D(r) = sigmoid(w*r) and d_g = D(g) = sigmoid(w*g).

MSE loss (the book's first GANs):

    real:  L = (d_r - 1)^2     dL/dw = 2 (d_r - 1) * d_r (1 - d_r) * r
    fake:  L = (d_g - 0)^2     dL/dw = 2 d_g      * d_g (1 - d_g) * g
    G:     L = (d_g - 1)^2     dL/dg = 2 (d_g - 1) * d_g (1 - d_g) * w

BCE loss (the book's fix):

    real:  L = -ln d_r         dL/dw = -(1 - d_r) * r
    fake:  L = -ln(1 - d_g)    dL/dw =  d_g * g
    G:     L = -ln d_g         dL/dg = -(1 - d_g) * w

Read the generator's gradient: dL/dg has the sign of -w, so G always moves g in the direction
the discriminator currently rewards. While g < 1, D learns w > 0 ("bigger is more real") and g
climbs; once g passes 1 the fake is the bigger number, D flips w negative and g is pushed back.
So D changes its mind: w swings back and forth across 0, and no edge it finds lasts, because
the generator follows every position it takes. The only place where neither
player wants to move is g = 1, w = 0, where D says 0.5 to everything: it cannot tell real from
fake.

Near that point (e = g - r, small w, BCE, time measured in learning-rate units; MSE gives the
same picture with every coefficient halved):

    dw/dt ~ -e/2 - (r^2 / 2) w        de/dt ~ w / 2

which is the two-player game f = w * e of `artkit.gan.games` (w plays x and minimises, e plays
y and maximises: a pure rotation, where plain gradient steps never settle) plus a friction
term -(r^2/2) w. The friction comes from the real
sample: with no bias, the weight that scores the real value also scores the fake, so D cannot
push one score without dragging the other. With r = 1 the friction wins: the swings die away
and d_real, d_fake both come to rest at 0.5. Move the true value to 0 (`real=0.0,
g_start=1.0`) and the friction is gone: that is the "Dirac GAN" of Mescheder, Geiger and
Nowozin (2018), where D keeps swinging for thousands of steps (only a weak second-order drag
from the non-saturating generator loss shrinks the swings, slowly). Too big a learning rate
(MSE, lr=5) also keeps D from settling: it overshoots every step and ends in a 2-step cycle.
Bigger GANs get no free friction, which is why the x*y game and its fixes matter.

No torch here: numpy for the arithmetic, matplotlib (imported lazily) for the plot.
"""

import numpy as np

from artkit.errors import ArtkitError

REAL_VALUE = 1.0
LOSSES = ("mse", "bce")
HISTORY_KEYS = ("step", "g", "d_weight", "d_real", "d_fake", "d_loss", "g_loss")


def sigmoid(t):
    """The logistic function, safe for large |t| (no overflow warnings)."""
    t = np.asarray(t, dtype=float)
    return np.exp(-np.logaddexp(0.0, -t))


def gradients(w: float, g: float, loss: str = "mse", real: float = REAL_VALUE) -> dict:
    """The three hand-derived gradients at (w, g): `real_w`, `fake_w` (both dL/dw for D) and `g`
    (dL/dg for G). See the module docstring for the derivation."""
    d_r = float(sigmoid(w * real))
    d_g = float(sigmoid(w * g))
    if loss == "mse":
        return {
            "real_w": 2.0 * (d_r - 1.0) * d_r * (1.0 - d_r) * real,
            "fake_w": 2.0 * d_g * d_g * (1.0 - d_g) * g,
            "g": 2.0 * (d_g - 1.0) * d_g * (1.0 - d_g) * w,
        }
    if loss == "bce":
        return {
            "real_w": -(1.0 - d_r) * real,
            "fake_w": d_g * g,
            "g": -(1.0 - d_g) * w,
        }
    raise ArtkitError(f"unknown loss {loss!r}; choose one of {', '.join(LOSSES)}.")


def _losses(w: float, g: float, loss: str, real: float) -> tuple:
    """(discriminator loss on real + fake, generator loss) at (w, g)."""
    d_r = float(sigmoid(w * real))
    d_g = float(sigmoid(w * g))
    if loss == "mse":
        return (d_r - 1.0) ** 2 + d_g ** 2, (d_g - 1.0) ** 2
    tiny = 1e-12  # keeps ln finite when D is certain
    return -np.log(d_r + tiny) - np.log(1.0 - d_g + tiny), -np.log(d_g + tiny)


def train_part1(steps: int = 400, lr: float = 0.2, seed: int = 0, *, loss: str = "mse",
                g_start: float = None, w_start: float = None, real: float = REAL_VALUE) -> dict:
    """Train the one-parameter GAN and return its history.

    Each step: D takes one gradient step on its real (target 1) plus fake (target 0) loss, then
    G learns through the updated D (target 1), as in the book's training loop. `seed` picks the
    starting g and w (both small, near 0) unless `g_start` / `w_start` are given.

    Returns a dict of numpy arrays, one entry per step, measured after that step's updates:
    `step` (1..steps), `g` (the generator's output), `d_weight` (w), `d_real` (D(real)),
    `d_fake` (D(g)), `d_loss` and `g_loss`; index 0 is step 1. It also holds the settings as
    plain numbers and text (`g_start`, `d_weight_start`, `lr`, `real`, `loss`), so the whole
    dict can go into `np.savez` without pickling.
    """
    if int(steps) != steps or steps < 1:
        raise ArtkitError(f"steps must be a whole number of at least 1, not {steps!r}.")
    if not lr > 0:
        raise ArtkitError(f"the learning rate must be above 0, not {lr!r}.")
    if loss not in LOSSES:
        raise ArtkitError(f"unknown loss {loss!r}; choose one of {', '.join(LOSSES)}.")
    steps = int(steps)
    rng = np.random.default_rng(seed)
    g = float(rng.normal(0.0, 0.1)) if g_start is None else float(g_start)
    w = float(rng.normal(0.0, 0.1)) if w_start is None else float(w_start)
    g_first, w_first = g, w

    history = {key: np.empty(steps) for key in HISTORY_KEYS}
    for i in range(steps):
        # D learns from the real value and the fake together ...
        grads = gradients(w, g, loss, real)
        w -= lr * (grads["real_w"] + grads["fake_w"])
        # ... then G learns through the discriminator it has just faced.
        g -= lr * gradients(w, g, loss, real)["g"]
        if not (np.isfinite(w) and np.isfinite(g)):
            raise ArtkitError(f"training blew up at step {i + 1}; try a smaller learning rate "
                              f"than {lr}.")
        d_loss, g_loss = _losses(w, g, loss, real)
        history["step"][i] = i + 1
        history["g"][i] = g
        history["d_weight"][i] = w
        history["d_real"][i] = sigmoid(w * real)
        history["d_fake"][i] = sigmoid(w * g)
        history["d_loss"][i] = d_loss
        history["g_loss"][i] = g_loss
    history["g_start"] = g_first
    history["d_weight_start"] = w_first
    history["loss"] = loss
    history["lr"] = float(lr)
    history["real"] = float(real)
    return history


def sign_changes(values, tolerance: float = 0.02) -> int:
    """How many times a series swings from one side of 0 to the other: the discriminator
    changing its mind. Values within `tolerance` times the series' largest size of 0 count as
    "undecided", so rounding-level flickers near 0 are not counted as swings."""
    values = np.asarray(values, dtype=float)
    if values.size == 0:
        return 0
    threshold = tolerance * float(np.max(np.abs(values)))
    signs = np.sign(values[np.abs(values) > threshold])
    return int(np.count_nonzero(np.diff(signs)))


def plot_part1(history: dict, path) -> str:
    """Draw the history as a three-panel PNG at `path` and return the path.

    Top: the generator's g climbing to the true value. Middle: the discriminator's weight
    swinging across 0. Bottom: D's verdicts on real and fake meeting at 0.5.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    step = np.concatenate([[0], history["step"]])
    g = np.concatenate([[history["g_start"]], history["g"]])
    w = np.concatenate([[history["d_weight_start"]], history["d_weight"]])
    real = history.get("real", REAL_VALUE)
    d_real = np.concatenate([[np.nan], history["d_real"]])
    d_fake = np.concatenate([[np.nan], history["d_fake"]])

    fig, axes = plt.subplots(3, 1, figsize=(8, 8.5), sharex=True, constrained_layout=True)
    fig.suptitle(
        f"The one-parameter GAN ({history.get('loss', 'mse').upper()} loss, "
        f"learning rate {history.get('lr', 0):g})",
        fontsize=13,
    )
    ax = axes[0]
    ax.axhline(real, color="0.6", linestyle="--", linewidth=1, label=f"true value {real:g}")
    ax.plot(step, g, color="tab:green", linewidth=2, label="generator output g")
    ax.set_ylabel("g")
    ax.set_title(f"Generator: g went from {g[0]:.2f} to {g[-1]:.3f} (peak {g.max():.2f}); "
                 f"the true value is {real:g}")
    ax.legend(loc="lower right")

    ax = axes[1]
    ax.axhline(0, color="0.6", linestyle="--", linewidth=1)
    ax.plot(step, w, color="tab:purple", linewidth=2, label="discriminator weight w")
    ax.set_ylabel("w")
    tail = np.abs(w[-max(1, len(w) // 10):]).max()
    ax.set_title(f"Discriminator: w changed sign {_times(sign_changes(w))}; "
                 f"largest |w| in the last tenth: {tail:.2g}")
    ax.legend(loc="upper right")

    ax = axes[2]
    ax.axhline(0.5, color="0.6", linestyle="--", linewidth=1, label="0.5: can't tell")
    ax.plot(step, d_real, color="tab:blue", linewidth=2, label="D(real)")
    ax.plot(step, d_fake, color="tab:red", linewidth=2, label="D(fake)")
    ax.set_ylim(-0.02, 1.02)
    ax.set_ylabel("D's output")
    ax.set_xlabel("training step")
    ax.set_title(f"D's verdicts at the end: real {d_real[-1]:.3f}, fake {d_fake[-1]:.3f} "
                 f"(0.5 means it can't tell)")
    ax.legend(loc="upper right")

    fig.savefig(path, dpi=110)
    plt.close(fig)
    return str(path)


def _times(n: int) -> str:
    return {0: "no times", 1: "once", 2: "twice"}.get(n, f"{n} times")
