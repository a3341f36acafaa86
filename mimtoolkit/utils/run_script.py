"""Run a Python script in this (forked) process as ``python SCRIPT ARGS`` would."""
import atexit
import os
import os.path as osp
import runpy
import sys
import threading
import traceback
from typing import Dict, Optional, Sequence


def exit_code(code) -> int:
    """The interpreter's exit status for ``SystemExit(code)`` (a message goes to stderr)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def run_script(argv: Sequence[str], cwd: str, env: Dict[str, str], stdout: str,
               stderr: Optional[str] = None) -> int:
    """Set this process up as ``python argv[0] argv[1:]`` would and run the script.

    Meant for a fresh fork of an interpreter that has imported the heavy stack (torch,
    mmengine...) and run no torch op: the fork starts the script in milliseconds instead of
    the seconds those imports take. The process becomes a session leader (a kill of its group
    takes its data-loader workers too), reads nothing on stdin, writes to the given files.

    Args:
        argv (Sequence[str]): The script's path, then its arguments.
        cwd (str): Working directory.
        env (dict): The whole environment (``PYTHONPATH`` entries go to ``sys.path``).
        stdout (str): File for stdout.
        stderr (str, optional): File for stderr. Defaults to ``stdout``'s.

    Returns:
        int: The exit code the interpreter would give: 0, ``SystemExit``'s, or 1 for an
        uncaught exception (its traceback printed).
    """
    os.setsid()
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    out = os.open(stdout, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    os.dup2(out, 1)
    os.dup2(out if stderr in (None, stdout) else
            os.open(stderr, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), 2)
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    script = argv[0]
    sys.argv = list(argv)
    extra = [p for p in env.get('PYTHONPATH', '').split(os.pathsep) if p]
    sys.path[0:1] = [osp.dirname(osp.abspath(script)), *extra]
    try:
        runpy.run_path(script, run_name='__main__')
        code = 0
    except SystemExit as exc:
        code = exit_code(exc.code)
    except BaseException:  # noqa: B902  (the interpreter reports any uncaught exception)
        traceback.print_exc()
        code = 1
    try:
        threading._shutdown()  # the interpreter joins non-daemon threads at exit
        atexit._run_exitfuncs()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
    return code
