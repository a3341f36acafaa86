"""Writes the reconstruction figure during training."""
from typing import Optional

from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from mimtoolkit.registry import HOOKS
from mimtoolkit.utils import ConfigError, require
from mimtoolkit.visualization import render_reconstructions


@HOOKS.register_module()
class ReconstructionVisHook(Hook):
    """Every ``interval`` iterations (and after training), draw reconstructions.

    Uses the first ``num_images`` images of the current training batch and
    titles the figure with the iteration and that batch's loss, and
    writes through the runner's Visualizer (``vis_data/vis_image/*.png`` with
    ``LocalVisBackend``; TensorBoard with ``TensorboardVisBackend``). Does not
    change the random state of training. Iterations it does not draw on cost
    no host sync (the loss is read only when a figure is drawn).

    Args:
        interval (int): Iterations between figures. Defaults to 100.
        num_images (int): Rows of the figure. Defaults to 4.
    """

    priority = 'LOW'

    def __init__(self, interval: int = 100, num_images: int = 4) -> None:
        require(isinstance(interval, int) and interval >= 1, 'custom_hooks.interval', interval,
                'an int >= 1')
        require(isinstance(num_images, int) and num_images >= 1, 'custom_hooks.num_images',
                num_images, 'an int >= 1')
        self.interval = interval
        self.num_images = num_images
        self._last_batch: Optional[dict] = None
        self._last_loss = None

    @staticmethod
    def _model(runner):
        return runner.model.module if is_model_wrapper(runner.model) else runner.model

    def before_train(self, runner) -> None:
        """Refuse models that cannot reconstruct pixels."""
        model = self._model(runner)
        if not hasattr(model, 'reconstruct'):
            raise ConfigError(f'custom_hooks: ReconstructionVisHook needs a pretrainer with pixel '
                              f'reconstruction (e.g. MAE); {type(model).__name__} has none')

    def _draw(self, runner, data_batch: dict, step: int) -> None:
        model = self._model(runner)
        data = model.data_preprocessor(data_batch, False)
        loss = f', loss {float(self._last_loss):.4f}' if self._last_loss is not None else ''
        title = f'iteration {step}{loss} (training batch)'
        figure = render_reconstructions(model, data['inputs'][:self.num_images], title=title)
        runner.visualizer.add_image('reconstruction', figure, step=step)

    def after_train_iter(self, runner, batch_idx: int, data_batch=None, outputs=None) -> None:
        """Draw every ``interval`` iterations."""
        self._last_batch = data_batch
        loss = (outputs or {}).get('loss')
        self._last_loss = None if loss is None else loss.detach()  # read (a sync) when drawn
        if self.every_n_train_iters(runner, self.interval):
            self._draw(runner, data_batch, runner.iter + 1)

    def after_train(self, runner) -> None:
        """Draw the final state (unless the last iteration just did)."""
        if self._last_batch is not None and not self.every_n_train_iters(runner, self.interval):
            self._draw(runner, self._last_batch, runner.iter)
