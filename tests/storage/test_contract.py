"""What every storage backend promises; each test runs on local disk and on a real S3 server
(SeaweedFS), through the ``storage`` fixture."""

from __future__ import annotations

import hashlib
import io

import pytest

from portal.storage import InvalidKey, NotFound, StoredFile, TooLarge
from tests.storage.streams import BLOCK, IterStream, generated_blocks, sha256_of_blocks

TEXT = (
    "Học tập suốt đời cho mọi người — ការរៀនសូត្រពេញមួយជីវិត — Ƀuôn sang hriăm — Học tập suốt đời 🌱\n"
).encode()
MB = 1024 * 1024


def save(
    storage, key, data: bytes, *, content_type="application/octet-stream", max_bytes=10 * MB
) -> StoredFile:
    return storage.save(key, io.BytesIO(data), content_type=content_type, max_bytes=max_bytes)


def read(storage, key) -> bytes:
    with storage.open(key) as stored:
        return stored.read()


def test_a_saved_file_reads_back_with_its_description(storage):
    stored = save(
        storage, "resources/2025/ab/bai-hoc.txt", TEXT, content_type="text/plain; charset=utf-8"
    )

    assert stored == StoredFile(
        key="resources/2025/ab/bai-hoc.txt",
        size=len(TEXT),
        sha256=hashlib.sha256(TEXT).hexdigest(),
        content_type="text/plain; charset=utf-8",
    )
    assert read(storage, stored.key).decode() == TEXT.decode()


def test_an_empty_file_is_stored(storage):
    stored = save(storage, "empty.bin", b"")
    assert (stored.size, stored.sha256) == (0, hashlib.sha256(b"").hexdigest())
    assert storage.exists("empty.bin")
    assert read(storage, "empty.bin") == b""


def test_open_gives_a_file_to_read_in_pieces(storage):
    save(storage, "pieces.bin", TEXT * 100)
    with storage.open("pieces.bin") as stored:
        first = stored.read(10)
        rest = stored.read()
    assert first + rest == TEXT * 100
    assert stored.closed


def test_saving_again_replaces_the_file(storage):
    save(storage, "notes.txt", b"first version, rather longer than the second")
    stored = save(storage, "notes.txt", b"second")
    assert stored.size == 6
    assert read(storage, "notes.txt") == b"second"


def test_exists_tells_stored_keys_apart(storage):
    save(storage, "a/present.txt", b"x")
    assert storage.exists("a/present.txt")
    assert not storage.exists("a/absent.txt")
    assert not storage.exists("b/present.txt")


def test_a_deleted_file_is_not_found(storage):
    save(storage, "gone.txt", TEXT)
    storage.delete("gone.txt")
    assert not storage.exists("gone.txt")
    with pytest.raises(NotFound):
        storage.open("gone.txt")
    storage.delete("gone.txt")  # deleting again is not an error


def test_opening_a_key_never_saved_is_not_found(storage):
    with pytest.raises(NotFound):
        storage.open("never/saved.pdf")


@pytest.mark.parametrize("max_bytes", [4096, 12 * MB], ids=["small", "multipart"])
def test_a_stream_over_max_bytes_is_too_large_and_nothing_is_stored(storage, max_bytes):
    blocks = generated_blocks(max_bytes + 4 * BLOCK)
    with pytest.raises(TooLarge):
        storage.save(
            "big.bin", IterStream(blocks), content_type="application/pdf", max_bytes=max_bytes
        )
    assert not storage.exists("big.bin")
    assert next(blocks, None) is not None, "reading should stop at the limit"


def test_a_too_large_replacement_keeps_the_previous_file(storage):
    save(storage, "kept.txt", b"previous")
    with pytest.raises(TooLarge):
        save(storage, "kept.txt", b"y" * 101, max_bytes=100)
    assert read(storage, "kept.txt") == b"previous"


def test_a_stream_of_exactly_max_bytes_is_accepted(storage):
    assert save(storage, "exact.bin", b"z" * 100, max_bytes=100).size == 100


def test_a_20_mb_stream_is_stored_and_read_back_in_pieces(storage):
    size = 20 * MB
    stored = storage.save(
        "video/lesson-1.mp4",
        IterStream(generated_blocks(size)),
        content_type="video/mp4",
        max_bytes=50 * MB,
    )

    expected = sha256_of_blocks(generated_blocks(size))
    assert (stored.size, stored.sha256) == (size, expected)
    digest, total = hashlib.sha256(), 0
    with storage.open("video/lesson-1.mp4") as stored_file:
        while block := stored_file.read(MB):
            digest.update(block)
            total += len(block)
    assert (total, digest.hexdigest()) == (size, expected)


def test_an_error_from_the_source_stream_is_not_blamed_on_the_storage(storage):
    def broken():
        yield b"some bytes"
        raise OSError("client went away")

    with pytest.raises(OSError, match="client went away") as raised:
        storage.save("broken.bin", IterStream(broken()), content_type="text/plain", max_bytes=MB)
    assert type(raised.value) is OSError
    assert not storage.exists("broken.bin")


HOSTILE_KEYS = [
    "../x",
    "a/../../x",
    "/etc/passwd",
    "a\\b",
    "a\x00b",
    "",
    ".",
    "./a",
    "a//b",
    "a/",
    ".hidden",
    "C:\\Windows",
    "a b",
    "học.txt",
    "a\nb",
    "x" * 513,
]


@pytest.mark.parametrize("key", HOSTILE_KEYS)
def test_hostile_keys_are_rejected_by_every_method(storage, key):
    with pytest.raises(InvalidKey):
        save(storage, key, b"x")
    with pytest.raises(InvalidKey):
        storage.open(key)
    with pytest.raises(InvalidKey):
        storage.delete(key)
    with pytest.raises(InvalidKey):
        storage.exists(key)
    with pytest.raises(InvalidKey):
        storage.url(key)


def test_invalid_keys_are_value_errors_with_the_key_in_the_message(storage):
    with pytest.raises(ValueError, match=r"\.\./x"):
        storage.open("../x")


def test_check_passes_on_a_working_backend(storage):
    storage.check()
