"""Logs MixedAE's TopK sampling accuracy per homologous-attention layer during training."""
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from mimtoolkit.registry import HOOKS
from mimtoolkit.utils import ConfigError, require


@HOOKS.register_module()
class TopKAccuracyHook(Hook):
    """Every ``interval`` iterations, record the TopK keys of each homologous layer.

    The pretrainer then returns ``topk_acc_layer<i>`` (the fraction of each
    patch query's TopK keys that come from its own source image, Fig. 6 of
    MixedAE) with its losses, so the logger writes it beside them (text log,
    ``vis_data/scalars.json``, TensorBoard). Recording keeps one (B, h, N, N)
    bool mask per layer for that iteration only.

    Args:
        interval (int): Iterations between measurements. Defaults to 10.
    """

    priority = 'NORMAL'

    def __init__(self, interval: int = 10) -> None:
        require(isinstance(interval, int) and interval >= 1, 'custom_hooks.interval', interval,
                'an int >= 1')
        self.interval = interval

    @staticmethod
    def _layers(runner):
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        return getattr(model, 'homologous_layers', {})

    def before_train(self, runner) -> None:
        """Refuse a model without homologous attention."""
        if not self._layers(runner):
            raise ConfigError('custom_hooks: TopKAccuracyHook needs a pretrainer with '
                              'homologous (TopK) attention layers (MixedAE); this model has none')

    def before_train_iter(self, runner, batch_idx: int, data_batch=None) -> None:
        """Switch recording on for the measured iterations."""
        record = self.every_n_train_iters(runner, self.interval)
        for attn in self._layers(runner).values():
            attn.record_topk = record

    def after_train_iter(self, runner, batch_idx: int, data_batch=None, outputs=None) -> None:
        """Switch recording off again."""
        for attn in self._layers(runner).values():
            attn.record_topk = False
            attn.last_topk = None
