"""How big is the output of a convolution? A calculator, worked examples, and model shape tables.

Along each spatial side (height, then width), for input size n, kernel k, stride s, padding p
and dilation d (a dilated kernel spans d*(k - 1) + 1 pixels):

    convolution:             out = floor((n + 2p - d(k - 1) - 1) / s) + 1
    transposed convolution:  out = (n - 1) s - 2p + d(k - 1) + output_padding + 1

A convolution slides the kernel in steps of s and keeps only the positions where it fits
entirely inside the padded input, so leftover rows at the far edge are dropped (that is the
floor). A transposed convolution runs the same arithmetic backwards: every input pixel paints
a k x k stamp, stamps placed s apart; then p is trimmed from each side. Because the floor threw
information away, several input sizes of a convolution give the same output size, and
`output_padding` (smaller than the stride or the dilation) picks which one a transposed
convolution rebuilds.

The formulas are plain Python (no torch) and live in `artkit.gan.conv_sizes`, which the models
also use to size their layers; they are re-exported here, the calculator's home.
`shape_table` and `model_shape_report` import torch to run a model on a dummy input with
forward hooks. Sizes may be an int (square) or a
tuple with one entry per side, e.g. (height, width); the answer has the same form.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from artkit.errors import ArtkitError
from artkit.gan.conv_sizes import (  # noqa: F401  (public here too: the calculator's home)
    CONV_FORMULA,
    TRANSPOSED_FORMULA,
    conv_out,
    conv_transpose_out,
    dropped_pixels,
)


# --------------------------------------------------------------------------- explanations


def _working(n: int, k: int, s: int, p: int, d: int, op: int, transposed: bool) -> str:
    """The formula with this side's numbers in it."""
    if transposed:
        out = conv_transpose_out(n, k, s, p, op, d)
        return (f"({n} - 1)*{s} - 2*{p} + {d}*({k} - 1) + {op} + 1 = {out}")
    out = conv_out(n, k, s, p, d)
    return f"floor(({n} + 2*{p} - {d}*({k} - 1) - 1) / {s}) + 1 = {out}"


def _pair(value) -> tuple:
    if isinstance(value, (tuple, list)):
        return tuple(value)
    return (value, value)


def explain_layer(input_size, kernel, *, stride=1, padding=0, dilation=1, output_padding=0,
                  transposed: bool = False) -> str:
    """A few lines explaining one layer's output size, with the formula worked through for the
    height and width (once when the layer is square)."""
    n, k, s, p, d, op = (_pair(v) for v in (input_size, kernel, stride, padding, dilation,
                                            output_padding))
    if not transposed and any(op):
        raise ArtkitError("output padding only exists for transposed convolutions; add "
                          "--transposed or leave it out.")
    compute = conv_transpose_out if transposed else conv_out
    out = compute(n, k, s, p, op, d) if transposed else compute(n, k, s, p, d)
    kind = "transposed convolution" if transposed else "convolution"
    square = len(set(n)) == 1 and all(len(set(v)) == 1 for v in (k, s, p, d, op))
    size = lambda pair: str(pair[0]) if square else f"{pair[0]}x{pair[1]}"
    settings = f"kernel {size(k)}, stride {size(s)}, padding {size(p)}"
    if any(v != 1 for v in d):
        settings += f", dilation {size(d)}"
    if transposed and any(op):
        settings += f", output padding {size(op)}"
    lines = [f"{kind}: {size(n)} -> {size(out)}  ({settings})",
             f"  {TRANSPOSED_FORMULA if transposed else CONV_FORMULA}"]
    sides = [("", 0)] if square else [("height: ", 0), ("width:  ", 1)]
    for label, i in sides:
        lines.append(f"  {label}{_working(n[i], k[i], s[i], p[i], d[i], op[i], transposed)}")
        if not transposed:
            lost = dropped_pixels(n[i], k[i], s[i], p[i], d[i])
            if lost:
                what = ("pixel of the padded input is" if lost == 1
                        else f"{lost} pixels of the padded input are")
                lines.append(f"  {label}the last {what} never covered by the kernel: the floor "
                             f"drops {'it' if lost == 1 else 'them'}")
    return "\n".join(lines)


def formulas_text() -> str:
    """The two formulas, with what each letter means."""
    return "\n".join([
        "Output size along one side (height or width) of a layer:",
        f"  convolution:             {CONV_FORMULA}",
        f"  transposed convolution:  {TRANSPOSED_FORMULA}",
        "  n input size, k kernel, s stride, p padding, d dilation (1 = an ordinary kernel);",
        "  output_padding (transposed only, smaller than s or d) adds one-sided rows back.",
        "A convolution keeps only kernel positions that fit inside the padded input, so sizes",
        "are floored and leftover edge pixels are dropped. A transposed convolution places one",
        "k x k stamp per input pixel, s apart, then trims p from each side.",
    ])


@dataclass(frozen=True)
class WorkedExample:
    """One of the seven worked examples: a square layer and the size it must give."""

    input_size: int
    kernel: int
    stride: int
    padding: int
    transposed: bool
    expected: int
    note: str

    def output(self) -> int:
        if self.transposed:
            return conv_transpose_out(self.input_size, self.kernel, self.stride, self.padding)
        return conv_out(self.input_size, self.kernel, self.stride, self.padding)


WORKED_EXAMPLES = (
    WorkedExample(6, 2, 1, 0, False, 5, "a 2x2 kernel fits 5 places along 6 pixels"),
    WorkedExample(6, 2, 2, 0, False, 3, "stride 2 halves the size: the kernel jumps 2 each time"),
    WorkedExample(6, 2, 2, 1, False, 4, "a border of 1 makes 8 pixels: 4 jumps of 2"),
    WorkedExample(5, 2, 2, 0, False, 2, "the fifth pixel is never covered: the floor drops it"),
    WorkedExample(3, 2, 2, 0, True, 6, "each pixel paints a 2x2 stamp, 2 apart: doubles"),
    WorkedExample(6, 2, 1, 0, True, 7, "stride 1: the stamps overlap and add one pixel"),
    WorkedExample(3, 2, 2, 1, True, 4, "padding trims 1 from each side of the 6"),
)


def torch_output_size(input_size, kernel, stride=1, padding=0, *, transposed=False,
                      output_padding=0, dilation=1) -> tuple:
    """What torch itself makes of a 2-d layer: (height, width) of its output on a dummy input.
    Imports torch; used to check the formulas."""
    import torch
    from torch import nn

    n = _pair(input_size)
    layer_type = nn.ConvTranspose2d if transposed else nn.Conv2d
    extra = {"output_padding": output_padding} if transposed else {}
    layer = layer_type(1, 1, kernel, stride=stride, padding=padding, dilation=dilation,
                       bias=False, **extra)
    with torch.no_grad():
        return tuple(layer(torch.zeros(1, 1, *n)).shape[-2:])


def worked_examples_text(check_with_torch: bool = False) -> str:
    """The seven worked examples as a table; with `check_with_torch`, a column of torch's own
    answer next to the formula's."""
    lines = ["Worked examples (square inputs; k kernel, s stride, p padding):"]
    header = f"  {'layer':<26}{'in':>4}{'out':>5}"
    if check_with_torch:
        header += f"{'torch':>7}"
    lines.append(header + "   why")
    for ex in WORKED_EXAMPLES:
        kind = "transposed conv" if ex.transposed else "conv"
        layer = f"{kind} k{ex.kernel} s{ex.stride} p{ex.padding}"
        row = f"  {layer:<26}{ex.input_size:>4}{ex.output():>5}"
        if check_with_torch:
            got = torch_output_size(ex.input_size, ex.kernel, ex.stride, ex.padding,
                                    transposed=ex.transposed)[0]
            row += f"{got:>7}"
        lines.append(row + f"   {ex.note}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- models


class ShapeRow(NamedTuple):
    """One row of a shape table: the layer (name and settings) and one sample's output shape
    (no batch dimension)."""

    layer: str
    out_shape: tuple


@dataclass
class _LayerRecord:
    name: str
    module: object
    in_shape: tuple   # one sample's input shape, no batch dimension
    out_shape: tuple  # one sample's output shape
    params: int


def _describe(module) -> str:
    """A short description of a layer: its type and the settings that decide its shape."""
    from torch import nn

    if module is None:
        return "view in forward()"
    kind = type(module).__name__
    if isinstance(module, nn.modules.conv._ConvNd):
        compact = lambda t: str(t[0]) if len(set(t)) == 1 else "x".join(map(str, t))
        text = (f"{kind} {module.in_channels}->{module.out_channels} "
                f"k{compact(module.kernel_size)} s{compact(module.stride)}")
        if isinstance(module.padding, str):
            text += f" p={module.padding}"
        else:
            text += f" p{compact(module.padding)}"
        if any(v != 1 for v in module.dilation):
            text += f" d{compact(module.dilation)}"
        if module.transposed and any(module.output_padding):
            text += f" op{compact(module.output_padding)}"
        return text
    if isinstance(module, nn.Linear):
        return f"{kind} {module.in_features}->{module.out_features}"
    if isinstance(module, nn.modules.batchnorm._BatchNorm):
        return f"{kind}({module.num_features})"
    if isinstance(module, nn.LayerNorm):
        return f"{kind}({', '.join(map(str, module.normalized_shape))})"
    if isinstance(module, nn.LeakyReLU):
        return f"{kind}({module.negative_slope:g})"
    return kind


def _formula_check(record: _LayerRecord) -> str:
    """For a convolution layer, the formula's answer for its spatial sides and whether torch
    agrees; empty for other layers."""
    from torch import nn

    module = record.module
    if not isinstance(module, nn.modules.conv._ConvNd) or isinstance(module.padding, str):
        return ""
    sides = len(module.kernel_size)
    n = tuple(record.in_shape[-sides:])
    if module.transposed:
        predicted = conv_transpose_out(n, module.kernel_size, module.stride, module.padding,
                                       module.output_padding, module.dilation)
    else:
        predicted = conv_out(n, module.kernel_size, module.stride, module.padding,
                             module.dilation)
    actual = tuple(record.out_shape[-sides:])
    show = lambda t: str(t[0]) if len(set(t)) == 1 else "x".join(map(str, t))
    verdict = "formula agrees" if predicted == actual else f"formula says {show(predicted)}!"
    return f"{show(n)} -> {show(actual)}, {verdict}"


def _trace(model, input_shape, labelled: bool = False) -> tuple[tuple, list[_LayerRecord]]:
    """Run `model` on a zero batch of two samples of `input_shape` (and labels 0 when
    `labelled`: a conditional discriminator), recording every leaf layer's input and output
    shape through forward hooks. The model is put in eval mode for the run (so BatchNorm uses
    running statistics) and restored afterwards."""
    import torch

    input_shape = tuple(int(v) for v in input_shape)
    records: list[_LayerRecord] = []

    def first_tensor(value):
        if isinstance(value, torch.Tensor):
            return value
        if isinstance(value, (tuple, list)):
            for item in value:
                found = first_tensor(item)
                if found is not None:
                    return found
        return None

    def hook_for(name):
        def hook(module, inputs, output):
            tensor_in, tensor_out = first_tensor(inputs), first_tensor(output)
            if tensor_out is None:
                return
            records.append(_LayerRecord(
                name, module,
                tuple(tensor_in.shape[1:]) if tensor_in is not None else (),
                tuple(tensor_out.shape[1:]),
                sum(p.numel() for p in module.parameters(recurse=False)),
            ))
        return hook

    leaves = [(name, module) for name, module in model.named_modules()
              if not any(True for _ in module.children())]
    handles = [module.register_forward_hook(hook_for(name or type(module).__name__))
               for name, module in leaves]
    was_training = model.training
    try:
        parameter = next(model.parameters(), None)
        device = parameter.device if parameter is not None else "cpu"
        model.eval()
        with torch.no_grad():
            inputs = [torch.zeros((2, *input_shape), device=device)]
            if labelled:
                inputs.append(torch.zeros(2, dtype=torch.long, device=device))
            result = first_tensor(model(*inputs))
    except RuntimeError as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ArtkitError(f"the model does not take inputs of shape {input_shape} ({reason}); "
                          "check the input shape.") from None
    finally:
        for handle in handles:
            handle.remove()
        model.train(was_training)
    return input_shape, _with_reshapes(input_shape, records,
                                       tuple(result.shape[1:]) if result is not None else None)


def _with_reshapes(input_shape: tuple, records: list, output_shape) -> list:
    """Insert a "(reshape)" record wherever data changed shape between layers without a layer
    doing it (a `.view(...)` in a forward method), so the table shows every shape."""
    out, previous = [], input_shape
    for record in records:
        if record.in_shape and record.in_shape != previous:
            out.append(_LayerRecord("(reshape)", None, previous, record.in_shape, 0))
        out.append(record)
        previous = record.out_shape
    if output_shape is not None and output_shape != previous:
        out.append(_LayerRecord("(reshape)", None, previous, output_shape, 0))
    return out


def shape_table(model, input_shape=None) -> list[ShapeRow]:
    """The layer-by-layer output shapes of `model` for one sample of `input_shape`.

    `model`: an `nn.Module`, or a name from `artkit.gan.models.MODELS`, which gives the
    generator's rows followed by the discriminator's (their layer names start with
    "generator." and "discriminator."). `input_shape`: one sample's shape, no batch dimension,
    e.g. (100,) for a latent vector or (1, 28, 28) for an image; it may be left out for a
    generator (its `latent_dim` is used) and for a model name.

    Returns `ShapeRow(layer, out_shape)` rows: first ("input", input_shape), then one row per
    leaf layer in the order it ran; out_shape leaves out the batch dimension.
    """
    rows = []
    for prefix, network, shape, labelled in _networks(model, input_shape):
        input_shape_used, records = _trace(network, shape, labelled)
        rows.append(ShapeRow(f"{prefix}input", input_shape_used))
        rows += [ShapeRow(f"{prefix}{r.name} {_describe(r.module)}", r.out_shape) for r in records]
    return rows


def _networks(model, input_shape):
    """[(layer-name prefix, module, input shape, takes labels)] for a module or a registry
    name."""
    if isinstance(model, str):
        from artkit.gan import models

        config = models.model_config(model)
        if getattr(config, "kind", None) == "part1":
            raise ArtkitError("part1 has no layers to trace: its generator is one number g and "
                              "its discriminator is sigmoid(w*x); see `artkit gan train --model "
                              "part1`.")
        generator = models.build_generator(config)
        discriminator = models.build_discriminator(config)
        return [("generator.", generator, (generator.latent_dim,), False),
                ("discriminator.", discriminator, tuple(generator.image_shape),
                 bool(generator.classes))]
    if input_shape is None:
        latent_dim = getattr(model, "latent_dim", None)
        if latent_dim is None:
            raise ArtkitError("give the input shape of one sample, e.g. (1, 28, 28) for an "
                              "image or (100,) for a latent vector.")
        input_shape = (latent_dim,)
    return [("", model, tuple(input_shape), False)]


def _shape_text(shape: tuple) -> str:
    return "(N, " + ", ".join(map(str, shape)) + ")" if shape else "(N,)"


def model_shape_report(model, input_shape=None) -> str:
    """A printable table of a model's layers: output shape (N = batch), parameters, and for
    each convolution the size formula checked against what torch produced."""
    sections = []
    title = model if isinstance(model, str) else type(model).__name__
    for prefix, network, shape, labelled in _networks(model, input_shape):
        input_shape_used, records = _trace(network, shape, labelled)
        heading = (prefix.rstrip(".") or title)
        width = max([len(r.name) + len(_describe(r.module)) + 1 for r in records] + [16])
        lines = [f"{title} {heading}: {type(network).__name__}" if prefix else
                 f"{title}",
                 f"  {'layer':<{width}}  {'output shape':<20}{'params':>9}  size check",
                 f"  {'input':<{width}}  {_shape_text(input_shape_used)}"]
        total = 0
        for r in records:
            total += r.params
            label = f"{r.name} {_describe(r.module)}"
            lines.append(f"  {label:<{width}}  {_shape_text(r.out_shape):<20}{r.params:>9,}  "
                         f"{_formula_check(r)}".rstrip())
        lines.append(f"  {'total parameters':<{width}}  {'':<20}{total:>9,}")
        sections.append("\n".join(lines))
    return "\n\n".join(sections)
