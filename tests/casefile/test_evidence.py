"""Evidence: content-addressed, streamed, atomic, deduplicated, private; bad files refused."""

from __future__ import annotations

import io
import os
import stat
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from duediligence.adapters.blobs import BlobDirectory
from duediligence.domain.case import InvalidInput, NotFound, PartyKind, PartyRole, sha256_hex
from duediligence.domain.errors import DueDiligenceError
from duediligence.services.casefile import CaseFile, NewEvidence, NewParty
from duediligence.services.evidence import mark_verified
from tests.casefile.conftest import ALICE, audit_count


def _file(tmp_path: Path, name: str, content: bytes = b"%PDF-1.7 passport scan") -> Path:
    folder = tmp_path / "incoming"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_bytes(content)
    return path


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_blob_is_named_by_its_hash_private_and_deduplicated(tmp_path: Path) -> None:
    blobs = BlobDirectory(tmp_path / "blobs")
    source = _file(tmp_path, "a.pdf")
    first = blobs.put(source)
    again = blobs.put(_file(tmp_path, "copy-with-other-name.pdf"))
    assert first.sha256 == sha256_hex(source.read_bytes()) == again.sha256
    assert (first.new, again.new) == (True, False)
    assert sorted(p.name for p in blobs.root.iterdir()) == [first.sha256]
    assert _mode(blobs.root) == 0o700
    assert _mode(blobs.path_of(first.sha256)) == 0o600
    assert blobs.check(first.sha256).status == "ok"


def test_streaming_uses_constant_memory(tmp_path: Path) -> None:
    big = tmp_path / "big.bin"
    with big.open("wb") as out:
        for i in range(48):
            out.write(bytes([i]) * (1 << 20))
    blobs = BlobDirectory(tmp_path / "blobs")
    tracemalloc.start()
    stored = blobs.put(big)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert stored.size == 48 << 20
    # At most the chunks in flight between the hashing and the writing thread (8 + 2 MiB).
    assert peak < 12 << 20, f"peak {peak} bytes for a 48 MiB file"


def test_sparse_file_is_stored_whole(tmp_path: Path) -> None:
    sparse = tmp_path / "sparse.bin"
    with sparse.open("wb") as out:
        out.truncate(64 << 20)
    stored = BlobDirectory(tmp_path / "blobs").put(sparse)
    assert stored.size == 64 << 20


class _BreaksHalfway:
    """A source whose reads fail after 3 MiB, like a disk error or a pulled USB stick."""

    def __init__(self, real: Path) -> None:
        self.real = real

    def stat(self) -> os.stat_result:
        return self.real.stat()

    def open(self, mode: str) -> io.RawIOBase:
        real = io.FileIO(self.real, "r")

        class Reader(io.RawIOBase):
            read_so_far = 0

            def readinto(self, buffer: Any) -> int:
                if Reader.read_so_far >= 3 << 20:
                    raise OSError(5, "Input/output error")
                n = real.readinto(buffer) or 0
                Reader.read_so_far += n
                return n

            def close(self) -> None:
                real.close()
                super().close()

        return Reader()

    @property
    def name(self) -> str:
        return self.real.name

    def __fspath__(self) -> str:
        return str(self.real)


def test_a_failed_write_leaves_no_partial_blob(tmp_path: Path) -> None:
    blobs = BlobDirectory(tmp_path / "blobs")
    source = _file(tmp_path, "big.bin", b"x" * (8 << 20))
    with pytest.raises(OSError, match="Input/output error"):
        blobs.put(_BreaksHalfway(source))  # type: ignore[arg-type]
    assert list(blobs.root.iterdir()) == []
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(InvalidInput, match="not a regular file"):
        blobs.put(tmp_path / "pipe")
    assert list(blobs.root.iterdir()) == []


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "nothing-here.pdf", "no such file"),
        (lambda d: d, "is a directory"),
        (lambda d: _file(d, "empty.pdf", b""), "is empty"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_written(
    casefile: CaseFile,
    case_ref: str,
    tmp_path: Path,
    store_path: Path,
    make: Callable[[Path], Path],
    message: str,
) -> None:
    blobs_before = sorted(os.listdir(casefile.blobs.path_of("0" * 64).parent))
    before = audit_count(store_path)
    with pytest.raises(InvalidInput, match=message):
        casefile.attach_evidence(
            ALICE, case_ref, make(tmp_path), NewEvidence(document_type="passport")
        )
    assert audit_count(store_path) == before
    assert sorted(os.listdir(casefile.blobs.path_of("0" * 64).parent)) == blobs_before


@pytest.mark.parametrize(
    "name",
    ["line\nbreak.pdf", "..%2f..%2fescape.pdf", "ünïcødé 名前.pdf", os.fsdecode(b"latin\xe9.pdf")],
)
def test_odd_names_are_stored_by_hash_and_shown_cleaned(
    casefile: CaseFile, case_ref: str, tmp_path: Path, name: str
) -> None:
    source = _file(tmp_path, name, name.encode("utf-8", "surrogateescape"))
    evidence = casefile.attach_evidence(
        ALICE, case_ref, source, NewEvidence(document_type="passport")
    )
    assert "\n" not in evidence.original_name and "/" not in evidence.original_name
    assert casefile.blobs.path_of(evidence.sha256).is_file()


def test_relative_dotdot_path_is_just_a_path(
    casefile: CaseFile, case_ref: str, tmp_path: Path
) -> None:
    _file(tmp_path, "deep.pdf")
    (tmp_path / "other").mkdir()
    source = tmp_path / "other" / ".." / "incoming" / "deep.pdf"
    evidence = casefile.attach_evidence(
        ALICE, case_ref, source, NewEvidence(document_type="passport")
    )
    assert evidence.original_name == "deep.pdf"


def test_evidence_links_to_its_question_and_party_and_answers_an_evidence_question(
    casefile: CaseFile, case_ref: str, tmp_path: Path
) -> None:
    casefile.add_party(
        ALICE, case_ref, NewParty(role=PartyRole.CLIENT, kind=PartyKind.INDIVIDUAL, name="Jane Doe")
    )
    evidence = casefile.attach_evidence(
        ALICE,
        case_ref,
        _file(tmp_path, "passport.pdf"),
        NewEvidence(document_type="passport", question="id_document", party="p1"),
    )
    view = casefile.view(case_ref)
    (stored,) = view.records.evidence
    assert stored.question_key == "id_document" and stored.party_id == view.records.parties[0].id
    assert stored.media_type == "application/pdf"
    (answer,) = view.records.answers
    assert answer.value == (evidence.id,)
    # Attached, not yet verified: it counts for nothing (issue 13, finding 8).
    missing = {m.question_id: m.detail for m in view.evaluation.missing}
    assert missing["id_document"].startswith("Evidence not verified (0 of 1")
    mark_verified(casefile, ALICE, case_ref, evidence.id, "Original seen in the office")
    missing = {m.question_id: m.detail for m in casefile.view(case_ref).evaluation.missing}
    assert "id_document" not in missing


def test_evidence_type_must_suit_the_question(
    casefile: CaseFile, case_ref: str, tmp_path: Path, store_path: Path
) -> None:
    before = audit_count(store_path)
    with pytest.raises(
        InvalidInput, match="expects one of: passport, driving_licence; not 'gas_bill'"
    ):
        casefile.attach_evidence(
            ALICE,
            case_ref,
            _file(tmp_path, "bill.pdf"),
            NewEvidence(document_type="gas_bill", question="id_document"),
        )
    with pytest.raises(NotFound, match="no party 'p9'"):
        casefile.attach_evidence(
            ALICE,
            case_ref,
            _file(tmp_path, "p.pdf"),
            NewEvidence(document_type="passport", party="p9"),
        )
    with pytest.raises(DueDiligenceError, match="no case"):
        casefile.attach_evidence(
            ALICE, "NOPE", _file(tmp_path, "p.pdf"), NewEvidence(document_type="passport")
        )
    assert audit_count(store_path) == before
    assert list(casefile.blobs.path_of("0" * 64).parent.iterdir()) == []


@pytest.mark.slow
def test_two_gib_sparse_file_streams_in_constant_memory(tmp_path: Path) -> None:
    sparse = tmp_path / "sparse.img"
    with sparse.open("wb") as out:
        out.truncate(2 << 30)
    blobs = BlobDirectory(tmp_path / "blobs")
    tracemalloc.start()
    stored = blobs.put(sparse)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert stored.size == 2 << 30
    assert blobs.path_of(stored.sha256).stat().st_size == 2 << 30
    assert peak < 12 << 20
    blobs.path_of(stored.sha256).unlink()  # 2 GiB: do not leave it for the rest of the run
