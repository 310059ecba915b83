"""`artkit paint`: the painting window (hairy brush marks coloured from a source picture)."""

import re

from artkit.errors import ArtkitError

DEFAULT_CANVAS = (1024, 768)
MIN_CANVAS = (320, 240)


def register(subparsers):
    p = subparsers.add_parser(
        "paint",
        help="open the paint window",
        description="Paint with hairy, translucent brush marks coloured from a picture. "
                    "Press H in the window for every key.",
    )
    p.add_argument("--source", metavar="IMAGE",
                   help="picture the brush takes its colours from (default: the built-in one)")
    p.add_argument("--brush", metavar="NAME", help="brush to start with (see 'artkit brushes')")
    p.add_argument("--size", metavar="WxH",
                   help="canvas size in pixels (default: 1024x768, smaller if the screen is)")
    p.add_argument("--seed", type=int, metavar="N", help="seed for the brushes' randomness")
    p.add_argument("--resume", action="store_true",
                   help="carry on with the last session (kept even if the window was killed)")
    p.add_argument("--out-dir", metavar="DIR", default=".",
                   help="folder where S saves paintings (default: the current folder)")
    p.add_argument("--frames", type=int, metavar="N",
                   help="close the window after N frames (for demos and scripted checks)")
    p.add_argument("--gan", nargs="?", const="", default=None, metavar="CHECKPOINT",
                   help="open with the GAN panel showing (and sample this checkpoint)")
    p.add_argument("--gan-data", metavar="PATH",
                   help="pictures the GAN panel trains on: a folder, .h5 or .npz (opens the panel)")
    p.set_defaults(func=run_paint)


def parse_size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d+)\s*[xX×]\s*(\d+)\s*", str(text))
    if not match:
        raise ArtkitError(f"--size must look like 800x600 (width x height in pixels), not {text!r}.")
    w, h = int(match.group(1)), int(match.group(2))
    if not (16 <= w <= 8192 and 16 <= h <= 8192):
        raise ArtkitError(f"--size {w}x{h} is out of range: each side must be 16 to 8192 pixels.")
    return w, h


def fitting_canvas_size(desktop, toolbar_width: int) -> tuple[int, int]:
    """The default canvas size, shrunk (keeping 4:3) to fit beside the toolbar on `desktop`
    ((width, height) of the screen, or None when unknown) with room for a title bar and dock."""
    w, h = DEFAULT_CANVAS
    if not desktop:
        return w, h
    room_w, room_h = desktop[0] - toolbar_width - 40, desktop[1] - 110
    k = min(1.0, room_w / w, room_h / h)
    return max(MIN_CANVAS[0], int(w * k) // 4 * 4), max(MIN_CANVAS[1], int(h * k) // 4 * 4)


def run_paint(args) -> int:
    from pathlib import Path

    from artkit.app import storage, toolbar  # first: it quiets pygame's import banner

    import pygame

    from artkit.app.paint_app import PaintApp
    from artkit.app.session import PaintSession
    from artkit.brushes import make_brush
    from artkit.source import open_source

    out_dir = Path(args.out_dir).expanduser()
    if not out_dir.is_dir():
        raise ArtkitError(f"The folder '{out_dir}' given to --out-dir does not exist; create it "
                          f"or pick another.")
    # Bad arguments stop here, before a window opens.
    if args.brush:
        make_brush(args.brush)
    size = parse_size(args.size) if args.size else None
    if args.frames is not None and args.frames < 1:
        raise ArtkitError(f"--frames must be 1 or more, not {args.frames}.")
    journal = storage.session_journal()
    notices = []

    pygame.display.init()
    try:
        if args.resume:
            session, notice = PaintSession.resume(journal)
            if notice:
                notices.append(notice)
            if args.size:
                notices.append("--size is ignored with --resume: the painting keeps its size.")
            if args.source:
                session.open_source(args.source)
            if args.brush:
                session.select_brush(args.brush)
        else:
            if size is None:
                desktops = pygame.display.get_desktop_sizes()
                size = fitting_canvas_size(desktops[0] if desktops else None, toolbar.WIDTH)
            spec = args.source or "default"
            source = open_source(spec, size)
            kept = storage.keep_previous(journal)
            if kept:
                print(f"The previous session is kept as {kept}.")
            session = PaintSession(size, source, brush=args.brush, seed=args.seed,
                                   source_spec=spec)
        session.journal_to(journal)

        app = PaintApp(session, out_dir=out_dir)
        if args.gan is not None or args.gan_data:
            from artkit.app.gan_panel import show_panel

            show_panel(app, checkpoint=args.gan or None, data=args.gan_data)
        for notice in notices:
            app.toasts.show(notice, "error", seconds=8)
            print(f"artkit: {notice}")
        app.toasts.show("Drag to paint. H shows every key.", seconds=4)
        try:
            app.run(max_frames=args.frames)
        finally:
            app.close()
            session.log.close()
        if session.log.journal_error:  # e.g. the disk filled up while painting
            print(f"artkit: {session.log.journal_error} 'artkit paint --resume' brings back the "
                  f"painting as it was then.")
        else:
            print(f"Your painting is kept in {journal}: 'artkit paint --resume' carries on.")
    finally:
        pygame.quit()
    return 0
