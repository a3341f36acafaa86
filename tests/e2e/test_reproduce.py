"""tools/reproduce.py: every table runs end to end with --smoke (one per method), a killed run
goes on where it stopped, a stopped step resumes from its checkpoint, a failed step is one line
with its log."""
import json
import os
import os.path as osp
import time

import pytest
from mmengine.config import Config

from mimtoolkit.reproduce.tables import TABLES
from ..conftest import run_tool, start_tool

pytestmark = pytest.mark.slow

CPU = ['--smoke', '--gpus', '0']


def key_of(cfg: Config, dotted: str):
    """The value at a dotted config key (list items by index)."""
    value = cfg
    for part in dotted.split('.'):
        value = value[int(part)] if isinstance(value, list) else value[part]
    return value


def check_table(table, work_dir: str, stdout: str) -> None:
    """Every step done with its wiring; the table printed and written, each row with the
    paper's numbers and ours."""
    results = {s.name: json.load(open(osp.join(work_dir, s.name, 'result.json')))
               for s in table.steps}
    for step in table.steps:
        cfg = Config.fromfile(osp.join(work_dir, step.name, 'smoke_config.py'))
        for key, source in step.checkpoints:  # the checkpoint an earlier step made, wired in
            assert key_of(cfg, key) == results[source]['checkpoint'], (step.name, key)
            assert results[source]['checkpoint'].startswith(osp.join(work_dir, source))
        if step.metric:
            assert 0 <= results[step.name]['metrics'][step.metric] * step.scale <= 100
    text = open(osp.join(work_dir, 'results.md')).read()
    assert text in stdout and 'Smoke run' in text
    for label, cells in table.rows:
        line = next(row for row in text.splitlines() if row.startswith(f'| {label} |'))
        for cell in cells:
            if cell is not None:
                assert f'| {table.value(cell, results):.2f} |' in line, line
                assert cell.paper is None or f'| {cell.paper:.2f} |' in line, line


def test_list_names_every_table_and_its_steps():
    out = run_tool(['tools/reproduce.py', '--list']).stdout
    for name, table in TABLES.items():
        assert f'{name}: {table.title}' in out
        for step in table.steps:
            assert f'    {step.name}: {step.config}' in out
    assert {'imae-tab1-cifar10', 'mixedae-tab1-in1k', 'mrmae-tab3',
            'semanticmim-tab1-linear'} <= set(TABLES)


@pytest.mark.parametrize('name', ['mixedae-tab1-in1k', 'mrmae-tab3', 'mrmae-tab4',
                                  'semanticmim-tab1-linear'])
def test_a_table_runs_end_to_end_with_smoke(name, tmp_path):
    work_dir = str(tmp_path / name)
    proc = run_tool(['tools/reproduce.py', name, *CPU, '--work-dir', work_dir])
    check_table(TABLES[name], work_dir, proc.stdout)


def test_a_killed_run_goes_on_and_a_stopped_step_resumes(tmp_path):
    table, work_dir = TABLES['imae-tab1-cifar10'], str(tmp_path / 'imae')
    args = ['tools/reproduce.py', table.name, *CPU, '--work-dir', work_dir]
    run = start_tool(args)  # killed (with its steps) while the second step runs
    second = osp.join(work_dir, table.steps[1].name, 'train.log')
    deadline = time.monotonic() + 300
    while not osp.isfile(second) and time.monotonic() < deadline:
        time.sleep(0.2)
    run.kill()
    assert osp.isfile(second), 'the second step never started'
    assert not osp.isfile(osp.join(work_dir, table.steps[1].name, 'result.json'))

    out = run_tool(args).stdout  # goes on: the first step is not run again
    assert f'[1/7] {table.steps[0].name}: done before' in out
    assert f'[2/7] {table.steps[1].name}: {table.steps[1].config}' in out
    check_table(table, work_dir, out)

    last = table.steps[-1]  # stopped after its checkpoint, before its record
    os.remove(osp.join(work_dir, last.name, 'result.json'))
    out = run_tool(args).stdout
    assert out.count('done before') == len(table.steps) - 1
    assert 'resumed epoch: 1' in open(osp.join(work_dir, last.name, 'train.log')).read()
    check_table(table, work_dir, out)


def test_a_failed_step_is_one_line_with_its_log(tmp_path):
    """Through ``--gpus 1``'s path (each step a ``python tools/train.py``), here on a CPU."""
    table, work_dir = TABLES['imae-tab1-cifar10'], str(tmp_path / 'imae')
    teacher = table.steps[0]
    os.makedirs(osp.join(work_dir, teacher.name))
    with open(osp.join(work_dir, teacher.name, 'result.json'), 'w') as f:  # its file is gone
        json.dump(dict(checkpoint=str(tmp_path / 'gone.pth'), metrics={}), f)
    proc = run_tool(['tools/reproduce.py', table.name, '--smoke', '--gpus', '1', '--work-dir',
                     work_dir], check=False)
    log = osp.join(work_dir, table.steps[1].name, 'train.log')
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [
        f"error: step '{table.steps[1].name}' (training of {table.steps[1].config}) failed with "
        f'exit code 2; its log: {log}']
    assert 'gone.pth' in open(log).read()  # the step's own error, in its log
