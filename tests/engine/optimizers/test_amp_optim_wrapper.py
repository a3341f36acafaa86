"""--amp: one autocast wrapper for CPU and CUDA; bf16 without loss scaling, fp16 with a dynamic
scaler whose skips are not NaN stops; losses, HOG in fp32; teachers in the same autocast."""
import pytest
import torch
import torch.nn as nn
from mmengine.logging import MessageHub

from mimtoolkit.engine.optimizers import amp_dtype, bf16_supported
from mimtoolkit.registry import MODELS, OPTIM_WRAPPERS
from mimtoolkit.utils import ConfigError, NonFiniteLossError


def wrapper_for(model, **kwargs):
    return OPTIM_WRAPPERS.build(dict(type='AutoAmpOptimWrapper', **kwargs,
                                     optimizer=torch.optim.SGD(model.parameters(), lr=0.1)))


def test_auto_is_bf16_without_a_scaler_where_the_cpu_has_bf16_units():
    model = nn.Linear(4, 4)
    wrapper = wrapper_for(model, loss_scale='dynamic')  # as the shipped -amp configs say
    expected = torch.bfloat16 if bf16_supported('cpu') else torch.float16
    assert wrapper.cast_dtype == amp_dtype('auto', 'cpu') == expected
    assert (wrapper.loss_scaler is None) == (expected == torch.bfloat16)
    before = model.weight.detach().clone()
    with wrapper.optim_context(model):
        out = model(torch.randn(2, 4))
    assert out.dtype == expected
    wrapper.update_params(out.float().pow(2).mean())
    assert model.weight.dtype == torch.float32 and not torch.equal(model.weight, before)


def test_the_device_is_the_model_s_not_the_host_s(monkeypatch):
    """A model on the CPU of a GPU host autocasts on the CPU (imitated: torch says CUDA is
    there); a model on a device autocast cannot cover is refused in one line."""
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: True)
    model = nn.Linear(4, 4)
    wrapper = wrapper_for(model, dtype='float16')
    assert wrapper.device_type == 'cpu' and wrapper.loss_scaler._device == 'cpu'
    with wrapper.optim_context(model):
        assert model(torch.randn(2, 4)).dtype == torch.float16  # CPU autocast
    with pytest.raises(ConfigError, match="a model on 'cuda' or 'cpu'"):
        wrapper_for(nn.Linear(4, 4, device='meta'))


def test_fp16_overflow_is_a_scaler_skip_not_a_nan_stop_and_the_scale_is_saved():
    MessageHub.get_instance('amp_test')  # a fresh current hub
    model = nn.Linear(4, 4)
    wrapper = wrapper_for(model, dtype='float16', loss_scale=dict(init_scale=2.0**120),
                          clip_grad=dict(max_norm=1.0))
    before = model.weight.detach().clone()
    with wrapper.optim_context(model):
        loss = model(torch.randn(2, 4)).float().pow(2).mean()
    assert torch.isfinite(loss)
    wrapper.update_params(loss)  # loss x 2^120 overflows the gradients: skipped, not stopped
    assert torch.equal(model.weight, before)
    assert wrapper.loss_scaler.get_scale() == 2.0**119
    assert MessageHub.get_current_instance().get_info('amp_skipped_steps') == 1
    wrapper.loss_scaler.update(2.0**8)
    with wrapper.optim_context(model):
        loss = model(torch.randn(2, 4)).float().pow(2).mean()
    wrapper.update_params(loss)
    assert not torch.equal(model.weight, before)  # a normal scale updates
    state = wrapper.state_dict()
    assert state['loss_scaler']['scale'] == wrapper.loss_scaler.get_scale()
    again = wrapper_for(model, dtype='float16')
    again.load_state_dict(state)
    assert again.loss_scaler.get_scale() == wrapper.loss_scaler.get_scale()
    wrapper_for(model, dtype='bfloat16').load_state_dict(state)  # bf16 drops the fp16 scale


def test_a_nan_loss_under_fp16_still_stops_the_run():
    model = nn.Linear(4, 4)
    wrapper = wrapper_for(model, dtype='float16')
    with pytest.raises(NonFiniteLossError, match='non-finite loss'):
        wrapper.update_params(model(torch.randn(2, 4)).sum() * float('nan'))


@pytest.mark.parametrize('kwargs,key', [(dict(dtype='int8'), 'optim_wrapper.dtype'),
                                        (dict(loss_scale=-1), 'optim_wrapper.loss_scale')])
def test_bad_arguments_name_the_key(kwargs, key):
    with pytest.raises(ConfigError, match=key):
        wrapper_for(nn.Linear(1, 1), **kwargs)


LOSS_CALLS = {
    'PixelReconstructionLoss': lambda: (torch.randn(2, 6, 12), torch.randn(2, 6, 12),
                                        torch.randint(0, 2, (2, 6)).float()),
    'FeatureRegressionLoss': lambda: (torch.randn(2, 6, 12), torch.randn(2, 6, 12), None),
    'SupervisedContrastiveLoss': lambda: (torch.randn(2, 6, 32), torch.randint(0, 2, (2, 6))),
    'TokenCrossEntropyLoss': lambda: (torch.randn(9, 50), torch.randint(0, 50, (9, ))),
}


@pytest.mark.parametrize('name', LOSS_CALLS)
def test_every_loss_computes_in_fp32_under_autocast(name):
    loss = MODELS.build(dict(type=name))
    args = LOSS_CALLS[name]()
    low = [a.bfloat16() if a is not None and a.is_floating_point() else a for a in args]
    exact = loss(*[a.float() if a is not None and a.is_floating_point() else a for a in low])
    with torch.autocast('cpu', dtype=torch.bfloat16):
        value = loss(*low)
    assert value.dtype == torch.float32
    # what fp32 arithmetic gives on the same (bf16) inputs: nothing inside rounded to bf16
    assert value.item() == pytest.approx(exact.item(), rel=1e-6)


def test_hog_targets_stay_fp32_and_a_frozen_teacher_runs_in_the_autocast(mae_checkpoint):
    from mimtoolkit.parts.tiny_examples import tiny_imae_cfg
    hog = MODELS.build(dict(type='PatchHOGGenerator', patch_size=16, gaussian_window=0))
    images = torch.rand(2, 3, 32, 32)
    with torch.autocast('cpu', dtype=torch.bfloat16):
        features = hog(images)
    assert features.dtype == torch.float32 and torch.allclose(features, hog(images))

    imae = MODELS.build(tiny_imae_cfg(teacher_checkpoint=mae_checkpoint[0]))
    imae.init_weights()
    seen = []  # the dtype every linear layer of the teacher computed in
    for layer in imae.distill_head.teacher.modules():
        if isinstance(layer, nn.Linear):
            layer.register_forward_hook(lambda module, args, out: seen.append(out.dtype))
    wrapper = wrapper_for(imae, dtype='bfloat16')
    with wrapper.optim_context(imae):
        losses = imae.loss(torch.rand(4, 3, 32, 32), None)
    assert seen and set(seen) == {torch.bfloat16}
    assert losses and all(v.dtype == torch.float32 for v in losses.values())
