"""Extract the backbone of a pretraining checkpoint, for transfer or sharing.

    python tools/model_converters/extract_backbone.py CKPT OUT [--prefix backbone.] [--keep-all]

OUT (``.pth`` or ``.safetensors``) holds the backbone's tensors without the
prefix; modules transfer never runs (SemanticMIM's [MASK] branch, mask token,
segment embeddings) are left out unless ``--keep-all``. Downstream configs load
OUT with the same ``init_cfg=dict(type='Pretrained', checkpoint=OUT, prefix='backbone.')``
(a file without the prefix is taken as the backbone itself).
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
from cli_common import run_cli  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Extract the backbone of a checkpoint')
    parser.add_argument('checkpoint', help='pretraining checkpoint (.pth / .safetensors)')
    parser.add_argument('out', help='output file (.pth / .safetensors)')
    parser.add_argument('--prefix', default='backbone.', help='the backbone\'s key prefix')
    parser.add_argument('--keep-all', action='store_true',
                        help='keep pretraining-only modules (to resume pretraining elsewhere)')
    return parser.parse_args(argv)


def main(argv=None) -> None:
    from mimtoolkit.models.backbones.mim_vit import PRETRAINING_ONLY_KEYS
    from mimtoolkit.utils import ConfigError, load_state_dict_file, save_state_dict_file
    args = parse_args(argv)
    state = load_state_dict_file(args.checkpoint, 'checkpoint')
    backbone = {k[len(args.prefix):]: v for k, v in state.items() if k.startswith(args.prefix)}
    if not backbone:
        raise ConfigError(f'--prefix={args.prefix!r} is invalid: no key of {args.checkpoint} '
                          f'starts with it (keys start with e.g. {sorted(state)[:3]})')
    dropped = [] if args.keep_all else [
        k for k in backbone if k.startswith(PRETRAINING_ONLY_KEYS)]
    kept = {k: v for k, v in backbone.items() if k not in dropped}
    save_state_dict_file(kept, args.out, meta=dict(source=args.checkpoint, prefix=args.prefix))
    print(f'{len(kept)} backbone tensors -> {args.out}'
          + (f'; left out {len(dropped)} pretraining-only tensors' if dropped else ''))


if __name__ == '__main__':
    run_cli(main)
