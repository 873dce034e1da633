"""Hot folder: scans that a counter's scanner software writes into a folder, handed to intake.

Scanner software writes a file over seconds (often as ``x.tmp``/``x.part``/``~$x`` renamed at
the end), sometimes crashes half way, and the station itself may be switched off while a
scan is being processed. So a file moves through four places, each step a rename on one
filesystem (atomic, never a copy):

``inbox/`` → ``state/processing/<claim>/`` → ``done/`` or ``quarantine/``

* **Complete before taken.** A file is a candidate once its size, mtime and inode have not
  changed for ``stable_s`` (measured on our own clock, at least two looks apart), or at once
  when watchdog saw it renamed into place. Temporary and hidden names are never looked at;
  other extensions are left alone (they may be some scanner's temporary file).
* **Claimed once.** A claim renames the file into a fresh private directory under
  ``processing/`` whose ``flock`` the claimer holds: of two hot folders (threads or
  processes) on one inbox, only one rename succeeds, and a claim being worked on is never
  picked up by another's recovery. The lock dies with the process, which is how a crash is
  told from work in progress.
* **Recorded before handled.** The ledger (SQLite in ``state/``) records each file by name
  and SHA-256 before ``handle`` is called and its outcome right after; a partial unique index
  lets one accepted copy of any content exist. A file whose content was already accepted is
  *quarantined as a duplicate* (with a reason naming the earlier file) rather than moved to
  ``done/``: the clerk sees at once that it was not processed again.
* **After a crash** (a claim left in ``processing/`` with nobody holding its lock): finished
  outcomes are completed (the move to ``done/``/``quarantine/``); a file whose ``handle``
  was interrupted is handed over exactly once more; interrupted twice, it is quarantined.
* **Never deleted.** Moves use ``link`` + ``unlink`` into a free name (``scan-1.jpg`` on a
  collision), so no file is ever replaced; quarantined files get ``<name>.ly-do.txt`` (the
  reason, in Vietnamese, UTF-8) beside them.
* **Path tricks.** Names with control characters, path separators, undecodable bytes or
  ``..`` are quarantined under a cleaned name; symlinks, hard-linked files, FIFOs and devices
  are quarantined as they are (a symlink is moved as a link, never followed or opened).
  Subfolders of the inbox are ignored.
* **Failures of ``handle``.** A :class:`~sohoa.errors.SohoaError` quarantines the file with
  its message; a :class:`~sohoa.errors.ServiceUnavailableError` (catalog or store down)
  leaves it claimed and retries after ``retry_s``; any other exception quarantines it with
  the exception named (a bug must not loop); a ``BaseException`` (KeyboardInterrupt,
  SystemExit) propagates and leaves the claim for recovery.
* **Batches.** With ``group_s`` > 0, files whose mtimes lie within ``group_s`` of each other
  are handed over together (``handle_batch``, in mtime order) once the inbox has been quiet
  for ``group_s``; a refused or duplicate file leaves its batch and the rest goes on, while
  an error raised by ``handle_batch`` quarantines the whole batch. Grouping assumes one hot
  folder per inbox (two would split a batch between them, never process a file twice).

Watchdog events only wake the worker; a rescan every ``poll_s`` is the truth, so dropped
events and files present before start are taken all the same. Linux/POSIX only (``flock``);
inbox, done, quarantine and state must share a filesystem and the state a local disk.
``handle`` must have stored what it needs from the file by the time it returns.

Modules: :mod:`.watcher` (:class:`~.watcher.HotFolder` and its settings), :mod:`.files`
(names, moves, reason files), :mod:`.ledger` (the SQLite ledger of every file seen).
"""
