"""SemanticMIM's proxy tokens and block: who sees whom, what transfers, what each branch
computes."""
import pytest
import torch
from mmpretrain.models.utils import MultiheadAttention

from mimtoolkit.models.layers import ProxyCrossAttention
from mimtoolkit.registry import MODELS
from mimtoolkit.utils import ConfigError
from ...conftest import TINY_ARCH, tiny_maskfeat_cfg


def proxy_vit(num_proxy_tokens=4, **kwargs):
    cfg = dict(type='MIMViT', arch=TINY_ARCH, img_size=32, patch_size=8, use_mask_token=True,
               num_proxy_tokens=num_proxy_tokens)
    model = MODELS.build(dict(cfg, **kwargs))
    model.init_weights()
    return model


def masker(ratio=0.6):
    return MODELS.build(dict(type='RandomMasker', mask_ratio=ratio))


def leaf_hook(module, store, index):
    """Replace the ``index``-th input (or the output, index=None) of ``module`` by a leaf."""
    def pre(m, args):
        args = list(args)
        store['leaf'] = args[index].detach().requires_grad_()
        args[index] = store['leaf']
        return tuple(args)

    def post(m, args, out):
        tokens, hw = out
        store['leaf'] = tokens.detach().requires_grad_()
        return store['leaf'], hw
    if index is None:
        return module.register_forward_hook(post)
    return module.register_forward_pre_hook(pre)


def test_img_outputs_never_depend_on_mask_inputs():
    model = proxy_vit()
    info = masker()(2, (4, 4), 'cpu')
    store = {}
    leaf_hook(model.mask_layers[0], store, 1)  # the [MASK] tokens entering the branch
    out = model.encode(torch.randn(2, 3, 32, 32), info)
    img_side = out.leading_and_visible()  # proxies + visible patches
    grad, = torch.autograd.grad((img_side * torch.randn_like(img_side)).sum(), store['leaf'],
                                allow_unused=True, retain_graph=True)
    assert grad is None or torch.all(grad == 0)
    masked_out = out.masked
    grad, = torch.autograd.grad(masked_out.sum(), store['leaf'])
    assert torch.all(grad.abs().sum(-1) > 0)  # every [MASK] output depends on [MASK] inputs


@pytest.mark.parametrize('cut_proxies', [False, True])
def test_mask_outputs_see_img_inputs_only_through_the_proxies(cut_proxies):
    model = proxy_vit()
    info = masker()(2, (4, 4), 'cpu')
    store = {}
    leaf_hook(model.patch_embed, store, None)  # the [IMG] inputs (patch embeddings)
    if cut_proxies:
        for layer in model.mask_layers:
            forward = layer.forward
            layer.forward = lambda p, m, f=forward: f(p.detach(), m)
    out = model.encode(torch.randn(2, 3, 32, 32), info)
    masked_out = out.every_patch()[info.mask.bool()]
    grad, = torch.autograd.grad(masked_out.sum(), store['leaf'], allow_unused=True)
    if cut_proxies:
        assert grad is None or torch.all(grad == 0)
    else:
        visible = ~info.mask.bool()
        assert torch.all(grad[visible].abs().sum(-1) > 0)
        assert torch.all(grad[~visible] == 0)  # masked patches' pixels are never read


def test_the_transferred_backbone_is_the_plain_vit_plus_the_proxy_tokens():
    plain = MODELS.build(dict(type='MIMViT', arch=TINY_ARCH, img_size=32, patch_size=8))
    transfer = proxy_vit(num_proxy_tokens=8, proxy_block=None, use_mask_token=False)
    plain_params = {k: v.shape for k, v in plain.named_parameters()}
    params = {k: v.shape for k, v in transfer.named_parameters()}
    assert set(params) - set(plain_params) == {'proxy_tokens'}
    assert params['proxy_tokens'] == (1, 7, 32)  # [CLS] is the first of the 8 proxies
    assert all(params[k] == s for k, s in plain_params.items())
    pretrain = proxy_vit(num_proxy_tokens=8)
    missing, unexpected = transfer.load_state_dict(pretrain.state_dict(), strict=False)
    assert not missing
    assert {k.split('.')[0] for k in unexpected} == {'mask_layers', 'mask_token'}


def test_unmasked_forward_reads_the_mean_of_the_proxies_or_the_first():
    x = torch.randn(2, 3, 32, 32)
    model = proxy_vit(proxy_block=None, out_type='cls_token', out_indices=[0, 1])
    assert model.proxy_readout == 'mean'  # the official readout, the default
    cls0, cls1 = model(x)
    encoded = model.encode(x, return_layers=(0, 1))
    last = model.ln1(encoded.hidden_states[1])
    assert torch.allclose(cls1, model.ln2(last[:, :4].mean(1)), atol=1e-6)
    assert torch.allclose(cls0, model.ln2(encoded.hidden_states[0][:, :4].mean(1)), atol=1e-6)
    assert model.new_in_transfer == ('ln2.', )  # the readout's norm is fresh in transfer
    first = proxy_vit(proxy_block=None, out_type='cls_token', out_indices=[1],
                      proxy_readout='first')
    first.load_state_dict(model.state_dict(), strict=False)
    assert torch.allclose(first(x)[0], last[:, 0], atol=1e-6)
    raw = proxy_vit(proxy_block=None, out_indices=[1])
    raw.load_state_dict(model.state_dict(), strict=False)
    (tokens, ) = raw(x)
    assert tokens.shape == (2, 17, 32)  # the readout in the [CLS] slot, then the patches
    assert torch.allclose(tokens[:, 0], last[:, :4].mean(1), atol=1e-6)
    raw.out_type = 'featmap'
    assert raw(x)[-1].shape == (2, 32, 4, 4)
    with pytest.raises(ConfigError, match="backbone.proxy_readout='max'"):
        proxy_vit(proxy_readout='max')


def test_cross_attention_equals_self_attention_rows_of_the_queries():
    dense = MultiheadAttention(embed_dims=32, num_heads=2)
    cross = ProxyCrossAttention(embed_dims=32, num_heads=2)
    cross.load_state_dict(dense.state_dict())
    x = torch.randn(2, 9, 32)
    assert torch.allclose(cross(x, 3), dense(x)[:, 3:], atol=1e-6)


def test_maskfeat_with_proxies_puts_its_loss_on_the_mask_outputs_only():
    cfg = tiny_maskfeat_cfg()
    cfg['backbone'] = dict(cfg['backbone'], num_proxy_tokens=4)
    cfg['masker'] = dict(type='RandomMasker', mask_ratio=0.6)
    model = MODELS.build(cfg)
    model.init_weights()
    outputs = []
    model.backbone.ln1.register_forward_hook(lambda m, a, out: outputs.append(out))
    model.backbone.ln1.register_forward_hook(lambda m, a, out: out.retain_grad())
    loss = model.loss(torch.randn(2, 3, 32, 32), None)['loss_hog']
    loss.backward()
    img, masks = outputs  # one final norm for both branches (the official bottleneck ViTs)
    assert torch.all(img.grad == 0)  # neither proxies nor visible [IMG] get a loss
    assert masks.grad.abs().sum() > 0
    assert model.backbone.ln1.weight.grad.abs().sum() > 0  # the transferred norm is trained
    assert not hasattr(model.backbone, 'mask_norm')
    assert model.backbone.layers[0].attn.qkv.weight.grad.abs().sum() > 0  # ...but learn
    assert model.backbone.proxy_tokens.grad.abs().sum() > 0  # through the [MASK] branch


def test_a_checkpoint_with_the_earlier_separate_mask_norm_is_one_clear_error():
    model = proxy_vit()
    old = dict(model.state_dict(), **{'mask_norm.weight': torch.ones(32),
                                      'mask_norm.bias': torch.zeros(32)})
    with pytest.raises(ConfigError, match='separate final norm of the \\[MASK\\] branch'):
        model.load_state_dict(old)


def test_bad_proxy_settings_are_clear_errors():
    with pytest.raises(ConfigError, match='backbone.num_proxy_tokens=-1'):
        proxy_vit(num_proxy_tokens=-1)


@pytest.mark.parametrize('make_cfg', ['imae', 'mixedae'])
def test_pretrainers_that_cannot_read_the_branch_say_so(make_cfg):
    from ...conftest import tiny_imae_cfg, tiny_mixedae_cfg
    cfg = tiny_imae_cfg() if make_cfg == 'imae' else tiny_mixedae_cfg()
    cfg['backbone'] = dict(cfg['backbone'], num_proxy_tokens=4)
    with pytest.raises(ConfigError, match="model.backbone.type='ProxyViT' is invalid: expected "
                       'an encoder that drops the masked patches for (IMAE|MixedAE)'):
        MODELS.build(cfg)
    cfg['backbone'].update(proxy_block=None)  # the transferred backbone: no [MASK] branch
    MODELS.build(cfg)


def test_mrmae_mimics_the_visible_tokens_of_a_proxy_encoder(tmp_path):
    import timm
    from ...conftest import tiny_mae_cfg
    teacher = timm.create_model('vit_base_patch16_224', pretrained=False, num_classes=0,
                                embed_dim=48, depth=1, num_heads=2, img_size=32)
    torch.save(teacher.state_dict(), str(tmp_path / 't.pth'))
    cfg = dict(tiny_mae_cfg(mask_ratio=0.6), aux_heads=[dict(
        type='MimicHead', in_channels=32, teacher=dict(
            type='DINOTeacher', checkpoint=str(tmp_path / 't.pth'),
            model_kwargs=dict(embed_dim=48, depth=1, num_heads=2, img_size=32)))])
    cfg['backbone'] = dict(cfg['backbone'], num_proxy_tokens=4)
    cfg['neck'] = dict(type='LinearPatchDecoder', in_channels=32, patch_size=8)
    model = MODELS.build(cfg)
    model.init_weights()
    losses = model.loss(torch.randn(2, 3, 32, 32), None)
    assert set(losses) == {'loss_mimic', 'loss_rec'}


def test_mimvit_with_proxies_is_the_proxy_variant_whichever_name_the_config_uses():
    from mimtoolkit.models.backbones import MIMViT, ProxyViT
    torch.manual_seed(0)
    by_switch = proxy_vit()
    torch.manual_seed(0)
    by_name = proxy_vit(type='ProxyViT')
    assert type(by_switch) is ProxyViT and type(by_name) is ProxyViT
    assert type(proxy_vit(num_proxy_tokens=0)) is MIMViT  # a baseline over a proxy config
    state = by_switch.state_dict()
    assert list(state) == list(by_name.state_dict())  # the same parameters, same names
    by_name.load_state_dict(state)
    x, info = torch.randn(2, 3, 32, 32), masker()(2, (4, 4), 'cpu')
    a, b = by_switch.encode(x, info), by_name.encode(x, info)
    assert torch.equal(a.masked, b.masked) and torch.equal(a.visible, b.visible)
    with pytest.raises(ConfigError, match="backbone.num_proxy_tokens=0 is invalid: expected an "
                       "int >= 1 \\(no proxies: type='MIMViT'\\)"):
        proxy_vit(type='ProxyViT', num_proxy_tokens=0)
