"""Convert an ImageNet-style image folder to webdataset-style tar shards with labels.

    python tools/dataset_converters/folder_to_shards.py ROOT OUT_DIR [--prefix train]
        [--max-size 1GB] [--max-images 0] [--seed 0]

ROOT is ``ROOT/<class>/<image>`` (ImageNet's train folder, Tiny-ImageNet, any
``CustomDataset`` folder); labels are the sorted class folders' indices, as mmpretrain's
``CustomDataset`` and ``ImageNet`` give them. The images are shuffled once (``--seed``) so
every shard mixes the classes, kept in their encoded bytes as ``KEY.<ext>`` with ``KEY.cls``
their label, and cut into shards of about ``--max-size`` (``OUT_DIR/{prefix}-000000.tar``,
...) with ``OUT_DIR/classes.txt``. It prints the dataset config that reads them
(``TarShardDataset`` + ``ShardSampler``; see README, "Sharded data").
"""
import argparse
import os.path as osp
import re
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
from cli_common import run_cli  # noqa: E402

UNITS = {'': 1, 'B': 1, 'KB': 10**3, 'MB': 10**6, 'GB': 10**9, 'TB': 10**12}


def parse_size(text: str) -> int:
    """``'1GB'``, ``'500MB'``, ``'2e9'`` -> bytes."""
    from mimtoolkit.utils import ConfigError
    match = re.fullmatch(r'\s*([0-9.e+]+)\s*([KMGT]?B?)\s*', text.upper())
    try:
        return int(float(match.group(1)) * UNITS[match.group(2)])
    except (AttributeError, ValueError, KeyError):
        raise ConfigError(f'--max-size={text!r} is invalid: expected a size such as 1GB, '
                          f'500MB or 2e9 (units {", ".join(u for u in UNITS if u)})') from None


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Image folder -> tar shards')
    parser.add_argument('root', help='ROOT/<class>/<image> folder')
    parser.add_argument('out_dir', help='where the shards are written')
    parser.add_argument('--prefix', default='train', help='shard name prefix')
    parser.add_argument('--max-size', default='1GB', help='shard size (about)')
    parser.add_argument('--max-images', type=int, default=0, help='images per shard (0: any)')
    parser.add_argument('--seed', type=int, default=0, help='the one shuffle before splitting')
    return parser.parse_args(argv)


def main(argv=None) -> None:
    from mimtoolkit.datasets.shard_writer import write_shards
    from mimtoolkit.utils import require
    args = parse_args(argv)
    require(osp.isdir(args.root), 'ROOT', args.root, 'an existing ROOT/<class>/<image> folder')
    paths = write_shards(args.root, args.out_dir, args.prefix, parse_size(args.max_size),
                         args.max_images, args.seed)
    pattern = osp.join(args.out_dir, f'{args.prefix}-{{000000..{len(paths) - 1:06d}}}.tar')
    total = sum(osp.getsize(p) for p in paths)
    print(f'{len(paths)} shards, {total / 1e6:.1f} MB -> {args.out_dir}')
    print('dataset config:\n'
          f"    dataset=dict(type='TarShardDataset', shards={pattern!r},\n"
          f"                 classes={osp.join(args.out_dir, 'classes.txt')!r}, "
          'pipeline=train_pipeline)\n'
          "    sampler=dict(type='ShardSampler', shuffle=True)")


if __name__ == '__main__':
    run_cli(main)
