"""Join fine-tuned classifier checkpoints into one checkpoint of a ``ClassifierEnsemble``.

    python tools/model_converters/ensemble_checkpoint.py A.pth B.pth [...] --out ENSEMBLE.pth

Member i's tensors become ``members.<i>.<key>`` (in the order given), as the ensemble config's
``members`` list names them; ``tools/test.py ENSEMBLE_CONFIG ENSEMBLE.pth`` evaluates it.
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
from cli_common import run_cli  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Join classifier checkpoints for an ensemble')
    parser.add_argument('checkpoints', nargs='+', help='fine-tuned classifier checkpoints')
    parser.add_argument('--out', required=True, help='the ensemble checkpoint (.pth)')
    args = parser.parse_args(argv)
    if len(args.checkpoints) < 2:
        parser.error(f'checkpoints: expected at least two, got {len(args.checkpoints)}')
    return args


def main(argv=None) -> None:
    import torch

    from mimtoolkit.utils import load_state_dict_file
    args = parse_args(argv)
    state = {f'members.{i}.{key}': value for i, path in enumerate(args.checkpoints)
             for key, value in load_state_dict_file(path, 'checkpoint').items()}
    torch.save({'state_dict': state, 'meta': dict(members=list(args.checkpoints))}, args.out)
    print(f'{args.out}: {len(args.checkpoints)} members, {len(state)} tensors')


if __name__ == '__main__':
    run_cli(main)
