"""One SSH connection per run, one SFTP channel per worker thread, atomic uploads.

Blocking code: call it from worker threads, never from the reactor. The host key is checked against
SFTP_KNOWN_HOSTS with paramiko's RejectPolicy; an unknown or changed key is a FatalUploadError, which
is never retried. A dropped connection is reopened by the first thread that notices; the others reopen
their channel on the new connection.
"""

from __future__ import annotations

import errno
import io
import logging
import os
import posixpath
import socket
import threading
import uuid

import paramiko

from ornaments.uploads.config import SftpConfig
from ornaments.uploads.paths import remote_path

logger = logging.getLogger(__name__)

# SFTP status errors that say something about the file, not the connection.
_FILE_ERRNOS = {errno.ENOENT, errno.EACCES, errno.EPERM, errno.ENOSPC, errno.EDQUOT, errno.EROFS}


class FatalUploadError(Exception):
    """Uploads cannot work this run (host key, credentials, configuration): never retried."""


class UnknownHostKey(paramiko.SSHException):
    pass


class _RejectUnknownHost(paramiko.RejectPolicy):
    """RejectPolicy, raising an error type of ours so the refusal is told apart from a dropped link."""

    def missing_host_key(self, client, hostname, key):
        raise UnknownHostKey(
            f"the sFTP server {hostname} is not in SFTP_KNOWN_HOSTS (it offered {key.get_name()} "
            f"{key.fingerprint}). Check that fingerprint with the host's administrator, then add the key "
            f"with ssh-keyscan; nothing was uploaded")


def is_connection_error(exc: BaseException) -> bool:
    """A dropped, refused or timed-out connection: worth a reconnect and a retry."""
    if isinstance(exc, (FatalUploadError, UnknownHostKey, paramiko.BadHostKeyException,
                        paramiko.AuthenticationException)):
        return False
    if isinstance(exc, (EOFError, socket.timeout, TimeoutError, ConnectionError, paramiko.SSHException)):
        return True
    return isinstance(exc, OSError) and exc.errno not in _FILE_ERRNOS and not isinstance(exc, FileNotFoundError)


def is_transient(exc: BaseException) -> bool:
    """Worth another try: connection trouble, or an SFTP failure without a file-level cause."""
    if is_connection_error(exc):
        return True
    return isinstance(exc, OSError) and exc.errno == errno.ENOENT  # a remote dir removed under us


def load_key(config: SftpConfig) -> paramiko.PKey | None:
    """The client key, read once. Errors name the setting, never the path."""
    if not config.key_file:
        return None
    try:
        return paramiko.PKey.from_path(os.path.expanduser(config.key_file))
    except OSError as exc:
        raise FatalUploadError(f"SFTP_KEY_FILE cannot be read ({exc.strerror or type(exc).__name__})") from None
    except (paramiko.SSHException, ValueError) as exc:
        raise FatalUploadError(f"SFTP_KEY_FILE is not a usable private key ({type(exc).__name__})") from None


class SftpConnection:
    def __init__(self, config: SftpConfig):
        self.config = config
        self.pkey = load_key(config)
        self.reconnects = 0
        self._lock = threading.Lock()
        self._client: paramiko.SSHClient | None = None
        self._generation = 0
        self._local = threading.local()
        self._made_dirs: set[str] = set()
        self._orphans: set[str] = set()  # temp files a failed upload left behind, removed when we can
        self._orphans_lock = threading.Lock()

    # --- connection -------------------------------------------------------------------------------

    def _connect(self) -> paramiko.SSHClient:
        config = self.config
        known_hosts = os.path.expanduser(config.known_hosts)
        client = paramiko.SSHClient()
        try:
            client.get_host_keys().load(known_hosts)  # not load_host_keys(): nothing is ever written back
        except FileNotFoundError:
            raise FatalUploadError(f"SFTP_KNOWN_HOSTS file {known_hosts} does not exist; create it with "
                                   f"ssh-keyscan -p {config.port} {config.host}") from None
        client.set_missing_host_key_policy(_RejectUnknownHost())
        try:
            client.connect(config.host, config.port, username=config.user, pkey=self.pkey,
                           password=config.password, timeout=config.timeout,
                           banner_timeout=config.timeout, auth_timeout=config.timeout,
                           channel_timeout=config.timeout, look_for_keys=False, allow_agent=False)
        except paramiko.BadHostKeyException as exc:
            client.close()
            raise FatalUploadError(
                f"the host key of sFTP server {config.host}:{config.port} does NOT match SFTP_KNOWN_HOSTS "
                f"(got {exc.key.get_name()} {exc.key.fingerprint}). The server was reinstalled or someone "
                f"is in the middle; nothing was uploaded") from None
        except UnknownHostKey as exc:
            client.close()
            raise FatalUploadError(str(exc)) from None
        except paramiko.AuthenticationException:
            client.close()
            raise FatalUploadError(f"the sFTP server refused the credentials of {config.address} "
                                   "(SFTP_KEY_FILE / SFTP_PASSWORD)") from None
        except BaseException:
            client.close()
            raise
        transport = client.get_transport()
        transport.set_keepalive(config.keepalive)
        # Without TCP_NODELAY, Nagle + delayed ACKs add ~40 ms to each small SFTP request/reply.
        transport.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return client

    def channel(self) -> paramiko.SFTPClient:
        """This thread's SFTP channel on the current connection, (re)connecting when needed."""
        with self._lock:
            transport = self._client.get_transport() if self._client is not None else None
            if transport is None or not transport.is_active():
                if self._client is not None:
                    self._client.close()
                    self.reconnects += 1
                self._client = None
                self._client = self._connect()
                self._generation += 1
                logger.info("Connected to sFTP server %s (host key verified)", self.config.address)
            generation, transport = self._generation, self._client.get_transport()
        local = self._local
        if getattr(local, "generation", None) != generation:
            local.sftp = paramiko.SFTPClient.from_transport(transport)
            local.sftp.get_channel().settimeout(self.config.timeout)
            local.generation = generation
            self._remove_orphans(local.sftp)
        return local.sftp

    def drop(self) -> None:
        """Forget the connection after a connection error; the next channel() reconnects.

        Only the connection this thread used is closed: another thread may already have reconnected.
        """
        used = getattr(self._local, "generation", None)
        with self._lock:
            if self._client is not None and used == self._generation:
                self._client.close()
        self._local.generation = None

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                sftp = self.channel_if_open()
                if sftp is not None:
                    self._remove_orphans(sftp)
                self._client.close()
                self._client = None

    def channel_if_open(self) -> paramiko.SFTPClient | None:
        transport = self._client.get_transport() if self._client is not None else None
        if transport is None or not transport.is_active():
            return None
        try:
            return paramiko.SFTPClient.from_transport(transport)
        except Exception:  # noqa: BLE001 - best effort at the end of a run
            return None

    @property
    def orphans(self) -> set[str]:
        with self._orphans_lock:
            return set(self._orphans)

    # --- files ------------------------------------------------------------------------------------

    def upload(self, relative: str, data: bytes) -> None:
        """Write data to relative (under SFTP_REMOTE_DIR) atomically: a temp name, then posix_rename."""
        target = remote_path(self.config.remote_dir, relative)
        sftp = self.channel()
        directory, name = posixpath.split(target)
        self._ensure_dir(sftp, directory)
        temp = posixpath.join(directory, f".{name}.{uuid.uuid4().hex[:12]}.part")
        try:
            sftp.putfo(io.BytesIO(data), temp, file_size=len(data), confirm=False)  # close() already waited for every write ack
            sftp.posix_rename(temp, target)  # replaces an older version atomically
        except BaseException:
            with self._orphans_lock:  # a dropped connection leaves the temp file behind
                self._orphans.add(temp)
            raise

    def _ensure_dir(self, sftp: paramiko.SFTPClient, directory: str) -> None:
        if directory in self._made_dirs or directory in ("", "/", "."):
            return
        parts = directory.split("/")
        for depth in range(1, len(parts) + 1):
            current = "/".join(parts[:depth])
            if not current or current in self._made_dirs:
                continue
            try:
                sftp.stat(current)
            except FileNotFoundError:
                try:
                    sftp.mkdir(current)
                except OSError:
                    sftp.stat(current)  # another channel made it first; anything else raises here
            self._made_dirs.add(current)

    def forget_dirs(self) -> None:
        self._made_dirs.clear()

    def _remove_orphans(self, sftp: paramiko.SFTPClient) -> None:
        for temp in sorted(self.orphans):
            try:
                sftp.remove(temp)
            except FileNotFoundError:
                pass
            except Exception:  # noqa: BLE001 - try again on the next channel
                continue
            with self._orphans_lock:
                self._orphans.discard(temp)
