"""The "bring the open window to the front" channel between two starts of the app.

The first start holds the vault's instance lock and listens on a local socket; a second start
finds the lock taken, connects, and asks the first to show its window. The socket lives in a
folder only this user can enter: ``$XDG_RUNTIME_DIR/companion`` when the session has a proper
runtime folder, else ``run`` in the user's cache folder, created 0700 — never in the shared
temp folder, where other users could see that Companion is in use. Its name is a hash of the
vault path (no path in clear).

Every exit path removes it (see ``AppController.shutdown``). One left behind by a crash is
removed by the next start before it listens: that start holds the instance lock, so nobody can
be listening there. A second start that meets a stale socket is refused at once (nothing
listens, so the connection fails immediately) and says nothing about a window it did not raise.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtCore import QObject
    from PySide6.QtNetwork import QLocalServer

#: a Unix socket path must fit in sockaddr_un (104 bytes on macOS, 108 on Linux)
MAX_SOCKET_PATH = 100
#: how long a second start waits for the first to take the "show" request
CONNECT_TIMEOUT_MS = 500


def _private_folder(path: Path, *, parents: bool) -> Path | None:
    """``path`` as a directory of this user's that nobody else can enter, or None."""
    try:
        path.mkdir(mode=0o700, parents=parents, exist_ok=True)
        st = os.lstat(path)
        if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid():
            return None
        if stat.S_IMODE(st.st_mode) & 0o077:
            os.chmod(path, 0o700)
    except OSError:
        return None
    return path


def _session_runtime_dir() -> Path | None:
    """``$XDG_RUNTIME_DIR`` when it is what the XDG spec promises: an absolute path to a real
    directory owned by this user that no one else can enter."""
    value = os.environ.get("XDG_RUNTIME_DIR", "")
    if not value or not os.path.isabs(value):
        return None
    try:
        st = os.lstat(value)
    except OSError:
        return None
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid():
        return None
    if stat.S_IMODE(st.st_mode) & 0o077:
        return None
    return Path(value)


def runtime_dir() -> Path | None:
    """The user-private folder for the socket, created on first use; None if there is none
    (then there is no raise channel, and a second start is still refused)."""
    session = _session_runtime_dir()
    if session is not None:
        return _private_folder(session / "companion", parents=False)
    import platformdirs

    cache = Path(platformdirs.user_cache_dir("Companion", appauthor=False))
    return _private_folder(cache / "run", parents=True)


def socket_name(vault_path: Path) -> str:
    """A per-vault name for the channel (no path in clear)."""
    digest = hashlib.sha256(str(vault_path).encode("utf-8")).hexdigest()[:16]
    return f"companion-{digest}"


def server_address(vault_path: Path) -> str | None:
    """What to listen on and connect to: the socket's full path (a named pipe on Windows)."""
    if sys.platform == "win32":
        return socket_name(vault_path)
    folder = runtime_dir()
    if folder is None:
        return None
    address = str(folder / socket_name(vault_path))
    if len(os.fsencode(address)) > MAX_SOCKET_PATH:
        return None
    return address


def ask_running_instance_to_show(vault_path: Path) -> bool:
    """A second start: ask the first to show its window; True if it got the request."""
    from PySide6.QtNetwork import QLocalSocket

    address = server_address(vault_path)
    if address is None:
        return False
    socket = QLocalSocket()
    socket.connectToServer(address)
    if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
        return False
    socket.write(b"show\n")
    socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
    socket.disconnectFromServer()
    return True


def listen(vault_path: Path, parent: QObject) -> QLocalServer | None:
    """The first start (holding the instance lock): replace any stale socket and listen."""
    from PySide6.QtNetwork import QLocalServer

    address = server_address(vault_path)
    if address is None:
        return None
    remove(address)  # a crashed start's socket: we hold the lock, so nobody listens there
    server = QLocalServer(parent)
    server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
    if not server.listen(address):
        server.deleteLater()
        return None
    return server


def remove(address: str) -> None:
    """Remove the socket file at ``address`` (whatever was planted there: it is our folder)."""
    if sys.platform == "win32":
        return
    try:
        st = os.lstat(address)
    except OSError:
        return
    if stat.S_ISDIR(st.st_mode):
        return
    try:
        os.unlink(address)
    except OSError:
        return


def close(server: QLocalServer) -> None:
    """Stop listening and remove the socket file."""
    address = server.fullServerName()
    server.close()
    if address:
        remove(address)
