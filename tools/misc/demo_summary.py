"""What `make demo` made, where, how the model did against the baselines, and what to try next.

    python tools/misc/demo_summary.py WORK_DIR
"""
import argparse
import glob
import json
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
from cli_common import run_cli  # noqa: E402

NEXT = (
    ('probe the encoder it trained (frozen backbone, linear head, which photo a crop is from)',
     '.venv/bin/python tools/train.py '
     'configs/mae/benchmarks/vit-tiny-p8_1xb32-linear-coslr-10e_skimage-64.py'),
    ('pretrain another method on the same photos (MixedAE: patch mixing, homologous attention)',
     '.venv/bin/python tools/train.py '
     'configs/mixedae/mixedae_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py '
     '--work-dir work_dirs/mixedae_demo'),
)


def latest(pattern: str) -> list:
    """Paths matching ``pattern``, newest run folder last."""
    return sorted(glob.glob(pattern))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description='summary of a make demo run')
    parser.add_argument('work_dir')
    args = parser.parse_args(argv)
    from mimtoolkit.utils import require
    wd = args.work_dir
    checkpoints = sorted(glob.glob(osp.join(wd, 'epoch_*.pth')),
                         key=lambda p: int(osp.basename(p)[6:-4]))
    require(bool(checkpoints), 'WORK_DIR', wd, 'a folder with the demo\'s epoch_*.pth')
    figures = latest(osp.join(wd, '*', 'vis_data', 'vis_image', 'reconstruction_*.png'))
    scalars = latest(osp.join(wd, '*', 'vis_data', 'scalars.json'))
    print('\n== make demo: what it made ==')
    print(f'checkpoints       {", ".join(checkpoints)}')
    if figures:
        print(f'training figures  {osp.dirname(figures[-1])}/reconstruction_*.png '
              f'({len(figures)}; titled columns, iteration and loss on top)')
    if scalars:
        print(f'loss per iter     {scalars[-1]}')
    print(f'loss curves       {osp.join(wd, "loss_curves.png")}')
    baselines = osp.join(wd, 'baselines.json')
    if osp.isfile(baselines):
        report = json.load(open(baselines))
        print(f'compared figure   {osp.join(wd, "baselines.png")} ({report["figure"]} images; '
              'prediction next to both baselines)')
        for split, res in report['splits'].items():
            print(f"\nmasked-patch PSNR on {res['num_images']} {split} images (new crops, masks):")
            for name, value in res['scores'].items():
                print(f"  {name:<22} {value['psnr_db']:6.2f} dB  (MSE {value['mse']:.1f})")
            print(f"  margin over the best baseline ({res['best_baseline']}): "
                  f"{res['margin_db']:+.2f} dB")
    print('\n== next ==')
    for what, command in NEXT:
        print(f'# {what}\n{command}')


if __name__ == '__main__':
    run_cli(main)
