"""A fork server for the end-to-end tests' runs of ``tools/*.py``.

Every ``python tools/X.py`` pays ~6 s on this stack before its first line runs (torch,
mmengine, mmpretrain — which imports mmdet and transformers —, mmseg); the suite starts
about a hundred of them. The server is a Python that has imported that stack and nothing
else (no torch op has run, no thread started). Each tool run is a fresh fork of it that does
what the interpreter does for ``python tools/X.py ARGS``: the given environment and working
directory, ``sys.argv``, the script's folder then ``$PYTHONPATH`` at the front of
``sys.path``, the script run as ``__main__``, the interpreter's exit code for an uncaught
exception or ``SystemExit``, atexit handlers; stdout and stderr go to files. The fork is a
session leader, so a timeout kills it with its data-loader workers. Shell tools
(``dist_train.sh`` …: torchrun starts cold interpreters) and ``MIMTOOLKIT_TEST_COLD_TOOLS=1``
runs use plain subprocesses.

The client (``ToolServer``) runs in a pytest worker; the server side is this file run as a
script. Protocol: one JSON request per line on the server's stdin; an intermediate fork
waits for the tool's fork and writes ``pid`` and then ``status`` files in the request's
folder.
"""
import json
import os
import os.path as osp
import shutil
import signal
import subprocess
import sys
import time

#: What every tool imports; imported once by the server.
STACK = ('mimtoolkit', 'mmengine.runner', 'mmseg.models', 'mmdet.models')


def _wait_for_tool(request: dict) -> None:
    """In the intermediate fork: fork the tool, record its pid, wait, record its status."""
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            from mimtoolkit.utils.run_script import run_script
            code = run_script(request['argv'], request['cwd'], request['env'],
                              request['stdout'], request['stderr'])
        finally:
            os._exit(code)
    _write(osp.join(request['dir'], 'pid'), str(pid))
    _, status = os.waitpid(pid, 0)
    _write(osp.join(request['dir'], 'status'), str(os.waitstatus_to_exitcode(status)))


def _write(path: str, text: str) -> None:
    """Write ``text`` so that a reader sees the whole file or none."""
    with open(path + '.tmp', 'w') as f:
        f.write(text)
    os.replace(path + '.tmp', path)


def serve() -> None:
    """The server: import the stack, then fork a run for each request line."""
    import importlib
    for name in STACK:
        importlib.import_module(name)
    for line in sys.stdin:
        request = json.loads(line)
        sys.stdout.flush()
        sys.stderr.flush()
        if os.fork() == 0:
            try:
                _wait_for_tool(request)
            finally:
                os._exit(0)
        while True:  # reap finished intermediate forks
            try:
                if os.waitpid(-1, os.WNOHANG)[0] == 0:
                    break
            except ChildProcessError:
                break


class ToolRun:
    """One started tool run; ``wait`` gives ``(returncode, stdout, stderr)``."""

    def __init__(self, argv, folder: str, merged: bool, server):
        self.argv, self.folder, self.merged, self.server = argv, folder, merged, server

    def _read(self, name: str) -> str:
        path = osp.join(self.folder, name)
        if not osp.isfile(path):
            return ''
        with open(path, errors='replace') as f:
            return f.read()

    def wait(self, timeout: float):
        deadline = time.monotonic() + timeout
        status = osp.join(self.folder, 'status')
        while not osp.isfile(status):
            if self.server.poll() is not None:
                raise RuntimeError(f'the tool server exited with {self.server.returncode}')
            if time.monotonic() > deadline:
                self.kill()
                raise subprocess.TimeoutExpired(self.argv, timeout)
            time.sleep(0.05)
        result = (int(self._read('status')), self._read('stdout'),
                  '' if self.merged else self._read('stderr'))
        shutil.rmtree(self.folder, ignore_errors=True)
        return result

    def kill(self) -> None:
        pid = self._read('pid')
        if pid:
            try:
                os.killpg(int(pid), signal.SIGKILL)
            except ProcessLookupError:
                pass


class ToolServer:
    """The client: starts the server on first use, in the environment of the tool runs."""

    def __init__(self, env: dict, scratch: str):
        self.env, self.scratch, self.proc, self.count = env, scratch, None, 0

    def start(self, argv, env: dict, cwd: str, merged: bool) -> ToolRun:
        """Start ``python argv[0] argv[1:]`` in a fork of the server."""
        if self.proc is None or self.proc.poll() is not None:
            os.makedirs(self.scratch, exist_ok=True)
            with open(osp.join(self.scratch, 'server.log'), 'a') as log:
                self.proc = subprocess.Popen([sys.executable, osp.abspath(__file__)], cwd=cwd,
                                             env=self.env, stdin=subprocess.PIPE,
                                             stdout=subprocess.DEVNULL, stderr=log, text=True)
        self.count += 1
        folder = osp.join(self.scratch, f'run{self.count}')
        os.makedirs(folder)
        request = dict(argv=list(argv), env=env, cwd=cwd, dir=folder,
                       stdout=osp.join(folder, 'stdout'),
                       stderr=osp.join(folder, 'stdout' if merged else 'stderr'))
        self.proc.stdin.write(json.dumps(request) + '\n')
        self.proc.stdin.flush()
        return ToolRun(list(argv), folder, merged, self.proc)

    def close(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.wait(timeout=30)
        shutil.rmtree(self.scratch, ignore_errors=True)


if __name__ == '__main__':
    serve()
