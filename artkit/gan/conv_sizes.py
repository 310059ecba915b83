"""Output sizes of convolutions and transposed convolutions: plain integer arithmetic, no torch.

The formulas (per spatial side, input n, kernel k, stride s, padding p, dilation d):

    convolution:             out = floor((n + 2p - d(k - 1) - 1) / s) + 1
    transposed convolution:  out = (n - 1) s - 2p + d(k - 1) + output_padding + 1

This module is separate from `artkit.gan.shapes` (the calculator, worked examples and model
shape tables) because the models use these functions to size their layers, while the shape
tables build the models to trace them: keeping the arithmetic on its own lets both depend on it
without depending on each other.
"""

from __future__ import annotations

from artkit.errors import ArtkitError

CONV_FORMULA = "out = floor((n + 2p - d(k - 1) - 1) / s) + 1"
TRANSPOSED_FORMULA = "out = (n - 1) s - 2p + d(k - 1) + output_padding + 1"


def _sides(values: dict) -> tuple[int, bool]:
    """How many sides the arguments describe, and whether any came as a tuple."""
    lengths = {len(v) for v in values.values() if isinstance(v, (tuple, list))}
    if len(lengths) > 1:
        raise ArtkitError("give every size as one number or as the same number of sides "
                          f"(got {', '.join(f'{k}={v}' for k, v in values.items())}).")
    if not lengths:
        return 1, False
    return lengths.pop(), True


def _per_side(value, sides: int, name: str, minimum: int) -> list[int]:
    items = list(value) if isinstance(value, (tuple, list)) else [value] * sides
    for item in items:
        if isinstance(item, bool) or not isinstance(item, int) or item < minimum:
            raise ArtkitError(f"{name} must be a whole number of at least {minimum}, not {item!r}.")
    return items


def conv_out(n, k, s=1, p=0, d=1):
    """Output size of a convolution: floor((n + 2p - d(k - 1) - 1) / s) + 1 per side.

    n input size, k kernel, s stride, p padding, d dilation; each an int or a tuple per side
    (e.g. (height, width)). Returns an int, or a tuple if any argument was a tuple. An
    `ArtkitError` says so when the kernel does not fit the padded input.
    """
    values = {"input": n, "kernel": k, "stride": s, "padding": p, "dilation": d}
    sides, as_tuple = _sides(values)
    ns = _per_side(n, sides, "the input size", 1)
    ks = _per_side(k, sides, "the kernel size", 1)
    ss = _per_side(s, sides, "the stride", 1)
    ps = _per_side(p, sides, "the padding", 0)
    ds = _per_side(d, sides, "the dilation", 1)
    out = []
    for n_, k_, s_, p_, d_ in zip(ns, ks, ss, ps, ds):
        span = d_ * (k_ - 1) + 1
        if n_ + 2 * p_ < span:
            raise ArtkitError(f"a kernel spanning {span} pixels does not fit an input of {n_} "
                              f"with padding {p_}; use a smaller kernel or more padding.")
        out.append((n_ + 2 * p_ - d_ * (k_ - 1) - 1) // s_ + 1)
    return tuple(out) if as_tuple else out[0]


def conv_transpose_out(n, k, s=1, p=0, output_padding=0, d=1):
    """Output size of a transposed convolution: (n - 1)s - 2p + d(k - 1) + output_padding + 1.

    Arguments as for `conv_out`; `output_padding` must be smaller than the stride or the
    dilation (torch's rule), since it only chooses among sizes a convolution maps to n.
    """
    values = {"input": n, "kernel": k, "stride": s, "padding": p,
              "output_padding": output_padding, "dilation": d}
    sides, as_tuple = _sides(values)
    ns = _per_side(n, sides, "the input size", 1)
    ks = _per_side(k, sides, "the kernel size", 1)
    ss = _per_side(s, sides, "the stride", 1)
    ps = _per_side(p, sides, "the padding", 0)
    ops = _per_side(output_padding, sides, "the output padding", 0)
    ds = _per_side(d, sides, "the dilation", 1)
    out = []
    for n_, k_, s_, p_, op_, d_ in zip(ns, ks, ss, ps, ops, ds):
        if op_ >= s_ and op_ >= d_:
            raise ArtkitError(f"output padding {op_} must be smaller than the stride ({s_}) or "
                              f"the dilation ({d_}).")
        size = (n_ - 1) * s_ - 2 * p_ + d_ * (k_ - 1) + op_ + 1
        if size < 1:
            raise ArtkitError(f"padding {p_} trims away the whole output of a transposed "
                              f"convolution on {n_} pixels with kernel {k_}; use less padding.")
        out.append(size)
    return tuple(out) if as_tuple else out[0]


def dropped_pixels(n: int, k: int, s: int = 1, p: int = 0, d: int = 1) -> int:
    """How many pixels at the far edge of one side a convolution never reaches (the floor's
    remainder): e.g. 1 for n=5, k=2, s=2."""
    conv_out(n, k, s, p, d)  # validates
    return (n + 2 * p - d * (k - 1) - 1) % s
