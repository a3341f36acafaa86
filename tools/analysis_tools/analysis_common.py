"""What the analysis tools share: a trained pretrainer and a fixed set of its training images."""
import argparse
from typing import List, Optional, Sequence

import torch
from mmengine.config import Config, DictAction
from mmengine.dataset import default_collate

#: Pretraining-only parts that hold frozen teachers; analysis needs only the student.
TEACHER_HEADS = ('distill_head', )


def add_analysis_args(parser: argparse.ArgumentParser, num_images: int) -> None:
    """CONFIG CHECKPOINT --num-images --seed --cfg-options, as every analysis tool takes them."""
    parser.add_argument('config', help='config file path')
    parser.add_argument('checkpoint', help='checkpoint of that config')
    parser.add_argument('--num-images', type=int, default=num_images)
    parser.add_argument('--seed', type=int, default=0, help='seed of the images, masks, mixing')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)


def load_pretrainer(config: str, checkpoint: str, cfg_options: Optional[dict] = None):
    """Build a pretrainer from its config and load a checkpoint of it, in eval mode.

    Heads that only hold a frozen teacher (``distill_head``) are left out, so
    the teacher's checkpoint need not be at hand.

    Args:
        config (str): Config path.
        checkpoint (str): Checkpoint of that config.
        cfg_options (dict, optional): Overrides, as ``--cfg-options``.

    Returns:
        tuple[nn.Module, Config]: The model and its config.
    """
    from mmengine.registry import init_default_scope

    from mimtoolkit.registry import MODELS
    from mimtoolkit.utils import load_matching_state_dict, load_state_dict_file
    cfg = Config.fromfile(config)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    init_default_scope(cfg.get('default_scope', 'mimtoolkit'))
    for key in TEACHER_HEADS:
        if key in cfg.model:
            cfg.model[key] = None
    model = MODELS.build(cfg.model)
    load_matching_state_dict(model, load_state_dict_file(checkpoint), 'checkpoint')
    model.eval()
    return model, cfg


def build_train_dataset(cfg: Config, split: Optional[str] = None):
    """The config's training dataset (its own pipeline), refusing an empty one.

    Args:
        cfg (Config): The config.
        split (str, optional): Another split of the same dataset (e.g. ``'test'``),
            for datasets with a ``split`` argument (``--val-split``).
    """
    from mimtoolkit.registry import DATASETS
    from mimtoolkit.utils import ConfigError, require
    dataset_cfg = cfg.train_dataloader.dataset
    if split is not None:
        require('split' in dataset_cfg, '--val-split', split,
                'no split: the dataset config has no `split` argument')
        dataset_cfg = dict(dataset_cfg, split=split)
    dataset = DATASETS.build(dataset_cfg)
    if len(dataset) == 0:
        raise ConfigError('train_dataloader.dataset is empty: no images to analyse')
    return dataset


def preprocess(model, dataset, indices: Sequence[int]) -> torch.Tensor:
    """Load items of a dataset and preprocess them as the model's inputs.

    Args:
        model (nn.Module): A pretrainer (its ``data_preprocessor``).
        dataset: A dataset whose items are packed inputs.
        indices (Sequence[int]): Which items.

    Returns:
        Tensor: (len(indices), 3, H, W) normalised images.
    """
    samples: List[dict] = [dataset[int(i)] for i in indices]
    return model.data_preprocessor(default_collate(samples), False)['inputs']


def progress_bar(total: int):
    """mmengine's ``ProgressBar`` over ``total`` steps, on stderr (stdout keeps the tables)."""
    import sys

    from mmengine.utils import ProgressBar
    return ProgressBar(total, file=sys.stderr)


def figure_path(json_path: str) -> str:
    """The PNG written next to a tool's JSON output (same name, ``.png``)."""
    import os.path as osp
    return osp.splitext(json_path)[0] + '.png'


def save_bar_chart(groups: dict, path: str, ylabel: str, title: str, hline=None) -> None:
    """Grouped bars: ``{group: {series: value}}`` -> PNG (matplotlib, Agg).

    Args:
        groups (dict): Bars per group (x tick), one series per colour.
        path (str): PNG path.
        ylabel (str): The y axis.
        title (str): The figure's title.
        hline (float, optional): A dashed reference line (e.g. chance).
    """
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    series = list(dict.fromkeys(s for values in groups.values() for s in values))
    width = 0.8 / max(1, len(series))
    fig, ax = plt.subplots(figsize=(max(5, 1.2 * len(groups) * max(1, len(series)) / 2), 4),
                           dpi=100)
    for i, name in enumerate(series):
        xs = [g + i * width for g in range(len(groups))]
        ax.bar(xs, [values.get(name, 0) for values in groups.values()], width, label=name)
    ax.set_xticks([g + width * (len(series) - 1) / 2 for g in range(len(groups))])
    ax.set_xticklabels([str(g) for g in groups])
    if hline is not None:
        ax.axhline(hline, color='grey', linestyle='--', linewidth=1)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    if len(series) > 1:
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
