"""Short numbers for progress lines and the painter's GAN panel: 950, 12.3k, 1.25M.

Kept apart from the trainer and free of torch, so the paint window can import it without
loading torch.
"""


def kilo(value: float) -> str:
    """`value` with a k or M suffix once it reaches a thousand or a million."""
    if value >= 1e6:
        return f"{value / 1e6:.2f}M"
    if value >= 1e3:
        return f"{value / 1e3:.1f}k"
    return f"{value:.0f}"
