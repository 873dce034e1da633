"""Hot folder: real files in temporary folders, a real watchdog observer, a real subprocess
killed in the middle of a hand-over. ``stable_s`` is 0.2 s so each test takes about a second.

No test asserts how long something took (issue 12). Where the outcome hangs on time passing
("unchanged for stable_s", "quiet for group_s") and a real clock would race the machine's
load, the hot folder runs on a :class:`Clock` the test stops and moves on itself. Waits
(``wait_for``, ``drain``) are deadlines only, generous for a busy machine.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from sohoa.errors import CorruptFileError, StorageUnavailableError
from sohoa.scanner_bridge.hotfolder import watcher
from sohoa.scanner_bridge.hotfolder.files import REASON_SUFFIX
from sohoa.scanner_bridge.hotfolder.ledger import FileState
from sohoa.scanner_bridge.hotfolder.watcher import HotFolder, HotFolderSettings

REPO = Path(__file__).resolve().parents[2]
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"


class SimulatedCrash(BaseException):
    """What a power cut looks like from inside ``handle``: nothing after it runs."""


def scan(tag: str, size: int = 3000) -> bytes:
    """JPEG-signed bytes unique to ``tag`` (the hot folder only sniffs the signature)."""
    body = hashlib.sha256(tag.encode()).digest() * (size // 32 + 1)
    return JPEG + body[:size]


def settings(root: Path, state: str = "state", **overrides) -> HotFolderSettings:
    values = dict(stable_s=0.2, poll_s=0.1, retry_s=0.2) | overrides
    return HotFolderSettings(root / "inbox", root / "done", root / "quarantine", root / state,
                             **values)


class Recorder:
    """A handler remembering (name, bytes) of every call; thread-safe."""

    def __init__(self, delay: float = 0.0) -> None:
        self.calls: list[tuple[str, bytes]] = []
        self.batches: list[list[str]] = []
        self.delay = delay
        self._lock = threading.Lock()

    def __call__(self, path: Path) -> None:
        data = path.read_bytes()
        time.sleep(self.delay)
        with self._lock:
            self.calls.append((path.name, data))

    def batch(self, paths: list[Path]) -> None:
        with self._lock:
            self.batches.append([p.name for p in paths])
            self.calls.extend((p.name, p.read_bytes()) for p in paths)

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.calls]


class Clock:
    """The hot folder's clock, standing still until the test moves it on.

    Installed as the hot folder module's ``time`` (``sleep`` stays real): however slowly the
    threads get scheduled, a file has been unchanged, or the inbox quiet, exactly as long as
    the test says."""

    sleep = staticmethod(time.sleep)

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._monotonic, self._time = time.monotonic(), time.time()

    def monotonic(self) -> float:
        with self._lock:
            return self._monotonic

    def time(self) -> float:
        with self._lock:
            return self._time

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._monotonic += seconds
            self._time += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """A stopped :class:`Clock` in place of the hot folder's ``time``."""
    stopped = Clock()
    monkeypatch.setattr(watcher, "time", stopped)
    return stopped


DEADLINE_S = 60.0
"""How long a test waits for the hot folder to do something: a deadline, not a measure."""


def wait_for(condition: Callable[[], bool], timeout: float = DEADLINE_S) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def drain(folder: HotFolder, condition: Callable[[], bool],
          timeout: float = DEADLINE_S) -> None:
    """Run passes (as the worker thread would) until ``condition`` holds."""
    deadline = time.monotonic() + timeout
    while True:
        folder.scan_once()
        if condition():
            return
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def census(root: Path) -> Counter:
    """Every file under ``root`` by content (a symlink by its target), reason files and the
    ledger aside: equal before and after means nothing was lost, nothing deleted."""
    found: Counter = Counter()
    for folder, _, files in os.walk(root):
        for name in files:
            path = Path(folder) / name
            if name.endswith(REASON_SUFFIX) or name.startswith("ledger.sqlite3"):
                continue
            if path.is_symlink():
                found["link:" + os.readlink(path)] += 1
            elif path.is_file():
                found[hashlib.sha256(path.read_bytes()).hexdigest()] += 1
            else:
                found["special:" + name] += 1
    return found


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def reason(folder: Path, name: str) -> str:
    return (folder / (name + REASON_SUFFIX)).read_bytes().decode("utf-8")


@pytest.fixture
def hot_root(tmp_path: Path) -> Path:
    (tmp_path / "inbox").mkdir()
    return tmp_path


# --- completeness -------------------------------------------------------------------------


def test_a_file_written_slowly_is_taken_once_and_whole(hot_root: Path, clock: Clock) -> None:
    recorder = Recorder()
    data = scan("slow", 6000)
    target = hot_root / "inbox" / "slow.jpg"
    with HotFolder(settings(hot_root, stable_s=0.5), recorder) as folder:  # 5× the pauses
        for start in range(0, len(data), 1000):  # six chunks, reopened each time
            with target.open("ab") as fh:
                fh.write(data[start:start + 1000])
            folder.scan_once()  # the hot folder sees this much of the file...
            clock.advance(0.1)  # ...then the writer pauses, on the hot folder's clock
        assert recorder.calls == []  # 0.6 s since the first byte, never 0.5 s unchanged
        clock.advance(0.5)  # unchanged for stable_s now: the running hot folder takes it
        wait_for(lambda: recorder.calls)  # (its clock stands still: no more time needed)
        folder.scan_once()  # a later pass: nothing left to take
    assert recorder.calls == [("slow.jpg", data)]
    assert (hot_root / "done" / "slow.jpg").read_bytes() == data
    assert files_in(hot_root / "inbox") == []


def test_a_file_renamed_into_place_is_taken_at_once(hot_root: Path, clock: Clock) -> None:
    # The hot folder's clock stands still all along: waiting can never make the file stable,
    # so its being taken at all shows the rename alone made it a candidate.
    recorder = Recorder()
    data = scan("renamed")
    partial = hot_root / "inbox" / "scan_0001.jpg.part"
    in_place = hot_root / "inbox" / "scan_0002.jpg"  # written where it stays: must wait
    with HotFolder(settings(hot_root, stable_s=30.0), recorder) as folder:  # stability: 30 s
        partial.write_bytes(data)
        in_place.write_bytes(scan("in place"))
        folder.scan_once()
        assert recorder.calls == [] and partial.exists()
        partial.rename(hot_root / "inbox" / "scan_0001.jpg")
        wait_for(lambda: recorder.calls)
        folder.scan_once()
    assert recorder.calls == [("scan_0001.jpg", data)]
    assert files_in(hot_root / "done") == ["scan_0001.jpg"]
    assert files_in(hot_root / "inbox") == ["scan_0002.jpg"]


def test_temporary_foreign_and_nested_names_are_left_alone(hot_root: Path) -> None:
    inbox, recorder = hot_root / "inbox", Recorder()
    left = ["~$a.jpg", ".b.jpg", "c.jpg.tmp", "d.pdf.crdownload", "e.tif.part", "notes.txt"]
    for name in left:
        (inbox / name).write_bytes(scan(name))
    (inbox / "sub").mkdir()
    (inbox / "sub" / "f.jpg").write_bytes(scan("nested"))
    (inbox / "g.JPG").write_bytes(scan("g"))  # the one real scan, upper-case extension
    with HotFolder(settings(hot_root), recorder):
        wait_for(lambda: recorder.calls)
        time.sleep(0.5)
    assert recorder.names == ["g.JPG"]
    assert files_in(inbox) == sorted([*left, "sub"])
    assert all((inbox / name).read_bytes() == scan(name) for name in left)
    assert (inbox / "sub" / "f.jpg").read_bytes() == scan("nested")


# --- exactly once ---------------------------------------------------------------------------


@pytest.mark.parametrize("states", [("state", "state"), ("state-a", "state-b")],
                         ids=["shared-state", "separate-states"])
def test_two_hot_folders_on_one_inbox_never_take_the_same_file(
        hot_root: Path, states: tuple[str, str]) -> None:
    first, second = Recorder(delay=0.005), Recorder(delay=0.005)
    staging = hot_root / "staging"
    staging.mkdir()
    expected = {f"page_{i:03}.jpg": scan(f"page {i}") for i in range(40)}
    with HotFolder(settings(hot_root, states[0]), first), \
            HotFolder(settings(hot_root, states[1]), second):
        for name, data in expected.items():  # appear whole, as a copy from another disk
            (staging / name).write_bytes(data)
            (staging / name).rename(hot_root / "inbox" / name)
        wait_for(lambda: len(files_in(hot_root / "done")) == 40)
        time.sleep(0.4)
    calls = first.calls + second.calls
    assert Counter(name for name, _ in calls) == Counter(list(expected))  # each name once
    assert dict(calls) == expected
    assert files_in(hot_root / "quarantine") == []


def test_four_threads_racing_over_one_inbox_take_each_file_once(hot_root: Path) -> None:
    """Passes started together on 200 waiting files: every claim is contested."""
    expected = {f"p{i:03}.jpg": scan(f"race {i}", 200) for i in range(200)}
    for name, data in expected.items():
        (hot_root / "inbox" / name).write_bytes(data)
    recorder, start = Recorder(), threading.Barrier(4)
    errors: list[BaseException] = []

    def racer(k: int) -> None:
        folder = None
        try:
            folder = HotFolder(settings(hot_root, f"state-{k % 2}", stable_s=0.05), recorder)
            folder.scan_once()  # first look
            time.sleep(0.1)
            start.wait(timeout=DEADLINE_S)
            drain(folder, lambda: len(files_in(hot_root / "done")) == 200,
                  timeout=3 * DEADLINE_S)
        except BaseException as exc:  # reported below, in the test thread
            start.abort()  # the others stop waiting for a racer that will never come
            errors.append(exc)
        finally:
            if folder is not None:
                folder.close()

    threads = [threading.Thread(target=racer, args=(k,), daemon=True) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=5 * DEADLINE_S)
    assert not any(thread.is_alive() for thread in threads)
    assert [e for e in errors if not isinstance(e, threading.BrokenBarrierError)] == []
    assert errors == []
    assert Counter(recorder.names) == Counter(list(expected))
    assert dict(recorder.calls) == expected
    assert files_in(hot_root / "quarantine") == []


CRASHING_FOLDER = """
import sys, time
from pathlib import Path
from sohoa.scanner_bridge.hotfolder.watcher import HotFolder, HotFolderSettings

root = Path(sys.argv[1])
settings = HotFolderSettings(root / "inbox", root / "done", root / "quarantine",
                             root / "state", stable_s=0.2, poll_s=0.1)

def handle(path):
    (root / "handed-over").write_bytes(path.read_bytes())
    time.sleep(3600)  # killed here

HotFolder(settings, handle).start()
time.sleep(3600)  # killed before this ends, however long the start took
"""


def test_a_process_killed_during_handle_is_handed_over_once_more(hot_root: Path) -> None:
    data = scan("crash")
    (hot_root / "inbox" / "scan.jpg").write_bytes(data)
    before = census(hot_root)
    process = subprocess.Popen([sys.executable, "-c", CRASHING_FOLDER, str(hot_root)],
                               cwd=REPO)
    try:
        wait_for(lambda: (hot_root / "handed-over").exists(), timeout=2 * DEADLINE_S)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(DEADLINE_S)
    (hot_root / "handed-over").rename(hot_root.parent / f"{hot_root.name}-marker")
    assert files_in(hot_root / "inbox") == files_in(hot_root / "done") == []
    assert [p.name for p in (hot_root / "state" / "processing").glob("*/*")] == ["scan.jpg"]

    recorder = Recorder()
    folder = HotFolder(settings(hot_root), recorder)
    drain(folder, lambda: recorder.calls)
    entry, = folder.entries()
    folder.close()
    assert recorder.calls == [("scan.jpg", data)]
    assert (entry.state, entry.attempts, entry.interruptions) == (FileState.DONE, 2, 1)
    assert (hot_root / "done" / "scan.jpg").read_bytes() == data
    assert census(hot_root) == before

    again = HotFolder(settings(hot_root), recorder)  # a later restart: nothing left to do
    again.scan_once()
    time.sleep(0.25)
    again.scan_once()
    again.close()
    assert len(recorder.calls) == 1
    assert list((hot_root / "state" / "processing").iterdir()) == []


def crash(path: Path) -> None:
    raise SimulatedCrash(path.name)


def run_until_crash(folder: HotFolder) -> None:
    with pytest.raises(SimulatedCrash):
        drain(folder, lambda: False)
    folder.close()


def test_interrupted_twice_is_quarantined_not_retried_forever(hot_root: Path) -> None:
    data = scan("twice")
    (hot_root / "inbox" / "scan.jpg").write_bytes(data)
    before = census(hot_root)
    run_until_crash(HotFolder(settings(hot_root), crash))
    run_until_crash(HotFolder(settings(hot_root), crash))  # the one retry, interrupted too
    recorder = Recorder()
    folder = HotFolder(settings(hot_root), recorder)
    result = folder.scan_once()
    entry, = folder.entries()
    folder.close()
    assert recorder.calls == []
    assert result.quarantined == [hot_root / "quarantine" / "scan.jpg"]
    assert (entry.state, entry.attempts, entry.interruptions) == (FileState.QUARANTINED, 2, 2)
    assert "gián đoạn hai lần" in reason(hot_root / "quarantine", "scan.jpg")
    assert census(hot_root) == before


def test_a_crash_while_moving_to_done_does_not_hand_over_again(
        hot_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = scan("move")
    (hot_root / "inbox" / "scan.jpg").write_bytes(data)
    processing = str(hot_root / "state" / "processing")
    real_unlink = os.unlink

    def unlink(path, *args, **kwargs):
        if str(path).startswith(processing):
            raise SimulatedCrash("power cut between link and unlink")
        return real_unlink(path, *args, **kwargs)

    recorder = Recorder()
    monkeypatch.setattr(watcher.os, "unlink", unlink)
    run_until_crash(HotFolder(settings(hot_root), recorder))
    monkeypatch.undo()
    assert recorder.names == ["scan.jpg"]
    assert files_in(hot_root / "done") == ["scan.jpg"]  # linked, old name not yet removed

    folder = HotFolder(settings(hot_root), recorder)
    folder.scan_once()
    folder.close()
    assert recorder.names == ["scan.jpg"]
    assert files_in(hot_root / "done") == ["scan.jpg"]  # not scan-1.jpg
    assert list(Path(processing).iterdir()) == []
    assert census(hot_root) == Counter({hashlib.sha256(data).hexdigest(): 1})


def test_same_bytes_under_a_new_name_are_not_processed_twice(hot_root: Path) -> None:
    inbox, quarantine, recorder = hot_root / "inbox", hot_root / "quarantine", Recorder()
    data = scan("dup")
    (inbox / "a.jpg").write_bytes(data)
    folder = HotFolder(settings(hot_root), recorder)
    drain(folder, lambda: recorder.calls)
    (inbox / "b.jpg").write_bytes(data)
    drain(folder, lambda: files_in(quarantine))
    folder.close()
    restarted = HotFolder(settings(hot_root), recorder)  # the ledger outlives the process
    (inbox / "c.jpg").write_bytes(data)
    drain(restarted, lambda: len(files_in(quarantine)) == 4)
    states = {e.name: e.state for e in restarted.entries()}
    restarted.close()
    assert recorder.calls == [("a.jpg", data)]
    assert files_in(hot_root / "done") == ["a.jpg"]
    assert files_in(quarantine) == ["b.jpg", "b.jpg" + REASON_SUFFIX, "c.jpg",
                                    "c.jpg" + REASON_SUFFIX]
    assert "Trùng nội dung" in reason(quarantine, "c.jpg")
    assert "“a.jpg”" in reason(quarantine, "c.jpg")
    assert states == {"a.jpg": FileState.DONE, "b.jpg": FileState.DUPLICATE,
                      "c.jpg": FileState.DUPLICATE}


def test_of_two_copies_found_together_the_older_is_the_one_processed(hot_root: Path) -> None:
    inbox, recorder = hot_root / "inbox", Recorder()
    data = scan("copies")
    for name, age in (("z-first.jpg", 60), ("a-second.jpg", 30)):  # name order is the reverse
        (inbox / name).write_bytes(data)
        os.utime(inbox / name, (time.time() - age,) * 2)
    folder = HotFolder(settings(hot_root), recorder)
    drain(folder, lambda: files_in(inbox) == [])
    folder.close()
    assert recorder.names == ["z-first.jpg"]
    assert "“z-first.jpg”" in reason(hot_root / "quarantine", "a-second.jpg")


def test_a_name_taken_in_done_gets_a_counter(hot_root: Path) -> None:
    (hot_root / "done").mkdir()
    (hot_root / "done" / "scan.jpg").write_bytes(b"an earlier scan")
    (hot_root / "inbox" / "scan.jpg").write_bytes(scan("new"))
    recorder = Recorder()
    folder = HotFolder(settings(hot_root), recorder)
    drain(folder, lambda: recorder.calls)
    folder.close()
    assert (hot_root / "done" / "scan.jpg").read_bytes() == b"an earlier scan"
    assert (hot_root / "done" / "scan-1.jpg").read_bytes() == scan("new")


# --- refusals -------------------------------------------------------------------------------


def test_empty_wrong_type_and_tricky_names_go_to_quarantine_with_a_reason(
        hot_root: Path) -> None:
    inbox, quarantine = hot_root / "inbox", hot_root / "quarantine"
    (inbox / "empty.jpg").write_bytes(b"")
    (inbox / "word.pdf").write_bytes(b"PK\x03\x04" + b"\x00" * 200)  # a .docx renamed
    (inbox / "note.png").write_bytes("Giấy tờ, không phải ảnh".encode())
    (inbox / "bell\x07.jpg").write_bytes(scan("bell"))
    (inbox / "scans\\..\\..\\evil.jpg").write_bytes(scan("evil"))  # "..\\x" is hidden
    fd = os.open(os.fsencode(inbox) + b"/\xff\xfe.jpg", os.O_WRONLY | os.O_CREAT)
    os.write(fd, scan("bytes"))
    os.close(fd)
    os.mkfifo(inbox / "pipe.pdf")  # opening it would block: it must never be opened
    before = census(hot_root)
    recorder = Recorder()
    folder = HotFolder(settings(hot_root), recorder)
    drain(folder, lambda: files_in(inbox) == [])
    folder.close()
    assert recorder.calls == []
    expected = {
        "empty.jpg": "Tệp rỗng",
        "word.pdf": "không phải ảnh quét",
        "note.png": "không phải ảnh quét",
        "bell_.jpg": "Tên tệp có ký tự không hợp lệ",
        "scans_.._.._evil.jpg": "Tên tệp có ký tự không hợp lệ",
        "__.jpg": "Tên tệp có ký tự không hợp lệ",
        "pipe.pdf": "Không phải tệp thông thường",
    }
    assert files_in(quarantine) == sorted([*expected, *(n + REASON_SUFFIX for n in expected)])
    for name, words in expected.items():
        text = reason(quarantine, name)
        assert words in text and "Lý do:" in text and "KHÔNG được xử lý" in text
    assert "Tên tệp gốc: scans\\..\\..\\evil.jpg" in reason(quarantine, "scans_.._.._evil.jpg")
    assert "Tên tệp gốc: \\xff\\xfe.jpg" in reason(quarantine, "__.jpg")
    assert census(hot_root) == before


def test_links_out_of_the_inbox_are_not_followed(hot_root: Path) -> None:
    inbox, quarantine, outside = hot_root / "inbox", hot_root / "quarantine", hot_root / "out"
    outside.mkdir()
    (outside / "secret.jpg").write_bytes(scan("secret"))
    (outside / "folder").mkdir()
    (inbox / "link.jpg").symlink_to(outside / "secret.jpg")
    (inbox / "dir.pdf").symlink_to(outside / "folder")
    os.link(outside / "secret.jpg", inbox / "hard.jpg")
    before = census(hot_root)
    recorder = Recorder()
    folder = HotFolder(settings(hot_root), recorder)
    drain(folder, lambda: files_in(inbox) == [])
    folder.close()
    assert recorder.calls == []
    assert (quarantine / "link.jpg").is_symlink()
    assert os.readlink(quarantine / "link.jpg") == str(outside / "secret.jpg")
    assert (quarantine / "dir.pdf").is_symlink()
    assert "liên kết tượng trưng" in reason(quarantine, "link.jpg")
    assert "liên kết cứng" in reason(quarantine, "hard.jpg")
    assert (outside / "secret.jpg").read_bytes() == scan("secret")
    assert files_in(outside / "folder") == []
    assert census(hot_root) == before


def test_a_handler_error_quarantines_with_its_message(hot_root: Path) -> None:
    inbox, quarantine = hot_root / "inbox", hot_root / "quarantine"
    (inbox / "torn.jpg").write_bytes(scan("torn"))
    (inbox / "bug.jpg").write_bytes(scan("bug"))

    def handle(path: Path) -> None:
        if path.name == "torn.jpg":
            raise CorruptFileError("Ảnh bị hỏng, thiếu phần cuối: torn.jpg")
        raise ValueError("a bug in the handler")

    folder = HotFolder(settings(hot_root), handle)
    drain(folder, lambda: len(files_in(quarantine)) == 4)
    states = {e.name: e.state for e in folder.entries()}
    folder.close()
    assert "Lỗi khi xử lý: Ảnh bị hỏng, thiếu phần cuối: torn.jpg" in reason(quarantine,
                                                                              "torn.jpg")
    assert "ValueError" in reason(quarantine, "bug.jpg")
    assert (quarantine / "torn.jpg").read_bytes() == scan("torn")
    assert states == {"torn.jpg": FileState.QUARANTINED, "bug.jpg": FileState.QUARANTINED}


def test_a_service_outage_keeps_the_file_and_retries_it(hot_root: Path) -> None:
    (hot_root / "inbox" / "scan.jpg").write_bytes(scan("outage"))
    outcomes: list[str] = []

    def handle(path: Path) -> None:
        outcomes.append(path.name)
        if len(outcomes) == 1:
            raise StorageUnavailableError("Kho lưu trữ không trả lời")

    folder = HotFolder(settings(hot_root, retry_s=0.3), handle)
    drain(folder, lambda: outcomes)
    waiting, = folder.entries()
    assert waiting.state == FileState.WAITING
    assert [p.name for p in (hot_root / "state" / "processing").glob("*/*")] == ["scan.jpg"]
    drain(folder, lambda: files_in(hot_root / "done"))
    folder.close()
    assert outcomes == ["scan.jpg", "scan.jpg"]
    assert files_in(hot_root / "quarantine") == []


# --- batches --------------------------------------------------------------------------------


def test_files_written_close_together_are_one_batch(hot_root: Path) -> None:
    inbox, recorder = hot_root / "inbox", Recorder()
    base = time.time() - 100
    arrivals = {"a.jpg": 0.0, "b.jpg": 0.3, "c.jpg": 0.6, "d.jpg": 30.0, "e.jpg": 60.0,
                "empty.jpg": 60.2, "f.jpg": 60.4}
    for name, offset in arrivals.items():
        (inbox / name).write_bytes(b"" if name == "empty.jpg" else scan(name))
        os.utime(inbox / name, (base + offset, base + offset))
    folder = HotFolder(settings(hot_root, group_s=1.0), handle_batch=recorder.batch)
    drain(folder, lambda: files_in(inbox) == [])
    folder.close()
    assert sorted(recorder.batches) == [["a.jpg", "b.jpg", "c.jpg"], ["d.jpg"],
                                        ["e.jpg", "f.jpg"]]
    assert files_in(hot_root / "quarantine") == ["empty.jpg", "empty.jpg" + REASON_SUFFIX]


def test_a_scan_session_arriving_live_is_handed_over_together(hot_root: Path,
                                                              clock: Clock) -> None:
    recorder = Recorder()
    pages = [f"trang_{i}.jpg" for i in range(1, 4)]
    live = settings(hot_root, stable_s=0.1, group_s=1.0)  # each page complete before the next
    with HotFolder(live, handle_batch=recorder.batch) as folder:
        for name in pages:  # one every 0.3 s on the hot folder's clock, whatever the load
            path = hot_root / "inbox" / name
            path.write_bytes(scan(name))
            os.utime(path, (clock.time(), clock.time()))  # written "now", by its clock
            folder.scan_once()
            clock.advance(0.3)
            folder.scan_once()  # the page is complete, but the session is not over
            assert recorder.batches == []
        clock.advance(live.group_s)  # the inbox has been quiet for group_s
        wait_for(lambda: recorder.batches)  # the running hot folder hands the batch over
        folder.scan_once()  # a later pass: nothing left to hand over
    assert recorder.batches == [pages]
    assert recorder.calls == [(name, scan(name)) for name in pages]
