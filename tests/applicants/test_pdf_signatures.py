"""The EICAR test signature in a rebuilt PDF: found in the file's bytes and in inflated streams, across the
scanner's chunk borders; a file whose streams inflate past the budget, or that keeps a stream in an encoding
the scan cannot read, cannot be checked."""

import io
import zlib

import pikepdf
import pytest

from applicants.files.disarm import rebuild_pdf
from applicants.files.signatures import ScanLimitExceeded, contains_eicar
from tests.applicants import corpus
from tests.applicants import hostile_pdfs as hostile


@pytest.fixture
def rebuilt(tmp_path):
    def run(data: bytes):
        source, target = tmp_path / "upload.pdf", tmp_path / "rebuilt.pdf"
        source.write_bytes(data)
        rebuild_pdf(source, target)
        return target

    return run


def with_stream(data: bytes, **entries) -> bytes:
    """The letter with a stream holding `data` hung from its page, as it is after `entries` (say a filter)."""
    source = hostile.letter()
    with pikepdf.open(io.BytesIO(source)) as pdf:
        stream = pdf.make_stream(data)
        for key, value in entries.items():
            stream[f"/{key}"] = value
        pdf.pages[0].obj.PieceInfo = pikepdf.Dictionary(Data=stream)
        buffer = io.BytesIO()
        pdf.save(buffer)
    return buffer.getvalue()


def test_a_plain_letter_holds_no_signature(rebuilt):
    assert contains_eicar(rebuilt(hostile.letter())) is False


def test_signature_in_a_kept_stream_is_found_after_the_rebuild_compressed_it(rebuilt):
    path = rebuilt(with_stream(corpus.eicar()))

    assert corpus.eicar() not in path.read_bytes()
    assert contains_eicar(path) is True


def test_signature_across_the_border_of_two_inflated_chunks_is_found(rebuilt):
    data = b"\0" * (4 * 1024 * 1024 - 20) + corpus.eicar()

    assert contains_eicar(rebuilt(with_stream(data))) is True


def test_streams_inflating_past_the_budget_cannot_be_checked(rebuilt):
    path = rebuilt(with_stream(b"\0" * 100_000))

    with pytest.raises(ScanLimitExceeded):
        contains_eicar(path, max_inflated=50_000)


def test_a_stream_the_rebuild_could_not_decode_cannot_be_checked(tmp_path):
    path = tmp_path / "odd.pdf"
    path.write_bytes(with_stream(zlib.compress(b"data"), Filter=pikepdf.Name("/Unknown")))

    with pytest.raises(ScanLimitExceeded):
        contains_eicar(path)
