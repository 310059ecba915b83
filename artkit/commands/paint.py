"""`artkit paint`: the painting window (hairy brush marks coloured from a source picture).

Every window paints one session (`artkit.sessions`): a new one, or with --resume the latest or
any other. A session another window has open is never written by this one: it paints a copy.
"""

from artkit.commands.render import add_plan_arguments, plan_choice
from artkit.commands.values import seed, whole
from artkit.errors import ArtkitError
from artkit.params import SEED_HELP

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
                   help="canvas size in pixels (default: a photo's own shape 1024 px long, "
                        "else 1024x768; smaller if the screen is)")
    p.add_argument("--fit", choices=("cover", "contain"), default="cover",
                   help="when --size has another shape than the photo: cover fills the canvas "
                        "and crops the photo, contain shows all of it (as in artkit render)")
    p.add_argument("--seed", type=seed, metavar="N",
                   help=f"seed for the brushes' randomness ({SEED_HELP})")
    p.add_argument("--resume", nargs="?", const="latest", default=None, metavar="ID",
                   help="carry on with the latest session, or session ID (see 'artkit "
                        "sessions'); kept even if the window was killed")
    p.add_argument("--out-dir", metavar="DIR", default=".",
                   help="folder where S saves paintings (default: the current folder)")
    p.add_argument("--frames", type=whole(1), metavar="N",
                   help="close the window after N frames (for demos and scripted checks)")
    p.add_argument("--gan", nargs="?", const="", default=None, metavar="CHECKPOINT",
                   help="open with the GAN panel showing (and sample this checkpoint)")
    p.add_argument("--gan-data", metavar="PATH",
                   help="pictures the GAN panel trains on: a folder, .h5 or .npz (opens the panel)")
    add_plan_arguments(p)   # how A (autopaint) paints; L switches it in the window
    p.set_defaults(func=run_paint)


def fitting_canvas_size(desktop, toolbar_width: int, size=DEFAULT_CANVAS) -> tuple[int, int]:
    """`size` (default 1024x768), shrunk keeping its shape to fit beside the toolbar on
    `desktop` ((width, height) of the screen, or None when unknown) with room for a title bar
    and dock."""
    w, h = size
    if not desktop:
        return w, h
    room_w, room_h = desktop[0] - toolbar_width - 40, desktop[1] - 110
    k = min(1.0, room_w / w, room_h / h)
    if k >= 1.0:
        return w, h
    return max(MIN_CANVAS[0], int(w * k) // 4 * 4), max(MIN_CANVAS[1], int(h * k) // 4 * 4)


def run_paint(args) -> int:
    from pathlib import Path

    from artkit.app import toolbar  # first: it quiets pygame's import banner

    import pygame

    from artkit.app.paint_app import PaintApp
    from artkit.app.views import init_display
    from artkit.commands.render import canvas_size
    from artkit.brushes import make_brush
    from artkit.params import parse_size
    from artkit.session import PaintSession
    from artkit.sessions import SessionStore
    from artkit.source import open_source

    out_dir = Path(args.out_dir).expanduser()
    if out_dir.exists() and not out_dir.is_dir():
        raise ArtkitError(f"--out-dir must be a folder, but '{out_dir}' is a file; pick a folder.")
    if not out_dir.is_dir():
        raise ArtkitError(f"The folder '{out_dir}' given to --out-dir does not exist; create it "
                          f"or pick another.")
    # Bad arguments stop here, before a window opens.
    if args.brush:
        make_brush(args.brush)
    size = parse_size(args.size) if args.size else None
    if args.frames is not None and args.frames < 1:
        raise ArtkitError(f"--frames must be 1 or more, not {args.frames}.")
    plan = plan_choice(args)
    _check_gan_files(args)
    store = SessionStore()
    for adopted in store.adopted:
        print(f"Your painting from an earlier artkit is kept as session {adopted}.")
    resume_id = store.resolve(args.resume) if args.resume is not None else None
    notices = []

    init_display(f"paint without one with `artkit render --source {args.source or 'PHOTO'} "
                 f"--out painting.png`")
    lock = None
    try:
        if resume_id is not None:
            session, lock, notices = resume_session(store, resume_id)
            if args.size:
                notices.append("--size is ignored with --resume: the painting keeps its size.")
            if args.source:
                session.open_source(args.source)
            if args.brush:
                session.select_brush(args.brush)
        else:
            spec = args.source or "default"
            if size is None:   # the photo's own shape, as `artkit render` frames it
                desktops = pygame.display.get_desktop_sizes()
                size = fitting_canvas_size(desktops[0] if desktops else None, toolbar.WIDTH,
                                           canvas_size(spec, None))
            source = open_source(spec, size, fit=args.fit)
            session = PaintSession(size, source, brush=args.brush, seed=args.seed,
                                   source_spec=spec)
            lock = store.create()
        if plan is not None or resume_id is None:   # a resumed painting keeps its own plan
            session.set_plan(*(plan or ("uniform",)))
        try:
            session.journal_to(lock.journal)
        except BaseException:
            lock.discard()
            raise
        removed = store.prune(keep=(lock.id,))
        if removed:
            megabytes = sum(info.bytes for info in removed) / 2**20
            print(f"Removed the {len(removed)} oldest sessions ({megabytes:.1f} MB) to stay "
                  f"within {store_budget()}: {', '.join(info.id for info in removed)}.")

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
            session.save_thumbnail(lock.thumbnail)
        if session.log.journal_error:  # e.g. the disk filled up while painting
            print(f"artkit: {session.log.journal_error} 'artkit paint --resume {lock.id}' "
                  f"brings back the painting as it was then.")
        else:
            print(f"Your painting is kept as session {lock.id}: 'artkit paint --resume' "
                  f"carries on.")
    finally:
        if lock is not None:
            lock.release()
        pygame.quit()
    return 0


def _check_gan_files(args) -> None:
    """--gan's checkpoint and --gan-data's file are refused now, before the window opens, when
    they are pipes or devices (opening one would wait forever) or missing."""
    from pathlib import Path

    from artkit.files import check_regular_file

    if args.gan:
        check_regular_file(args.gan, "checkpoint")
    if args.gan_data and not Path(args.gan_data).is_dir():
        check_regular_file(args.gan_data, "data file or folder")


def resume_session(store, session_id: str):
    """The session `session_id` reopened for this window: (PaintSession, SessionLock, notices).

    When another window has it open, this window gets a new session holding a copy of the
    painting so far, and never writes the other's journal. A damaged journal gives back every
    gesture that can be read; the damaged original is kept beside it."""
    import shutil

    from artkit.session import PaintSession
    from artkit.sessions import SessionBusy
    from artkit.strokelog import StrokeLog

    notices = []
    try:
        lock = store.acquire(session_id)
        journal = lock.journal
    except SessionBusy:
        journal = store.folder / f"{session_id}.strokes"
        lock = store.create()
        notices.append(f"Session {session_id} is open in another window, so this window paints "
                       f"a copy of it as session {lock.id}.")
    try:
        log = StrokeLog.load(journal)
        if log.damage is not None:
            kept = lock.damaged_copy_name()
            shutil.copy2(journal, kept)
            notices.append(f"{log.damage.sentence(journal.name)} The damaged original is kept "
                           f"as '{kept}'.")
        session, notice = PaintSession.from_log(log)
    except BaseException:
        lock.discard()
        raise
    if notice:
        notices.append(notice)
    return session, lock, notices


def store_budget() -> str:
    from artkit.sessions import MAX_BYTES, MAX_SESSIONS

    return f"{MAX_SESSIONS} sessions and {MAX_BYTES / 2**30:.0f} GB"
