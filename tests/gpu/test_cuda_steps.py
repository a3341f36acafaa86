"""The GPU lane (``make test-gpu``), in-process part: AMP on CUDA, host syncs, homologous
attention in SDPA's memory-efficient kernel, generator states through a CUDA checkpoint,
RoIAlign under bf16 with mmcv's CUDA kernels. Skipped with the reason where torch sees no GPU."""
import io

import pytest
import torch
from mmengine.logging import MessageHub
from mmpretrain.structures import DataSample

from mimtoolkit.registry import MODELS, OPTIM_WRAPPERS
from ..conftest import tiny_mae_cfg

pytestmark = pytest.mark.cuda


def cuda_mae():
    model = MODELS.build(tiny_mae_cfg()).cuda()
    model.init_weights()
    return model


def batch():
    return dict(inputs=(torch.rand(4, 3, 32, 32) * 255).cuda(),
                data_samples=[DataSample() for _ in range(4)])


@pytest.mark.parametrize('dtype', ['bfloat16', 'float16'])
def test_amp_on_cuda_trains_with_fp32_losses(dtype):
    MessageHub.get_instance(f'cuda-amp-{dtype}')
    model = cuda_mae()
    wrapper = OPTIM_WRAPPERS.build(dict(type='AutoAmpOptimWrapper', dtype=dtype,
                                        optimizer=torch.optim.AdamW(model.parameters(), 1e-3)))
    assert wrapper.device_type == 'cuda' and (wrapper.loss_scaler is None) == (dtype ==
                                                                               'bfloat16')
    before = [p.detach().clone() for p in model.parameters()]
    with wrapper.optim_context(model):
        losses = model.loss(model.data_preprocessor(batch(), True)['inputs'], None)
    assert all(v.dtype == torch.float32 and torch.isfinite(v) for v in losses.values())
    wrapper.update_params(sum(losses.values()))
    assert any(not torch.equal(p, b) for p, b in zip(model.parameters(), before))


def test_fp16_overflow_on_cuda_is_a_counted_skip():
    hub = MessageHub.get_instance('cuda-amp-overflow')
    model = cuda_mae()
    wrapper = OPTIM_WRAPPERS.build(dict(
        type='AutoAmpOptimWrapper', dtype='float16', loss_scale=dict(init_scale=2.0**120),
        optimizer=torch.optim.SGD(model.parameters(), 0.1)))
    before = [p.detach().clone() for p in model.parameters()]
    model.train_step(batch(), wrapper)
    assert all(torch.equal(p, b) for p, b in zip(model.parameters(), before))
    assert int(hub.get_info('amp_skipped_steps')) == 1 and wrapper.loss_scaler.get_scale() < 2**120


def test_a_step_without_the_guard_never_waits_for_the_gpu():
    model = cuda_mae()
    wrapper = OPTIM_WRAPPERS.build(dict(
        type='AutoAmpOptimWrapper', dtype='bfloat16', nonfinite_loss='off',
        optimizer=torch.optim.AdamW(model.parameters(), 1e-3, fused=True)))
    data = batch()
    model.train_step(data, wrapper)
    torch.cuda.synchronize()
    before = [p.detach().clone() for p in model.parameters()]
    torch.cuda.set_sync_debug_mode('error')  # any host sync in the step raises
    try:
        assert torch.cuda.get_sync_debug_mode() == 2
        model.train_step(data, wrapper)
    finally:
        torch.cuda.set_sync_debug_mode('default')
    assert any(not torch.equal(p, b) for p, b in zip(model.parameters(), before))  # it stepped


def test_homologous_attention_keeps_k_keys_in_the_efficient_kernel():
    from torch.nn.attention import SDPBackend, sdpa_kernel
    attn = MODELS.build(dict(type='HomologousAttention', embed_dims=64, num_heads=4,
                             k_ratio=0.25)).cuda()
    x = torch.randn(2, 197, 64, device='cuda')
    with torch.autocast('cuda', dtype=torch.bfloat16):
        q = k = torch.randn(2, 4, 197, 16, device='cuda', dtype=torch.bfloat16)
        assert (attn.topk_mask(q, k).sum(-1) == attn.num_keys(197)).all()
        with sdpa_kernel([SDPBackend.EFFICIENT_ATTENTION]):  # refuses an unaligned mask
            out = attn(x)
    assert out.shape == x.shape and torch.isfinite(out).all()
    dense = MODELS.build(dict(type='DenseAttention', embed_dims=64, num_heads=4)).cuda()
    dense.load_state_dict(attn.state_dict())
    attn.k_ratio = 1.0
    torch.testing.assert_close(attn(x), dense(x), rtol=1e-4, atol=1e-5)


def test_generator_states_loaded_onto_the_gpu_restore_the_cuda_draws():
    from mmengine.logging import MMLogger

    from mimtoolkit.engine.hooks import RandomStateHook

    class Resuming:
        _resume = True
        logger = MMLogger.get_instance('cuda-random-state')
    torch.rand(1, device='cuda')
    checkpoint = {}
    RandomStateHook().before_save_checkpoint(Resuming(), checkpoint)
    buffer = io.BytesIO()
    torch.save(checkpoint, buffer)
    buffer.seek(0)
    expected = torch.rand(4, device='cuda')
    loaded = torch.load(buffer, map_location='cuda', weights_only=True)  # as mmengine resumes
    RandomStateHook().after_load_checkpoint(Resuming(), loaded)
    assert torch.equal(torch.rand(4, device='cuda'), expected)


def test_roi_pooling_under_bf16_autocast_runs_mmcv_s_cuda_kernel():
    from mmcv.ops import get_compiling_cuda_version
    if get_compiling_cuda_version() == 'not available':
        pytest.skip("mmcv's ops were built without CUDA (tools/gpu/run_lane.sh builds them)")
    extractor = MODELS.build(dict(
        type='FP32SingleRoIExtractor', out_channels=8, featmap_strides=[4, 8],
        roi_layer=dict(type='RoIAlign', output_size=7, sampling_ratio=0))).cuda()
    feats = tuple(torch.randn(1, 8, s, s, device='cuda') for s in (32, 16))
    rois = torch.tensor([[0, 4., 4., 60., 60.], [0, 10., 20., 30., 50.]], device='cuda')
    exact = extractor(feats, rois)
    with torch.autocast('cuda', dtype=torch.bfloat16):
        pooled = extractor(tuple(f.bfloat16() for f in feats), rois.bfloat16())
    assert pooled.dtype == torch.float32
    torch.testing.assert_close(pooled, exact, rtol=2e-2, atol=2e-2)  # bf16 inputs
