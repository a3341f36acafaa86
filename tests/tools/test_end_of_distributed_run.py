"""How a distributed tool run that succeeded ends (tools/cli_common.py ``run_cli``): the
Runner's DDP wrapper, kept alive by a reference cycle, is freed while the process group is
still up; then the group is destroyed, atexit handlers run, output is flushed, and the
process exits 0 without a finalizing interpreter tearing torch down."""
import os
import subprocess
import sys
import textwrap

from ..conftest import REPO, free_port

SCRIPT = textwrap.dedent('''
    import atexit, sys, weakref
    sys.path.insert(0, {tools!r})
    import torch
    from cli_common import run_cli

    def report(line):
        with open({report!r}, 'a') as f:
            f.write(line + '\\n')

    def main():
        torch.distributed.init_process_group('gloo')
        holder = {{}}
        holder['self'] = holder  # a cycle, as the Runner and its loops make
        holder['ddp'] = torch.nn.parallel.DistributedDataParallel(torch.nn.Linear(2, 2))
        holder['ddp'](torch.ones(1, 2)).sum().backward()
        weakref.finalize(holder['ddp'], lambda: report(
            f'ddp freed, group up: {{torch.distributed.is_initialized()}}'))
        atexit.register(report, 'atexit ran')
        sys.stdout.write('unflushed line')  # no newline: block-buffered into a pipe

    run_cli(main)
    report('after run_cli')  # not reached: the run ends in run_cli
''')


def test_a_finished_distributed_run_frees_ddp_before_the_group_and_exits_0(tmp_path):
    report = tmp_path / 'report.txt'
    script = tmp_path / 'tool.py'
    script.write_text(SCRIPT.format(tools=os.path.join(REPO, 'tools'), report=str(report)))
    env = dict(os.environ, MASTER_ADDR='127.0.0.1', MASTER_PORT=free_port(), RANK='0',
               WORLD_SIZE='1', LOCAL_RANK='0', PYTHONPATH=REPO)
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.endswith('unflushed line')
    assert report.read_text().splitlines() == ['ddp freed, group up: True', 'atexit ran']
