"""BEiT: mmpretrain's tokenizers (randomly initialised, saved in their own formats) as targets."""
import pytest
import torch
import torch.nn.functional as F
from mmpretrain.models.selfsup.beit import VQKD
from mmpretrain.models.selfsup.cae import DALLEEncoder

from mimtoolkit.models.targets.visual_tokenizers import vqkd_encoder_config
from mimtoolkit.registry import MODELS
from mimtoolkit.utils import ConfigError
from ...conftest import tiny_mae_cfg, tiny_maskfeat_cfg

SMALL_DALLE = dict(n_hid=16, n_blk_per_group=1, vocab_size=64)
SMALL_VQKD_ENCODER = dict(arch=dict(embed_dims=32, num_layers=1, num_heads=2,
                                    feedforward_channels=64), img_size=32, patch_size=8)


@pytest.fixture
def dalle_path(tmp_path):
    torch.manual_seed(1)
    path = str(tmp_path / 'dalle_encoder.pth')
    torch.save(DALLEEncoder(**SMALL_DALLE).state_dict(), path)
    return path


def student_stats():
    return torch.tensor([127.5] * 3), torch.tensor([64.0] * 3)


def test_dalle_tokenizer_gives_the_dvae_argmax_on_the_students_grid(dalle_path):
    tokenizer = MODELS.build(dict(type='DALLETokenizer', checkpoint=dalle_path, **SMALL_DALLE))
    tokenizer.adopt_input_normalization(*student_stats())
    x = torch.randn(2, 3, 64, 64)  # a student with patch 16 on 64 px: a 4x4 grid
    ids = tokenizer(x, (4, 4))
    assert ids.shape == (2, 16) and ids.dtype == torch.long
    assert int(ids.min()) >= 0 and int(ids.max()) < 64
    reference = DALLEEncoder(**SMALL_DALLE)
    reference.load_state_dict(torch.load(dalle_path, weights_only=True))
    pixels = x * 64 + 127.5
    small = F.interpolate((pixels + 31.875) / 318.75, size=(32, 32), mode='bilinear',
                          align_corners=False, antialias=True)  # 8 px per token
    with torch.no_grad():
        expected = reference(small).argmax(1).flatten(1)
    assert torch.equal(ids, expected)


def test_vqkd_tokenizer_matches_mmpretrains_tokens_and_keeps_its_codebook(tmp_path):
    torch.manual_seed(0)
    vqkd = VQKD(encoder_config=vqkd_encoder_config(SMALL_VQKD_ENCODER), num_embed=64,
                embed_dims=8)
    path = str(tmp_path / 'vqkd.pth')
    torch.save({'state_dict': vqkd.state_dict()}, path)
    tokenizer = MODELS.build(dict(type='VQKDTokenizer', checkpoint=path,
                                  encoder_config=SMALL_VQKD_ENCODER, num_embed=64, embed_dims=8))
    tokenizer.adopt_input_normalization(*student_stats())
    codebook = tokenizer.tokenizer.quantize.embedding.weight.clone()
    x = torch.randn(2, 3, 32, 32)
    ids = tokenizer(x, (4, 4))
    assert ids.shape == (2, 16)
    assert torch.equal(tokenizer.tokenizer.quantize.embedding.weight, codebook)  # no k-means
    vqkd.quantize.embedding.initted.fill_(1)
    vqkd.eval()
    with torch.no_grad():
        expected = vqkd.get_tokens((x * 64 + 127.5 - 127.5) / 127.5)['token']
    assert torch.equal(ids, expected)


def beit_cfg(dalle_path, **backbone):
    return dict(type='BEiT', data_preprocessor=tiny_mae_cfg()['data_preprocessor'],
                backbone=dict(tiny_maskfeat_cfg()['backbone'], **backbone),
                target_generator=dict(type='DALLETokenizer', checkpoint=dalle_path,
                                      **SMALL_DALLE),
                head=dict(type='TokenClassificationHead', in_channels=32, num_tokens=64),
                masker=dict(type='BlockwiseMasker', mask_ratio=0.4, min_num_patches=2))


@pytest.mark.parametrize('proxies', [0, 4])
def test_beit_loss_is_cross_entropy_on_the_masked_tokens(dalle_path, proxies):
    model = MODELS.build(beit_cfg(dalle_path, num_proxy_tokens=proxies))
    model.init_weights()
    seen = {}
    model.masker.register_forward_hook(lambda m, a, out: seen.update(mask=out.mask))
    model.backbone.register_forward_hook(lambda m, a, out: seen.update(tokens=out))
    orig = model.backbone.encode
    model.backbone.encode = lambda *a, **k: seen.setdefault('enc', orig(*a, **k))
    x = torch.randn(2, 3, 32, 32)
    loss = model.loss(x, None)['loss_token']
    ids = model.target_generator(x, (4, 4))
    masked = seen['mask'].bool()
    logits = model.head.classifier(seen['enc'].every_patch()[masked])
    assert torch.allclose(loss, F.cross_entropy(logits, ids[masked]), atol=1e-6)
    assert not any('target_generator' in k for k in model.state_dict())


def test_beit_errors_name_the_tokenizer_file_and_the_vocabulary(dalle_path, tmp_path):
    cfg = beit_cfg(dalle_path)
    cfg['target_generator']['checkpoint'] = str(tmp_path / 'absent.pth')
    with pytest.raises(ConfigError, match='target_generator.checkpoint=.*DALL-E encoder weights'):
        MODELS.build(cfg)
    cfg = beit_cfg(dalle_path)
    cfg['head']['num_tokens'] = 8192
    with pytest.raises(ConfigError, match="model.head.num_tokens=8192 .*64 \\(the tokenizer's"):
        MODELS.build(cfg)
