"""Child-process entry for rendering an audit file: `python -m duediligence.report CASE -o FILE
--store PATH [--as USER] [--templates DIR] [--logo FILE] [--checklists PATH ...]`.

The TUI starts this with `asyncio.create_subprocess_exec` (WeasyPrint in a thread would stall its
event loop) and reads stderr: one JSON object per line,
  {"progress": 0.35, "message": "Laying out page 12"}      while working,
  {"done": true, "path": "...", "pages": 21, "seconds": 1.4}  at the end (exit 0),
  {"error": "..."}                                           on failure (exit 1).
Stdout stays empty. SIGTERM stops it cleanly (exit 143): no output file, no partial file.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from pathlib import Path

from duediligence.adapters.identity import computer_account
from duediligence.domain.errors import DueDiligenceError


def _line(data: dict[str, object]) -> None:
    sys.stderr.write(json.dumps(data, ensure_ascii=False) + "\n")
    sys.stderr.flush()


def _stop(signum: int, frame: object) -> None:
    # The TUI stops a render with SIGTERM; as SystemExit it unwinds through the writer, which
    # deletes its partial file, instead of dying with the file half written.
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGTERM, _stop)
    parser = argparse.ArgumentParser(prog="python -m duediligence.report")
    parser.add_argument("case", help="The matter reference.")
    parser.add_argument("-o", "--output", type=Path, required=True, help="The PDF to write.")
    parser.add_argument("--store", type=Path, required=True, help="The case-file database.")
    parser.add_argument("--as", dest="user", default=None, help="Who generates it (a user id).")
    parser.add_argument("--templates", type=Path, default=None, help="Firm template folder.")
    parser.add_argument("--logo", type=Path, default=None, help="Firm logo (PNG or SVG).")
    parser.add_argument("--checklists", type=Path, action="append", default=[])
    parser.add_argument(
        "--passphrase-file", type=Path, default=None, help="The firm key's passphrase (signs)."
    )
    parser.add_argument(
        "--passphrase-stdin",
        action="store_true",
        help="Read the firm key's passphrase from the first line of standard input (the terminal "
        "UI passes the one typed; never on the command line, where other users could see it).",
    )
    args = parser.parse_args(argv)

    # The same assembly of store, blobs and checklists as the CLI and the TUI.
    from duediligence.compose import open_casefile
    from duediligence.config import load_settings
    from duediligence.domain.case import Actor
    from duediligence.report.render import ReportOptions, issue_audit_file
    from duediligence.services.proof import passphrase_from_file

    last = -1.0

    def progress(fraction: float, message: str) -> None:
        nonlocal last
        # Coalesce: the TUI needs a few updates a second, not one per log record.
        if fraction - last >= 0.01 or fraction >= 1.0:
            last = fraction
            _line({"progress": round(fraction, 3), "message": message})

    try:
        if not args.store.exists():
            raise DueDiligenceError(f"there is no case file at {args.store}")
        # The firm's settings (the same config file and environment as the TUI that started
        # this process): its policy decides ratings and dates exactly as on screen.
        settings = load_settings(store=args.store)
        with open_casefile(
            args.store,
            settings=settings,
            checklist_paths=tuple(args.checklists) or settings.checklists,
        ) as opened:
            casefile = opened.casefile
            # Signed when the firm has a key: the passphrase comes from the settings' file or,
            # typed in the terminal UI, on standard input. Without either it is not signed.
            typed = sys.stdin.readline(1024).rstrip("\r\n") if args.passphrase_stdin else None
            passphrase = (
                passphrase_from_file(args.passphrase_file)
                if args.passphrase_file is not None
                else typed
            )
            key = (
                casefile.proof.key_for(passphrase, "audit file") if passphrase is not None else None
            )
            actor = Actor(user=args.user, os_user=computer_account()) if args.user else None
            if actor is not None and key is None:
                try:
                    casefile.proof.check_actor(actor)
                except DueDiligenceError:
                    # The account this process runs from is not the person's (the terminal UI
                    # was told another): the file is still made, its render not recorded.
                    actor = None
            issued = issue_audit_file(
                casefile,
                args.case,
                args.output,
                actor=actor,
                firm_key=key,
                generated_by=args.user or computer_account(),
                options=ReportOptions(
                    firm_templates=args.templates or settings.templates,
                    logo=args.logo or settings.logo,
                ),
                progress=progress,
            )
            result = issued.result
    except DueDiligenceError as error:
        _line({"error": str(error)})
        return 1
    _line(
        {
            "done": True,
            "path": str(result.path),
            "pages": result.pages,
            "seconds": round(result.seconds, 3),
            "signed": issued.signed,
            "recorded": actor is not None,
        }
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
