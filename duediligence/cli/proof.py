"""The proof commands: `keys init` (the firm's signing key) and `checkpoint` (sign the chain
head now, optionally exported to a file kept elsewhere); the passphrase helpers the MLRO,
render and list-import commands share.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from duediligence.adapters.locations import local_path
from duediligence.cli.cases import Context, common
from duediligence.domain.errors import DueDiligenceError
from duediligence.domain.paths import atomic_output, output_problem
from duediligence.services.casefile import CaseFile
from duediligence.services.proof import passphrase_from_file

if TYPE_CHECKING:
    from duediligence.services.signing import FirmKey

T = TypeVar("T")


def passphrase_file_option(what: str) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """`--passphrase-file FILE`: the passphrase's first line (for scripts and tests)."""
    return click.option(
        "--passphrase-file",
        type=click.Path(path_type=Path, dir_okay=False),
        help=f"A file whose first line is {what} (otherwise it is asked for).",
    )


def read_passphrase(
    file: Path | None, what: str, *, confirm: bool = False, required: bool = True
) -> str | None:
    """The passphrase from `file`, else asked on the terminal; None when not required and
    there is no terminal to ask on."""
    if file is not None:
        return passphrase_from_file(file)
    if sys.stdin is not None and sys.stdin.isatty():
        answer: Any = click.prompt(what.capitalize(), hide_input=True, confirmation_prompt=confirm)
        return str(answer)
    if required:
        raise DueDiligenceError(f"give {what} with --passphrase-file FILE (no terminal to ask on)")
    return None


@click.group()
def keys() -> None:
    """The firm's signing key (checkpoints and audit files are signed with it)."""


@keys.command(name="init")
@click.option(
    "--pkcs12",
    "pkcs12_file",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Import the firm's own key and certificate from a PKCS#12 (.p12/.pfx) file instead of "
    "making a self-signed one.",
)
@click.option(
    "--pkcs12-password-file",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="A file whose first line is the PKCS#12 file's password (otherwise asked for).",
)
@click.option(
    "--replace", is_flag=True, help="Replace an existing key (old checkpoints stay valid)."
)
@passphrase_file_option("the new key's passphrase")
@common
def keys_init(
    ctx: Context,
    pkcs12_file: Path | None,
    pkcs12_password_file: Path | None,
    replace: bool,
    passphrase_file: Path | None,
) -> None:
    """MLRO or senior manager: set up the firm's signing key and certificate (the key,
    encrypted under a passphrase, is kept beside the store, never in the case file)."""
    data = pkcs12_file.read_bytes() if pkcs12_file is not None else None
    password = ""
    if data is not None:
        password = read_passphrase(pkcs12_password_file, "the PKCS#12 password") or ""
    passphrase = read_passphrase(passphrase_file, "the new key's passphrase", confirm=True)
    assert passphrase is not None
    with ctx.casefile(library=False) as casefile:
        record = casefile.proof.init_keys(
            ctx.actor(), passphrase, pkcs12_data=data, pkcs12_password=password, replace=replace
        )
        folder = casefile.key_dir
    ctx.emit(
        {
            "certificate_sha256": record.id,
            "subject": record.subject,
            "not_after": record.not_after,
            "key_folder": str(folder),
        },
        f"The firm's signing key is in {folder} (encrypted under the passphrase); certificate "
        f"{record.id} ({record.subject}, valid until {record.not_after:%Y-%m-%d}) is in the case "
        "file. Keep the passphrase safe: without it nothing more can be signed.",
    )


@click.command()
@click.option(
    "--export",
    "export_to",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write the checkpoint to this file, to keep somewhere else (an email, a disk).",
)
@passphrase_file_option("the firm key's passphrase")
@common
def checkpoint(ctx: Context, export_to: Path | None, passphrase_file: Path | None) -> None:
    """Sign the audit chain's head now with the firm's key and keep the checkpoint in the case
    file (and in --export FILE)."""
    if export_to is not None:
        problem = output_problem(export_to, store=local_path(ctx.store_path), force=False)
        if problem is not None:
            raise DueDiligenceError(problem)
    passphrase = read_passphrase(passphrase_file, "the firm key's passphrase")
    assert passphrase is not None
    with ctx.casefile(library=False) as casefile:
        made = casefile.proof.checkpoint(ctx.actor(), passphrase)
        exported = casefile.proof.export(made) if export_to is not None else None
    if export_to is not None and exported is not None:
        with atomic_output(export_to, store=local_path(ctx.store_path), force=False) as out:
            out.write(exported)
    data: dict[str, Any] = {
        "sequence": made.sequence,
        "head_sha256": made.head_sha256,
        "at": made.at,
        "counts": made.counts,
        "certificate_sha256": made.certificate_sha256,
        "exported": str(export_to) if export_to else None,
    }
    ctx.emit(
        data,
        f"Checkpoint signed: event #{made.sequence}, head {made.head_sha256}"
        + (f"; exported to {export_to}" if export_to else "")
        + ".",
    )


def signing_key(casefile: CaseFile, passphrase_file: Path | None, what: str) -> FirmKey | None:
    """The firm's key unlocked before a render or a list import starts (asked for when it
    exists and no file is given); None when the firm has none yet."""
    proof = casefile.proof
    passphrase = (
        read_passphrase(passphrase_file, "the firm key's passphrase", required=False)
        if proof.key_exists()
        else None
    )
    return proof.key_for(passphrase, what)


COMMANDS: tuple[click.Command, ...] = (keys, checkpoint)
