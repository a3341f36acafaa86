"""Reproduce a paper's table with one command: every step, in order, wired, resumable.

    python tools/reproduce.py --list
    python tools/reproduce.py TABLE [--smoke] [--work-dir D] [--gpus N]

Each step (pretraining, teacher, fine-tune, probe) runs ``tools/train.py`` (and
``tools/test.py`` for a number) in ``D/<step>/``, with the checkpoints of the steps it needs
wired in through ``--cfg-options`` (teacher checkpoints, ``model.backbone.init_cfg
.checkpoint``). A step with ``result.json`` is done and not run again; a stopped one resumes
from its last checkpoint. The table (each number next to the paper's) is printed and written
to ``D/results.md``. ``--smoke`` shrinks every step to run on a CPU in minutes
(``mimtoolkit/reproduce/smoke.py``): the same steps and wiring, numbers that mean nothing.
"""
import argparse
import os.path as osp
import sys

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))


def parse_args(argv=None) -> argparse.Namespace:
    from mimtoolkit.reproduce.tables import TABLES
    parser = argparse.ArgumentParser(description='Reproduce a paper table')
    parser.add_argument('table', nargs='?', choices=sorted(TABLES), metavar='TABLE',
                        help=f'one of: {", ".join(sorted(TABLES))}')
    parser.add_argument('--list', action='store_true', help='list the tables and their steps')
    parser.add_argument('--smoke', action='store_true',
                        help='shrink every step (data, iterations, image size, model width) '
                        'to run on a CPU in minutes; the numbers then mean nothing')
    parser.add_argument('--work-dir', help='default: work_dirs/reproduce/TABLE[-smoke]')
    parser.add_argument('--gpus', type=int,
                        help='0: this CPU (default without CUDA); 1: one GPU (default with '
                        'CUDA); N > 1: torchrun with N processes per step (tools/dist_*.sh)')
    args = parser.parse_args(argv)
    if not args.list and args.table is None:
        parser.error('name a TABLE, or --list')
    if args.gpus is not None and args.gpus < 0:
        parser.error(f'--gpus: expected 0 or more, got {args.gpus}')
    return args


def listing() -> str:
    """Every table: name, source, steps."""
    from mimtoolkit.reproduce.tables import TABLES
    lines = []
    for name, table in sorted(TABLES.items()):
        lines += [f'{name}: {table.title}', f'  source: {table.source}',
                  f'  steps ({len(table.steps)}):']
        for step in table.steps:
            needs = f' <- {", ".join(step.needs)}' if step.needs else ''
            lines.append(f'    {step.name}: {step.config}{needs}')
    return '\n'.join(lines)


def main(argv=None) -> None:
    args = parse_args(argv)
    if args.list:
        print(listing())
        return
    from mimtoolkit.reproduce.report import markdown
    from mimtoolkit.reproduce.table_run import StepFailed, TableRun
    from mimtoolkit.reproduce.tables import TABLES
    gpus = args.gpus
    if gpus is None:
        import torch
        gpus = min(torch.cuda.device_count(), 1)  # no fork follows where it is 1
    table = TABLES[args.table]
    work_dir = args.work_dir or osp.join(
        'work_dirs', 'reproduce', args.table + ('-smoke' if args.smoke else ''))
    run = TableRun(table, work_dir, REPO, smoke=args.smoke, gpus=gpus,
                   log=lambda line: print(line, flush=True))
    try:
        results = run.run()
    except StepFailed as err:
        print(f'error: {err}', file=sys.stderr)
        sys.exit(1)
    text = markdown(table, results, args.smoke)
    with open(osp.join(run.work_dir, 'results.md'), 'w') as f:
        f.write(text)
    print(text)
    print(f'written to {osp.join(run.work_dir, "results.md")}')


if __name__ == '__main__':
    sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
    from cli_common import run_cli
    run_cli(main)
