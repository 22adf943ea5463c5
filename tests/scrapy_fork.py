"""`scrapy <command>` in a fresh process that starts with Scrapy, SQLAlchemy and Alembic already imported.

Most of a short test crawl's time went into importing the libraries (about 70 % of a `scrapy crawl` of a
three-product feed). A multiprocessing fork server imports them once; each run is a fork of it that sets
the environment and the working directory, runs `scrapy.cmdline.execute` and exits with the command's
code, its stdout and stderr in files. The run is still a process of its own, started after its
environment is set: ornaments/settings.py (which reads the environment) and every ornaments module are
imported by the run, never by the server, and the reactor is installed by the run (the server imports
no reactor). Tests that signal, kill or time a process keep using subprocess.

ORNAMENTS_TEST_FORK=0 runs every command with `python -m scrapy` instead (to compare, or to rule this out).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import tempfile
from pathlib import Path

ENABLED = os.environ.get("ORNAMENTS_TEST_FORK", "1") != "0"  # tests read the environment where they like

_context = None


def _server():
    global _context
    if _context is None:
        _context = multiprocessing.get_context("forkserver")
        _context.set_forkserver_preload(["tests.scrapy_preload", __name__])
    return _context


def _run_in_child(args: list[str], env: dict[str, str], cwd: str, out_path: str, err_path: str,
                  module: str = "") -> None:
    """The run: a fork of the server with this run's environment, directory and output files. It runs
    `scrapy *args`, or with a module, `python -m module *args`."""
    import atexit
    import threading
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    # As the interpreter of `python -m` would: the working directory first, then $PYTHONPATH.
    extra = [entry for entry in env.get("PYTHONPATH", "").split(os.pathsep) if entry]
    sys.path[0:0] = [cwd, *extra]
    out, err = os.open(out_path, os.O_WRONLY | os.O_APPEND), os.open(err_path, os.O_WRONLY | os.O_APPEND)
    os.dup2(out, 1)
    os.dup2(err, 2)
    code = 0
    try:
        if module:
            import runpy
            sys.argv = [module, *args]
            runpy.run_module(module, run_name="__main__", alter_sys=True)
        else:
            from scrapy.cmdline import execute
            execute(["scrapy", *args])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if not isinstance(exc.code, (int, type(None))):
            print(exc.code, file=sys.stderr)
    except BaseException:
        import traceback
        traceback.print_exc()
        code = 1
    finally:
        # What the interpreter does at a normal exit: wait for threads, run atexit, flush.
        threading._shutdown()  # type: ignore[attr-defined]
        atexit._run_exitfuncs()
        import logging
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def run(args: tuple[str, ...], env: dict[str, str], cwd: Path, timeout: float) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `scrapy *args`; raises subprocess.TimeoutExpired past the timeout."""
    import subprocess
    with tempfile.TemporaryDirectory(prefix="scrapy-run-") as tmp:
        out_path, err_path = os.path.join(tmp, "out"), os.path.join(tmp, "err")
        for path in (out_path, err_path):
            open(path, "wb").close()
        process = _server().Process(target=_run_in_child, args=(list(args), env, str(cwd), out_path, err_path))
        process.start()
        process.join(timeout)
        if process.exitcode is None:
            process.kill()
            process.join()
            raise subprocess.TimeoutExpired(["scrapy", *args], timeout)
        read = lambda path: Path(path).read_text(encoding="utf-8", errors="replace")  # noqa: E731
        return process.exitcode, read(out_path), read(err_path)


class ForkedModule:
    """`python -m module *args` as a fork of the server, with the part of subprocess.Popen's interface the
    fixtures use (pid, poll, wait, terminate, kill); stdout and stderr go to log_path."""

    def __init__(self, module: str, args: list[str], env: dict[str, str], cwd: Path, log_path: Path):
        open(log_path, "ab").close()
        self._process = _server().Process(target=_run_in_child,
                                          args=(args, env, str(cwd), str(log_path), str(log_path), module))
        self._process.start()
        self.pid = self._process.pid

    def poll(self) -> int | None:
        return self._process.exitcode

    def wait(self, timeout: float | None = None) -> int:
        import subprocess
        self._process.join(timeout)
        if self._process.exitcode is None:
            raise subprocess.TimeoutExpired(self._process.name, timeout)
        return self._process.exitcode

    def terminate(self) -> None:
        self._process.terminate()

    def kill(self) -> None:
        self._process.kill()


def _run_in_session(args: list[str], env: dict[str, str], cwd: str, out_path: str, err_path: str) -> None:
    """_run_in_child in a session of its own, as subprocess.Popen(start_new_session=True) starts it."""
    os.setsid()
    _run_in_child(args, env, cwd, out_path, err_path)


def _launcher_server():
    """In a process forked by the test session's server (the API of tests/fixtures/api_server.py), that same
    warm server: multiprocessing gave this process its address and descriptors, but would start a cold
    server of its own since it did not start that one. Elsewhere, _server()."""
    from multiprocessing import forkserver
    inherited = forkserver._forkserver  # type: ignore[attr-defined]
    if inherited._forkserver_pid is None and inherited._forkserver_address and \
            inherited._forkserver_alive_fd is not None:
        inherited.ensure_running = lambda: None  # it runs: it forked this process, and outlives it
        return multiprocessing.get_context("forkserver")
    return _server()


class ForkedScrapy(ForkedModule):
    """`python -m scrapy *args` as a fork of the server (started in the process that launches it), in a session
    of its own, with Popen's pid, poll, wait, terminate and kill; stdout and stderr appended to log_path. poll()
    and wait() may be called from different threads (the API polls while a thread of it waits)."""

    def __init__(self, args: list[str], env: dict[str, str], cwd: Path, log_path: Path):
        import threading
        open(log_path, "ab").close()
        self._lock = threading.Lock()
        self._process = _launcher_server().Process(target=_run_in_session,
                                          args=(args, env, str(cwd), str(log_path), str(log_path)))
        self._process.start()
        self.pid = self._process.pid
        # Like a Popen child, the crawl outlives its launcher: multiprocessing would join it at the
        # launcher's exit (the API's shutdown would wait for the crawl).
        multiprocessing.process._children.discard(self._process)  # type: ignore[attr-defined]

    def poll(self) -> int | None:
        with self._lock:  # the exit code is read once from the server's pipe: one reader at a time
            return self._process.exitcode

    def wait(self, timeout: float | None = None) -> int:
        import subprocess
        from multiprocessing.connection import wait
        wait([self._process.sentinel], timeout)
        code = self.poll()
        if code is None:
            raise subprocess.TimeoutExpired(self._process.name, timeout)
        return code


def start_scrapy(command: list[str], env: dict[str, str], cwd: Path, log_path: Path) -> ForkedScrapy:
    """The tests' ORNAMENTS_API_IMPORT_LAUNCHER: the API's `python -m scrapy crawl ...` (the same argv,
    environment and directory) as a fork of the warm server that forked the API, instead of a cold
    interpreter. Still a process of its own whose pid, exit code and log the API watches."""
    if command[:3] != [sys.executable, "-m", "scrapy"]:
        raise ValueError(f"not a `python -m scrapy` command: {command[:3]}")
    return ForkedScrapy(command[3:], env, cwd, log_path)
