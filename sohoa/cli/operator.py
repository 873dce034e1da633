"""The operator at the server's shell, as the audit log names them.

The operator is trusted (they hold the server), but every change they make from the command
line is still written to the audit log: as the operating-system user, role admin, from
``cli@<host>``.
"""

from __future__ import annotations

import getpass
import socket

from sohoa.domain.access import Principal, Role


def operator() -> Principal:
    return Principal(getpass.getuser(), Role.ADMIN, via="cli")


def origin() -> str:
    return f"cli@{socket.gethostname()}"[:64]
