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
