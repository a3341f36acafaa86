"""Plot every named loss of a training run against the iteration.

    python tools/analysis_tools/plot_loss_curves.py WORK_DIR [--out WORK_DIR/loss_curves.png]

Reads mmengine's per-iteration ``<time>/vis_data/scalars.json`` of every run in
WORK_DIR (a resumed run continues the curve) and draws one line per key that
starts with ``loss``.
"""
import argparse
import glob
import json
import os.path as osp
import sys
from collections import defaultdict

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
from cli_common import run_cli  # noqa: E402


def read_losses(work_dir: str) -> dict:
    """{loss name: [(iter, value), ...]} from all runs in work_dir."""
    paths = sorted(glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json')))
    if not paths:
        from mimtoolkit.utils import ConfigError
        raise ConfigError(f'work_dir={work_dir!r} is invalid: expected a training run '
                          '(no */vis_data/scalars.json inside)')
    curves = defaultdict(dict)
    for path in paths:
        with open(path) as f:
            for line in f:
                record = json.loads(line)
                for key, value in record.items():
                    if key.startswith('loss') and 'iter' in record:
                        curves[key][record['iter']] = value
    return {k: sorted(v.items()) for k, v in curves.items()}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description='Plot the named losses of a run')
    parser.add_argument('work_dir')
    parser.add_argument('--out', help='PNG path (default: WORK_DIR/loss_curves.png)')
    args = parser.parse_args(argv)
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    curves = read_losses(args.work_dir)
    fig, ax = plt.subplots(figsize=(7, 4), dpi=100)
    for name, points in sorted(curves.items()):
        ax.plot([p[0] for p in points], [p[1] for p in points], label=name)
    ax.set_xlabel('iteration')
    ax.set_ylabel('loss')
    ax.set_title(osp.basename(osp.abspath(args.work_dir)))
    ax.legend()
    ax.grid(alpha=0.3)
    out = args.out or osp.join(args.work_dir, 'loss_curves.png')
    fig.tight_layout()
    fig.savefig(out)
    print(f'saved {out}: ' + ', '.join(f'{k} ({len(v)} points)' for k, v in curves.items()))


if __name__ == '__main__':
    run_cli(main)
