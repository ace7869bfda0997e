"""`whosaid serve`."""
import argparse


def register(sub) -> None:
    """Add the serve subcommand."""
    p = sub.add_parser("serve", help="serve the web app (migrates first)")
    p.add_argument("--host", default=None, help="interface (default WHOSAID_HOST or 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port (default WHOSAID_PORT or 8000)")
    p.set_defaults(func=serve)


def serve(args: argparse.Namespace) -> int:
    """Migrate, then run uvicorn."""
    import uvicorn

    from app.config import get_settings
    from app.db import upgrade

    settings = get_settings()
    upgrade()
    uvicorn.run("app.web.main:app", host=args.host or settings.host, port=args.port or settings.port)
    return 0
