"""k-NN (and linear) probes of the encoder's frozen features while pretraining."""
import time
from typing import Tuple

import torch
from mmengine.dataset import default_collate
from mmengine.dist import all_gather, get_comm_device, get_rank, get_world_size
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.utils import ProgressBar

from mimtoolkit.evaluation.feature_probes import knn_top1, linear_top1
from mimtoolkit.registry import DATASETS, HOOKS
from mimtoolkit.utils import ConfigError, require

FEATURES = ('cls', 'mean')


@HOOKS.register_module()
class OnlineProbeHook(Hook):
    """Every ``interval`` epochs (and after the last), probe the current encoder.

    The encoder runs in eval mode, unmasked, on a labelled bank
    (``train_dataset``) and a labelled evaluation split (``val_dataset``);
    each rank encodes every ``world_size``-th image and the features are
    gathered, so every rank holds the same N features as one process would
    and computes the same numbers. Logged through the runner's visualizer
    (``vis_data/scalars.json``, TensorBoard) at the current iteration and in
    the text log: ``knn_top1`` (DINO's weighted cosine k-NN) and, with
    ``linear_epochs > 0``, ``linear_top1`` (a linear classifier trained on
    the cached features); ``probe_seconds`` is what the probe cost. The
    random state of training is left as it was.

    Args:
        train_dataset (dict): Dataset config of the k-NN bank / linear
            training set, with a deterministic (test) pipeline and labels.
        val_dataset (dict): Dataset config to classify.
        interval (int): Epochs (iterations with ``by_epoch=False``) between
            probes. Defaults to 1.
        by_epoch (bool): Count ``interval`` in epochs. Defaults to True.
        feature (str): ``'cls'`` (the [CLS] token after the final norm, the
            mean of the leading tokens with SemanticMIM proxies, the patch
            mean for encoders without one, e.g. ConvViT) or ``'mean'`` (the
            mean of the patch tokens). Defaults to ``'cls'``, the linear-probe
            configs' feature.
        k (int): Neighbours. Defaults to 20.
        temperature (float): k-NN vote temperature. Defaults to 0.07.
        linear_epochs (int): Epochs of the linear probe; 0 skips it.
            Defaults to 0.
        batch_size (int): Images per encoder call. Defaults to 256.
        at_start (bool): Also probe before the first iteration (the initial,
            or resumed, encoder: the baseline the curve starts from).
            Defaults to False.
    """

    priority = 'LOW'

    def __init__(self, train_dataset: dict, val_dataset: dict, interval: int = 1,
                 by_epoch: bool = True, feature: str = 'cls', k: int = 20,
                 temperature: float = 0.07, linear_epochs: int = 0,
                 batch_size: int = 256, at_start: bool = False) -> None:
        for name, value in (('interval', interval), ('k', k), ('batch_size', batch_size)):
            require(isinstance(value, int) and value >= 1, f'custom_hooks.{name}', value,
                    'an int >= 1')
        require(isinstance(linear_epochs, int) and linear_epochs >= 0,
                'custom_hooks.linear_epochs', linear_epochs, 'an int >= 0 (0: no linear probe)')
        require(feature in FEATURES, 'custom_hooks.feature', feature, f'one of {FEATURES}')
        require(temperature > 0, 'custom_hooks.temperature', temperature, 'a positive number')
        for name, value in (('train_dataset', train_dataset), ('val_dataset', val_dataset)):
            require(isinstance(value, dict) and 'type' in value, f'custom_hooks.{name}', value,
                    'a dataset config dict with a type')
        self.dataset_cfgs = dict(train=train_dataset, val=val_dataset)
        self.interval, self.by_epoch, self.feature = interval, by_epoch, feature
        self.k, self.temperature, self.linear_epochs = k, temperature, linear_epochs
        self.batch_size, self.at_start = batch_size, at_start
        self.datasets: dict = {}

    @staticmethod
    def _model(runner):
        return runner.model.module if is_model_wrapper(runner.model) else runner.model

    def before_train(self, runner) -> None:
        """Build the two datasets (refusing an encoder or a split the probe cannot use);
        probe once with ``at_start``."""
        backbone = getattr(self._model(runner), 'backbone', None)
        if not hasattr(backbone, 'encode'):
            raise ConfigError(f'custom_hooks: OnlineProbeHook needs a pretrainer whose backbone '
                              f'has encode() (MIMViT, ConvViT); got {type(backbone).__name__}')
        for split, cfg in self.dataset_cfgs.items():
            dataset = DATASETS.build(cfg)
            if len(dataset) == 0:
                raise ConfigError(f'custom_hooks: OnlineProbeHook.{split}_dataset is empty')
            self.datasets[split] = dataset
        if self.at_start:
            self.probe(runner)

    def after_train_epoch(self, runner) -> None:
        """Probe every ``interval`` epochs and after the last."""
        if self.by_epoch and (self.every_n_epochs(runner, self.interval)
                              or self.is_last_train_epoch(runner)):
            self.probe(runner)

    def after_train_iter(self, runner, batch_idx: int, data_batch=None, outputs=None) -> None:
        """Probe every ``interval`` iterations and after the last (``by_epoch=False``)."""
        if not self.by_epoch and (self.every_n_train_iters(runner, self.interval)
                                  or self.is_last_train_iter(runner)):
            self.probe(runner, step=runner.iter + 1)  # the loop counts this one after hooks

    def probe(self, runner, step: int = None) -> dict:
        """Extract, gather, classify and log at ``step`` (default: the iterations done);
        returns the logged numbers."""
        step = runner.iter if step is None else step
        start = time.perf_counter()
        model = self._model(runner)
        was_training = model.training
        model.eval()
        devices = [torch.cuda.current_device()] if torch.cuda.is_available() else []
        with torch.random.fork_rng(devices=devices), torch.no_grad():
            train = self.features(model, self.datasets['train'], 'bank')
            val = self.features(model, self.datasets['val'], 'val')
        model.train(was_training)
        scores = dict(knn_top1=knn_top1(*train, *val, k=self.k, temperature=self.temperature))
        if self.linear_epochs:
            scores['linear_top1'] = linear_top1(*train, *val, epochs=self.linear_epochs)
        scores['probe_seconds'] = time.perf_counter() - start
        runner.visualizer.add_scalars(scores, step=step)
        runner.logger.info(
            f'OnlineProbeHook (epoch {runner.epoch}, iter {step}, {len(train[1])} bank / '
            f'{len(val[1])} val images, {self.feature} features): ' +
            ', '.join(f'{key} {value:.4f}' for key, value in scores.items()))
        return scores

    def features(self, model, dataset, name: str) -> Tuple[torch.Tensor, torch.Tensor]:
        """(N, C) float features and (N,) labels of ``dataset``, gathered from every rank."""
        rank, world = get_rank(), get_world_size()
        per_rank = -(-len(dataset) // world)
        indices = [i * world + rank for i in range(per_rank)]  # past the end: padding
        bar = ProgressBar(per_rank) if rank == 0 and name == 'bank' else None
        feats, labels = [], []
        for start in range(0, per_rank, self.batch_size):
            batch = [min(i, len(dataset) - 1) for i in indices[start:start + self.batch_size]]
            samples = default_collate([dataset[i] for i in batch])
            labels.append(torch.stack([s.gt_label.reshape(()) for s in samples['data_samples']]))
            feats.append(self.encode(model, samples).float().cpu())
            if bar is not None:
                bar.update(len(batch))
        if bar is not None:
            print(flush=True)
        device = get_comm_device()
        gathered = [torch.cat(part).to(device) for part in (feats, labels)]
        if world > 1:  # rank r holds items r, r + W, ...: interleave back to dataset order
            gathered = [torch.stack(all_gather(t), dim=1).flatten(0, 1) for t in gathered]
        return tuple(t[:len(dataset)].cpu() for t in gathered)

    def encode(self, model, samples: dict) -> torch.Tensor:
        """(B, C) features of one collated batch."""
        inputs = model.data_preprocessor(samples, False)['inputs']
        if isinstance(inputs, (list, tuple)):  # multi-view preprocessors: the first view
            inputs = inputs[0]
        out = model.backbone.encode(inputs)
        if self.feature == 'cls' and out.num_leading:
            return out.leading.mean(1)
        return out.visible.mean(1)
