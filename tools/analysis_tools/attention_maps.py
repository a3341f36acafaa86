"""Draw the [CLS] token's attention over the patches in one encoder layer (MixedAE Fig. 5).

    python tools/analysis_tools/attention_maps.py CONFIG CHECKPOINT --out maps.png
        [--layer -1] [--num-images 4] [--seed 0] [--cfg-options k=v ...]

Works for any pretrainer with a ``MIMViT`` encoder (dense or homologous
attention). Images are ``--num-images`` distinct items of the config's
training dataset drawn under ``--seed``, encoded whole (no mask, no mixing).
One row per image: image | attention map (mean over heads, normalised to its
maximum) | overlay.
"""
import argparse
import os.path as osp
import sys

import mmcv
import torch
import torch.nn.functional as F

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
from analysis_common import (add_analysis_args, build_train_dataset, load_pretrainer,  # noqa: E402
                             preprocess)
from cli_common import run_cli  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='[CLS] attention maps')
    add_analysis_args(parser, num_images=4)
    parser.add_argument('--out', required=True, help='output PNG path')
    parser.add_argument('--layer', type=int, default=-1, help='encoder layer (default: last)')
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    from matplotlib import colormaps
    from mmengine.runner import set_random_seed

    from mimtoolkit.evaluation import cls_attention_maps
    from mimtoolkit.utils import require
    from mimtoolkit.visualization import denormalize
    set_random_seed(args.seed)
    model, cfg = load_pretrainer(args.config, args.checkpoint, args.cfg_options)
    depth = len(model.backbone.layers)
    require(-depth <= args.layer < depth, '--layer', args.layer,
            f'an encoder layer index in [-{depth}, {depth})')
    dataset = build_train_dataset(cfg)
    require(1 <= args.num_images <= len(dataset), '--num-images', args.num_images,
            f'1 to the {len(dataset)} images of the dataset')
    inputs = preprocess(model, dataset, torch.randperm(len(dataset))[:args.num_images].tolist())
    with torch.no_grad():
        maps = cls_attention_maps(model.backbone, inputs, args.layer)
    maps = maps / maps.flatten(1).amax(1).clamp(min=1e-12).view(-1, 1, 1)
    maps = F.interpolate(maps.unsqueeze(1), size=inputs.shape[-2:], mode='nearest')[:, 0]
    heat = torch.from_numpy(colormaps['inferno'](maps.numpy())[..., :3] * 255).float()
    heat = heat.permute(0, 3, 1, 2)  # (B, 3, H, W)
    images = denormalize(inputs, model.data_preprocessor)
    row = torch.cat([images, heat, 0.5 * images + 0.5 * heat], dim=3)
    figure = torch.cat(list(row), dim=1).permute(1, 2, 0).round().clamp(0, 255).byte().numpy()
    mmcv.imwrite(mmcv.rgb2bgr(figure), args.out)
    print(f'saved {args.out} ({figure.shape[1]}x{figure.shape[0]} px; layer {args.layer}; '
          'columns: image | [CLS] attention (mean over heads) | overlay)')


if __name__ == '__main__':
    run_cli(main)
