"""A NaN/inf loss never reaches the weights: the guard stops the run or skips the step."""
import pytest
import torch
from mmengine.logging import MessageHub
from mmpretrain.structures import DataSample

from mimtoolkit.registry import MODELS, OPTIM_WRAPPERS
from mimtoolkit.utils import ConfigError, NonFiniteLossError
from ...conftest import tiny_mae_cfg


def step(model, wrapper, poison: bool):
    images = [torch.rand(3, 32, 32) * 255 for _ in range(2)]
    if poison:
        images[1][0, 3, 3] = float('nan')
    data = dict(inputs=torch.stack(images), data_samples=[DataSample() for _ in images])
    return model.train_step(data, wrapper)


def setup(policy: str):
    model = MODELS.build(tiny_mae_cfg())
    model.init_weights()
    wrapper = OPTIM_WRAPPERS.build(dict(type='GuardedOptimWrapper', nonfinite_loss=policy,
                                        optimizer=torch.optim.AdamW(model.parameters(), 1e-3)))
    hub = MessageHub.get_instance('nonfinite-test')
    hub.update_info('iter', 6)
    return model, wrapper, hub, {k: v.clone() for k, v in model.state_dict().items()}


def unchanged(model, before) -> bool:
    return all(torch.equal(v, before[k]) for k, v in model.state_dict().items())


def test_stop_names_the_iteration_and_the_loss_and_leaves_the_weights():
    model, wrapper, _, before = setup('stop')
    with pytest.raises(NonFiniteLossError, match=r'non-finite loss at iteration 7: loss_rec; '
                                                 r'stopped before updating the weights'):
        step(model, wrapper, poison=True)
    assert unchanged(model, before)
    assert all(s == {} for s in wrapper.optimizer.state.values())  # no Adam moments either


def test_skip_drops_the_step_counts_it_and_training_goes_on():
    model, wrapper, hub, before = setup('skip')
    step(model, wrapper, poison=True)
    assert unchanged(model, before) and hub.get_info('skipped_nonfinite_steps') == 1
    assert all(p.grad is None or not p.grad.any() for p in model.parameters())
    log_vars = step(model, wrapper, poison=False)
    assert torch.isfinite(torch.tensor(log_vars['loss'])) and not unchanged(model, before)


def test_the_policy_is_checked():
    with pytest.raises(ConfigError, match=r"optim_wrapper.nonfinite_loss='ignore' is invalid"):
        OPTIM_WRAPPERS.build(dict(type='GuardedOptimWrapper', nonfinite_loss='ignore',
                                  optimizer=torch.optim.SGD([torch.nn.Parameter(torch.ones(1))],
                                                            0.1)))
