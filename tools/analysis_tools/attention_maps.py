"""Attention figures of an encoder: [CLS] / patch / proxy maps, proxy averages, distances.

    python tools/analysis_tools/attention_maps.py CONFIG CHECKPOINT --out maps.png
        [--query cls | patch:ROW,COL | proxies] [--average] [--distance]
        [--layer -1] [--num-images 4] [--seed 0] [--cfg-options k=v ...]

Works for any pretrainer with a ``MIMViT`` encoder (dense or homologous
attention, with or without SemanticMIM proxies). Images are ``--num-images``
distinct items of the config's training dataset drawn under ``--seed``,
encoded whole (no mask, no mixing); maps are averaged over heads and
normalised to their maximum.

- ``--query cls`` (default; MixedAE Fig. 5): one row per image: image |
  [CLS] (first proxy) map | overlay.
- ``--query patch:R,C`` (SemanticMIM Fig. 7): the patch at grid row R,
  column C as the query (marked in the image column).
- ``--query proxies`` (Fig. 8): image | one map per [PROXY] token.
- ``--query proxies --average`` (Fig. 9): each proxy's map averaged over all
  the images, one heatmap per proxy in a grid.
- ``--distance`` (Appendix A, Fig. 13): mean attention distance of every
  head in every layer (pixels), as a scatter plot; also printed and written as JSON
  next to the figure (same name, ``.json``).

Figures have column titles and cells of at least 128 px; a progress bar on stderr counts
the images (the layers with ``--distance``).
"""
import argparse
import json
import os.path as osp
import sys

import mmcv
import torch
import torch.nn.functional as F

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
from analysis_common import (add_analysis_args, build_train_dataset, load_pretrainer,  # noqa: E402
                             preprocess, progress_bar)
from cli_common import run_cli  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='attention maps and distances')
    add_analysis_args(parser, num_images=4)
    parser.add_argument('--out', required=True, help='output PNG path')
    parser.add_argument('--layer', type=int, default=-1, help='encoder layer (default: last)')
    parser.add_argument('--query', default='cls', help="'cls', 'patch:ROW,COL' or 'proxies'")
    parser.add_argument('--average', action='store_true',
                        help='average each query map over the images (with --query proxies)')
    parser.add_argument('--distance', action='store_true',
                        help='mean attention distance per layer and head instead of maps')
    return parser.parse_args(argv)


def query_indices(query: str, backbone, grid) -> tuple:
    """Token indices of ``--query`` and a label per column."""
    from mimtoolkit.utils import require
    lead = backbone.num_leading_tokens
    if query == 'cls':
        return [0], ['[CLS]' if not backbone.num_proxy_tokens else '[PROXY 0]']
    if query == 'proxies':
        require(backbone.num_proxy_tokens > 0, '--query', query,
                "'cls' or 'patch:ROW,COL' (this encoder has no [PROXY] tokens)")
        return list(range(lead)), [f'[PROXY {i}]' for i in range(lead)]
    try:
        row, col = (int(v) for v in query.split(':', 1)[1].split(','))
        assert query.startswith('patch:') and 0 <= row < grid[0] and 0 <= col < grid[1]
    except (AssertionError, IndexError, ValueError):
        require(False, '--query', query,
                f"'cls', 'proxies' or 'patch:ROW,COL' with ROW < {grid[0]}, COL < {grid[1]}")
    return [lead + row * grid[1] + col], [f'patch ({row}, {col})']


def heatmaps(maps: torch.Tensor, size) -> torch.Tensor:
    """(..., h, w) maps -> (..., 3, H, W) inferno colours in 0-255, each map max-normalised."""
    from matplotlib import colormaps
    maps = maps / maps.flatten(-2).amax(-1).clamp(min=1e-12)[..., None, None]
    flat = maps.reshape(-1, 1, *maps.shape[-2:])
    flat = F.interpolate(flat, size=size, mode='nearest')[:, 0]
    heat = torch.from_numpy(colormaps['inferno'](flat.numpy())[..., :3] * 255).float()
    return heat.permute(0, 3, 1, 2).reshape(*maps.shape[:-2], 3, *size)


def save_grid(rows: torch.Tensor, titles, title: str, path: str) -> tuple:
    """(R, C, 3, H, W) images in 0-255 -> one titled PNG; returns its (width, height)."""
    from mimtoolkit.visualization import titled_grid
    cells = rows.permute(0, 1, 3, 4, 2).round().clamp(0, 255).byte().numpy()
    figure = titled_grid(cells, titles, title)
    mmcv.imwrite(mmcv.rgb2bgr(figure), path)
    return figure.shape[1], figure.shape[0]


def draw_distances(model, inputs: torch.Tensor, path: str) -> None:
    """Scatter of every head's mean attention distance against its layer."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    from mimtoolkit.evaluation import layer_attention, mean_attention_distance
    backbone = model.backbone
    grid = backbone.patch_grid(inputs.shape[-2:])
    fig, ax = plt.subplots(figsize=(6, 4))
    bar, distances = progress_bar(len(backbone.layers)), {}
    for i in range(len(backbone.layers)):
        encoded, probs = layer_attention(backbone, inputs, i)
        dist = mean_attention_distance(probs, encoded.num_leading, grid,
                                       backbone.patch_size)
        ax.scatter([i + 1] * len(dist), dist.numpy(), s=12)
        distances[i + 1] = dist.tolist()
        bar.update()
    print(file=sys.stderr)
    for layer, dist in distances.items():
        print(f'layer {layer}: ' + ' '.join(f'{d:.1f}' for d in dist))
    ax.set_xlabel('layer')
    ax.set_ylabel('mean attention distance (pixels)')
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    with open(osp.splitext(path)[0] + '.json', 'w') as f:
        json.dump(dict(mean_attention_distance_px={str(k): v for k, v in distances.items()},
                       num_images=len(inputs)), f, indent=2)


def main(argv=None) -> None:
    args = parse_args(argv)
    from mmengine.runner import set_random_seed

    from mimtoolkit.evaluation import query_attention_maps
    from mimtoolkit.utils import require
    from mimtoolkit.visualization import denormalize
    set_random_seed(args.seed)
    model, cfg = load_pretrainer(args.config, args.checkpoint, args.cfg_options)
    backbone = model.backbone
    depth = len(backbone.layers)
    require(-depth <= args.layer < depth, '--layer', args.layer,
            f'an encoder layer index in [-{depth}, {depth})')
    dataset = build_train_dataset(cfg)
    require(1 <= args.num_images <= len(dataset), '--num-images', args.num_images,
            f'1 to the {len(dataset)} images of the dataset')
    inputs = preprocess(model, dataset, torch.randperm(len(dataset))[:args.num_images].tolist())
    if args.distance:
        with torch.no_grad():
            draw_distances(model, inputs, args.out)
        print(f'saved {args.out} (mean attention distance per head and layer)')
        return
    grid = backbone.patch_grid(inputs.shape[-2:])
    queries, labels = query_indices(args.query, backbone, grid)
    require(not args.average or args.query == 'proxies', '--average', True,
            'used with --query proxies (each proxy averaged over the images)')
    bar, chunks = progress_bar(len(inputs)), []
    for batch in inputs.split(32):  # (B, Q, h, w) maps, 32 images per encoder call
        chunks.append(query_attention_maps(backbone, batch, queries, args.layer))
        bar.update(len(batch))
    print(file=sys.stderr)
    maps = torch.cat(chunks)
    size = inputs.shape[-2:]
    if args.average:
        heat = heatmaps(maps.mean(dim=0), size)  # (Q, 3, H, W)
        width, height = save_grid(heat.unsqueeze(0), labels,
                                  f'layer {args.layer}, mean over heads and {len(inputs)} '
                                  'images', args.out)
        print(f'saved {args.out} ({width}x{height} px; layer {args.layer}; columns: '
              f'{", ".join(labels)}, each averaged over {len(inputs)} images)')
        return
    images = denormalize(inputs, model.data_preprocessor)
    if args.query.startswith('patch:'):  # mark the query patch
        p, (row, col) = backbone.patch_size, divmod(queries[0] - backbone.num_leading_tokens,
                                                    grid[1])
        images[:, :, row * p:(row + 1) * p, col * p:(col + 1) * p] = torch.tensor(
            [0., 255., 0.]).view(1, 3, 1, 1)
    heat = heatmaps(maps, size)  # (B, Q, 3, H, W)
    columns = [images.unsqueeze(1), heat]
    if len(queries) == 1:
        columns.append(0.5 * images.unsqueeze(1) + 0.5 * heat)
        labels = labels + ['overlay']
    width, height = save_grid(torch.cat(columns, dim=1), ['image', *labels],
                              f'layer {args.layer}: attention of {labels[0]}'
                              f'{" ..." if len(queries) > 1 else ""} (mean over heads)', args.out)
    print(f'saved {args.out} ({width}x{height} px; layer {args.layer}; columns: image | '
          f'{" | ".join(labels)} (mean over heads))')


if __name__ == '__main__':
    run_cli(main)
