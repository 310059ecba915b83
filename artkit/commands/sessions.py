"""`artkit sessions`: every painting session kept, most recent first."""


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "sessions", help="list the painting sessions kept",
        description="List every painting session artkit keeps, most recent first. "
                    "'artkit paint --resume ID' carries on with one.")
    p.set_defaults(func=run_sessions)


def run_sessions(args) -> int:
    from artkit.sessions import KEEP_RECENT, SessionStore

    from artkit.commands.paint import store_budget

    store = SessionStore()
    infos = store.list()
    if not infos:
        print(f"No painting sessions yet; 'artkit paint' starts one (they are kept in "
              f"{store.folder}).")
        return 0
    print(f"{len(infos)} session{'s' if len(infos) != 1 else ''} in {store.folder} (kept: the "
          f"{KEEP_RECENT} most recent always, the rest within {store_budget()}):")
    for info in infos:
        size = f"{info.size[0]}x{info.size[1]}" if info.size else "?"
        what = (f"{info.gestures} gesture{'s' if info.gestures != 1 else ''}"
                if info.gestures is not None else "unreadable")
        line = (f"  {info.id}  {info.modified:%Y-%m-%d %H:%M}  {size:>9}  {what:>13}  "
                f"{info.brush or '':<14} {info.bytes / 1024:8.1f} KB")
        if info.busy:
            line += "  (open in a window)"
        if info.problem:
            line += f"  ({info.problem})"
        print(line)
        if info.thumbnail:
            print(f"      picture: {info.thumbnail}")
    print("Carry on with one: artkit paint --resume ID (without ID: the latest).")
    return 0


__all__ = ["register"]
