"""Images/s of a config's training data pipeline: per core, through the dataloader with W
workers, and the decode-only floor of the same files; with a GPU's step rate, the CPU cores
per GPU the pipeline needs.

    python tools/analysis_tools/benchmark_data.py CONFIG [--vs CONFIG2] [--num-images 300]
        [--workers 2] [--batch-size 32] [--rounds 3] [--images auto|config|made]
        [--step-img-s S] [--out data.json] [--cfg-options k=v ...]

Files: the config's training dataset (``--images config``), or ``--num-images`` JPEGs
made from the embedded photos at ImageNet's typical size and quality (500 x 375, q90, an
ImageFolder layout in a temp dir) and read by the config's own train pipeline
(``--images made``); ``auto`` (default) takes the config's dataset unless its ``data_root``
does not exist (e.g. ImageNet recipes on a machine without ImageNet).
``--vs CONFIG2``: CONFIG2's train pipeline on the same files, its per-core rate measured in
the same rounds (alternating), and the ratio. A config with ``DeviceAugmentDataPreprocessor``
also gets the preprocessor's images/s on this CPU (what the device does for the workers).
See ``mimtoolkit/evaluation/data_throughput.py`` for what each row measures.
"""
import argparse
import copy
import json
import os.path as osp
import sys
import tempfile

from mmengine.config import Config, DictAction

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
from cli_common import run_cli  # noqa: E402

IMAGES = ('auto', 'config', 'made')
DEVICE_AUGMENT = ('DeviceAugmentDataPreprocessor', 'mimtoolkit.DeviceAugmentDataPreprocessor')


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Training data pipeline throughput')
    parser.add_argument('config', help='config file path')
    parser.add_argument('--vs', help="a reference config: its pipeline on the same files")
    parser.add_argument('--num-images', type=int, default=300)
    parser.add_argument('--rounds', type=int, default=3,
                        help='per-core passes over the files (median), alternating with --vs')
    parser.add_argument('--workers', type=int, default=2, help='dataloader worker processes')
    parser.add_argument('--batch-size', type=int, default=32)
    parser.add_argument('--images', default='auto', help=f'one of {IMAGES}')
    parser.add_argument('--step-img-s', type=float, default=None,
                        help="a GPU's training images/s (benchmark.py), for cores per GPU")
    parser.add_argument('--out', help='JSON output path')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args(argv)


def files_and_dataset(cfg: Config, images: str, num_images: int, tmp: str):
    """The dataset config to measure, the files it reads, and where they come from."""
    from mimtoolkit.datasets.imagenet_like_jpegs import write_imagenet_like_jpegs
    from mimtoolkit.registry import DATASETS
    dataset_cfg = copy.deepcopy(cfg.train_dataloader.dataset)
    root = dataset_cfg.get('data_root')
    made = images == 'made' or (images == 'auto' and bool(root) and not osp.isdir(root))
    if made:
        paths = write_imagenet_like_jpegs(tmp, num_images)
        dataset_cfg = dict(type='CustomDataset', data_root=tmp, pipeline=dataset_cfg['pipeline'])
        source = f'{num_images} JPEGs made from the embedded photos (500 x 375, q90)'
    else:
        source = f"the config's {dataset_cfg['type']}"
    dataset = DATASETS.build(dataset_cfg)
    if not made:
        paths = [dataset.get_data_info(i)['img_path']
                 for i in range(min(num_images, len(dataset)))]
    return dataset_cfg, dataset, paths, source


def load(path: str, options=None) -> Config:
    """A config with ``--cfg-options`` merged."""
    cfg = Config.fromfile(path)
    if options:
        cfg.merge_from_dict(options)
    return cfg


def main(argv=None) -> None:
    args = parse_args(argv)
    import statistics

    from mmengine.registry import init_default_scope

    from mimtoolkit.evaluation.data_throughput import (cores_per_gpu, decode_rates,
                                                       loader_rate, one_thread, pipeline_rate,
                                                       preprocess_rate)
    from mimtoolkit.registry import DATASETS
    from mimtoolkit.utils import require
    require(args.images in IMAGES, '--images', args.images, f'one of {IMAGES}')
    for name, value, low in (('--num-images', args.num_images, 1), ('--rounds', args.rounds, 1),
                             ('--batch-size', args.batch_size, 1), ('--workers', args.workers, 0)):
        require(value >= low, name, value, f'an integer >= {low}')
    require(args.step_img_s is None or args.step_img_s > 0, '--step-img-s', args.step_img_s,
            'a positive images/s')
    cfg = load(args.config, args.cfg_options)
    init_default_scope(cfg.get('default_scope', 'mimtoolkit'))
    names = [osp.basename(args.config)] + ([osp.basename(args.vs)] if args.vs else [])
    with tempfile.TemporaryDirectory() as tmp:
        dataset_cfg, dataset, paths, source = files_and_dataset(cfg, args.images,
                                                                args.num_images, tmp)
        setups = [(cfg, dataset_cfg, dataset)]
        if args.vs:  # the reference pipeline on the same files
            vs_cfg = load(args.vs)
            vs_dataset_cfg = dict(dataset_cfg, pipeline=vs_cfg.train_dataloader.dataset.pipeline)
            setups.append((vs_cfg, vs_dataset_cfg, DATASETS.build(vs_dataset_cfg)))
        one_thread()
        decode = decode_rates(paths)
        rounds = [[pipeline_rate(d, args.num_images) for _, _, d in setups]
                  for _ in range(args.rounds)]
        per_core = [statistics.median(r[i] for r in rounds) for i in range(len(setups))]
        loader = [loader_rate(dict(copy.deepcopy(c.train_dataloader), dataset=d_cfg,
                                   batch_size=args.batch_size, num_workers=args.workers,
                                   persistent_workers=False),
                              max(1, args.num_images // args.batch_size))
                  for c, d_cfg, _ in setups]
        preprocessors = [c.get('model', {}).get('data_preprocessor', {}) for c, _, _ in setups]
        on_device = [preprocess_rate(p, d, c.train_dataloader.get('collate_fn', {}),
                                     args.num_images, args.batch_size)
                     if p.get('type') in DEVICE_AUGMENT else None
                     for p, (c, _, d) in zip(preprocessors, setups)]
    print(f'{source}; {len(paths)} files; one thread per core; {args.rounds} rounds')
    print('| pipeline | measurement | images/s | images/s per core |\n|---|---|---|---|')
    for name, rate in decode.items():
        print(f'| - | decode only: {name} | {rate:.1f} | {rate:.1f} |')
    for name, core, through in zip(names, per_core, loader):
        print(f'| {name} | train pipeline, 1 process (median) | {core:.1f} | {core:.1f} |')
        print(f'| {name} | dataloader, {args.workers} workers, batch {args.batch_size} '
              f'(collated) | {through:.1f} | {through / max(1, args.workers):.1f} |')
    for name, rate, core in zip(names, on_device, per_core):
        if rate is not None:
            print(f'| {name} | data preprocessor on this CPU (crop, resize, flip; decode if '
                  f'bytes), 1 thread | {rate:.1f} | {rate:.1f} |')
            print(f'| {name} | workers + preprocessor both on CPU, per core | '
                  f'{1 / (1 / core + 1 / rate):.1f} | {1 / (1 / core + 1 / rate):.1f} |')
    report = dict(config=args.config, source=source, num_files=len(paths), decode=decode,
                  pipeline_per_core=per_core[0], loader=loader[0], workers=args.workers,
                  batch_size=args.batch_size, rounds=rounds, preprocessor_on_cpu=on_device[0])
    print(f'pipeline per core / best decode floor: {per_core[0] / max(decode.values()):.2f}')
    if args.vs:
        report.update(vs=args.vs, vs_pipeline_per_core=per_core[1], vs_loader=loader[1],
                      ratio=per_core[0] / per_core[1])
        print(f"ratio per core (CONFIG / reference): {report['ratio']:.2f}")
    if args.step_img_s:
        report['cores_per_gpu'] = cores_per_gpu(args.step_img_s, per_core[0])
        print(f"cores per GPU at {args.step_img_s:g} images/s: {report['cores_per_gpu']:.1f}")
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(report, f, indent=1)


if __name__ == '__main__':
    run_cli(main)
