"""The local-disk backend: atomic writes inside the upload folder, and disk trouble reported
as StorageUnavailable."""

from __future__ import annotations

import errno
import io
import os

import pytest

from portal.storage import LocalStorage, StorageError, StorageUnavailable, TooLarge


def save(storage, key, data: bytes, max_bytes: int = 1000):
    return storage.save(key, io.BytesIO(data), content_type="text/plain", max_bytes=max_bytes)


def files_under(folder) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


@pytest.fixture
def local(tmp_path):
    return LocalStorage(tmp_path / "uploads")


def test_files_live_under_the_upload_folder_at_their_key(local, tmp_path):
    save(local, "resources/2025/ab/notes.txt", b"hello")
    assert (tmp_path / "uploads/resources/2025/ab/notes.txt").read_bytes() == b"hello"
    assert files_under(tmp_path) == ["uploads/resources/2025/ab/notes.txt"]


def test_a_file_is_written_beside_its_key_then_renamed_over_it(local, tmp_path, monkeypatch):
    renames = []
    real_replace = os.replace

    def spy(source, target):
        renames.append((os.path.dirname(source), os.path.dirname(target)))
        assert os.path.basename(source).startswith(".upload-")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", spy)
    save(local, "a/b/c.txt", b"x")
    assert renames == [(str(tmp_path / "uploads/a/b"),) * 2]


def test_a_refused_upload_leaves_no_partial_file(local, tmp_path):
    save(local, "kept.txt", b"previous")
    with pytest.raises(TooLarge):
        save(local, "kept.txt", b"y" * 2000)
    with pytest.raises(TooLarge):
        save(local, "new/file.txt", b"y" * 2000)
    assert files_under(tmp_path / "uploads") == ["kept.txt"]
    assert (tmp_path / "uploads/kept.txt").read_bytes() == b"previous"


def test_stored_files_get_the_usual_file_mode(local, tmp_path):
    save(local, "mode.txt", b"x")
    umask = os.umask(0o022)
    os.umask(umask)
    assert (tmp_path / "uploads/mode.txt").stat().st_mode & 0o777 == 0o666 & ~umask


def test_the_portal_serves_local_files_itself(local):
    save(local, "a.txt", b"x")
    assert local.url("a.txt") is None


def test_a_key_clashing_with_a_folder_is_a_storage_error_not_an_outage(local):
    save(local, "a/b.txt", b"x")
    with pytest.raises(StorageError) as raised:
        save(local, "a", b"y")
    assert not isinstance(raised.value, StorageUnavailable)
    assert not local.exists("a")


def test_a_read_only_upload_folder_is_unavailable(tmp_path, monkeypatch):
    folder = tmp_path / "uploads"
    folder.mkdir()
    folder.chmod(0o555)
    if os.geteuid() == 0:
        # root ignores file modes: refuse writes in the folder as a read-only mount would.
        real_open = os.open

        def read_only(path, flags, *args, **kwargs):
            if str(path).startswith(str(folder)) and flags & (os.O_WRONLY | os.O_RDWR):
                raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
            return real_open(path, flags, *args, **kwargs)

        monkeypatch.setattr(os, "open", read_only)
    storage = LocalStorage(folder)
    try:
        with pytest.raises(StorageUnavailable):
            save(storage, "notes.txt", b"x")
        with pytest.raises(StorageUnavailable):
            storage.check()
        assert files_under(folder) == []
    finally:
        folder.chmod(0o755)


def test_a_full_disk_is_unavailable_and_keeps_the_previous_file(local, tmp_path, monkeypatch):
    save(local, "kept.txt", b"previous")

    def disk_full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(StorageUnavailable, match="No space left"):
        save(local, "kept.txt", b"new content")
    assert files_under(tmp_path / "uploads") == ["kept.txt"]
    assert (tmp_path / "uploads/kept.txt").read_bytes() == b"previous"


def test_an_upload_folder_under_a_file_is_unavailable(tmp_path):
    (tmp_path / "not-a-folder").write_text("x")
    storage = LocalStorage(tmp_path / "not-a-folder" / "uploads")
    with pytest.raises(StorageUnavailable):
        storage.check()
