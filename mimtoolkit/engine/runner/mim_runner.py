"""MIMRunner: mmengine's Runner with whole-or-absent checkpoints and clear dataset errors."""
import os
import os.path as osp
from typing import Dict, Optional, Union

from mmengine.config import Config
from mmengine.dist import master_only
from mmengine.runner import Runner
from torch.utils.data import DataLoader

from mimtoolkit.utils import ConfigError
from ..hooks.random_state_hook import gather_random_states
from .compile_blocks import compile_blocks
from .device_augment_check import check_device_augment
from .text_cached_config import TextCachedConfig

SHARD_SAMPLERS = ('ShardSampler', 'mimtoolkit.ShardSampler')


class MIMRunner(Runner):
    """The Runner ``tools/train.py`` uses unless a config names a ``runner_type``.

    - ``save_checkpoint``, called by every rank, gathers the ranks' random
      generator states for :class:`~mimtoolkit.engine.hooks.RandomStateHook`,
      then the main process writes ``NAME.part`` and renames it (``os.replace``,
      atomic on POSIX): mmengine writes in place, so a process killed
      mid-write would leave a truncated ``epoch_N.pth``; here
      ``last_checkpoint`` and ``--resume`` only ever see whole files. Remote
      (non-local) work dirs are written as mmengine does.
    - ``build_dataloader`` turns a dataset that cannot be built (a data root
      that does not exist, a folder without images) or that is empty into one
      :class:`~mimtoolkit.utils.ConfigError` naming the dataset and its root,
      and gives a ``ShardSampler`` the loader's ``batch_size`` and
      ``num_workers`` (it lays batches out per worker) unless set.
    - ``scale_lr`` (``auto_scale_lr``) counts the batch of one optimizer
      update: GPUs x per-GPU batch x ``optim_wrapper.accumulative_counts``
      (mmengine leaves accumulation out, so ``--auto-scale-lr --accumulate k``
      would scale the lr k times too little).
    - ``from_cfg`` refuses a ``Deferred*`` pipeline without ``pseudo_collate``
      and ``DeviceAugmentDataPreprocessor`` (:func:`check_device_augment`).
    - ``compile=True`` (``tools/train.py --compile``) compiles the model
      block by block (:func:`compile_blocks`) instead of mmengine's whole
      ``train_step``.
    - its ``cfg`` formats its text once (:class:`TextCachedConfig`), not at every
      checkpoint save.
    - ``randomness.deterministic=True`` also sets ``CUBLAS_WORKSPACE_CONFIG``
      (``:4096:8`` unless set): under ``torch.use_deterministic_algorithms``
      cuBLAS refuses to run without it, so mmengine's switch alone stops a
      GPU run at its first matrix product.
    """

    def __init__(self, *args, **kwargs) -> None:
        cfg = kwargs.get('cfg')
        if isinstance(cfg, Config):  # yapf formats its text once, not at every checkpoint
            kwargs['cfg'] = TextCachedConfig.of(cfg)
        super().__init__(*args, **kwargs)

    def set_randomness(self, seed, diff_rank_seed: bool = False,
                       deterministic: bool = False) -> None:
        """mmengine's, with cuBLAS's workspace setting when ``deterministic``."""
        if deterministic:
            os.environ.setdefault('CUBLAS_WORKSPACE_CONFIG', ':4096:8')
        super().set_randomness(seed, diff_rank_seed, deterministic)

    @classmethod
    def from_cfg(cls, cfg) -> 'MIMRunner':
        """mmengine's, after the start-up checks of the class docstring."""
        check_device_augment(cfg)
        return super().from_cfg(cfg)

    def _maybe_compile(self, target: str) -> None:
        """Compile the model's blocks per ``cfg.compile`` (True or torch.compile arguments)."""
        compile_cfg = self.cfg.get('compile')
        if compile_cfg is None or compile_cfg is False:
            return
        from mmengine.model import is_model_wrapper
        model = self.model.module if is_model_wrapper(self.model) else self.model
        count = compile_blocks(model, compile_cfg)
        self.logger.info(f'compile: torch.compile on each of {count} blocks (encoder, decoder, '
                         'teachers); the first iterations are slow')

    def accumulative_counts(self, optim_wrapper) -> int:
        """k of ``optim_wrapper.accumulative_counts`` (one value for every optimizer)."""
        wrappers = optim_wrapper.values() if hasattr(optim_wrapper, 'values') else [optim_wrapper]
        counts = {getattr(w, '_accumulative_counts', 1) for w in wrappers}
        if len(counts) > 1:
            raise ConfigError(f'optim_wrapper accumulative_counts={sorted(counts)} is invalid: '
                              'expected one value for every optimizer')
        return counts.pop()

    def _build_param_scheduler(self, scheduler, optim_wrapper):
        """mmengine's, with iteration counts in optimizer updates when accumulating.

        An epoch-based scheduler converted to iterations gets an epoch length
        of N / k updates, and a scheduler without ``end`` ends at the last
        update, matching :class:`UpdateParamSchedulerHook`, which steps them
        once per update.
        """
        k = self.accumulative_counts(optim_wrapper)
        if k == 1:
            return super()._build_param_scheduler(scheduler, optim_wrapper)
        schedulers = scheduler if isinstance(scheduler, (list, tuple)) else [scheduler]
        updates_per_epoch = len(self.train_dataloader) / k
        in_updates = []
        for cfg in schedulers:
            if isinstance(cfg, dict):
                cfg = dict(cfg, epoch_length=updates_per_epoch)
                if not cfg.get('by_epoch', True):
                    cfg.setdefault('end', self.max_iters // k)
            in_updates.append(cfg)
        return super()._build_param_scheduler(in_updates, optim_wrapper)

    def scale_lr(self, optim_wrapper, auto_scale_lr: Optional[Dict] = None) -> None:
        """mmengine's linear lr scaling, with the accumulated batch (see the class docstring)."""
        k = self.accumulative_counts(optim_wrapper)
        if auto_scale_lr is None or not auto_scale_lr.get('enable', False) or k == 1:
            return super().scale_lr(optim_wrapper, auto_scale_lr)
        base = dict(auto_scale_lr, base_batch_size=auto_scale_lr['base_batch_size'] / k)
        return super().scale_lr(optim_wrapper, base)

    def save_checkpoint(self, out_dir: str, filename: str, *args, **kwargs) -> None:
        """Gather every rank's random generators, then save on the main process.

        Every rank calls it (mmengine's ``CheckpointHook`` does), so the ranks'
        generator states are gathered here for :class:`RandomStateHook`
        (``rank_random_states``) before the main process writes the file.
        """
        self.rank_random_states = gather_random_states()
        try:
            self._write_checkpoint(out_dir, filename, *args, **kwargs)
        finally:
            self.rank_random_states = None

    @master_only
    def _write_checkpoint(self, out_dir: str, filename: str, *args, **kwargs) -> None:
        """Save as mmengine does, through a temporary file (see the class docstring)."""
        if not osp.isdir(out_dir):  # a remote backend: no rename
            return super().save_checkpoint(out_dir, filename, *args, **kwargs)
        partial = f'{filename}.part'
        super().save_checkpoint(out_dir, partial, *args, **kwargs)
        os.replace(osp.join(out_dir, partial), osp.join(out_dir, filename))

    @staticmethod
    def build_dataloader(dataloader: Union[DataLoader, Dict], seed: Optional[int] = None,
                         diff_rank_seed: bool = False) -> DataLoader:
        """mmengine's dataloader, refusing a dataset that cannot be built or is empty."""
        if isinstance(dataloader, DataLoader):
            return dataloader
        sampler = dataloader.get('sampler')
        if isinstance(sampler, dict) and sampler.get('type') in SHARD_SAMPLERS:
            dataloader = dict(dataloader, sampler=dict(
                dict(batch_size=dataloader.get('batch_size', 1),
                     num_workers=dataloader.get('num_workers', 0)), **sampler))
        dataset = dataloader.get('dataset', {})
        where = (f"dataset type={dataset.get('type')!r} data_root={dataset.get('data_root')!r}"
                 if isinstance(dataset, dict) else f'dataset {type(dataset).__name__}')
        try:
            loader = Runner.build_dataloader(dataloader, seed, diff_rank_seed)
        except (OSError, RuntimeError) as err:
            raise ConfigError(f'{where} is invalid: {str(err).splitlines()[0][:300]}') from None
        if len(loader.dataset) == 0:
            raise ConfigError(f'{where} is invalid: it has no samples; expected at least one '
                              '(check data_root, ann_file and data_prefix)')
        return loader
