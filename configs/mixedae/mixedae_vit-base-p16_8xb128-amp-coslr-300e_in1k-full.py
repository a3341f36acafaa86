# MixedAE ViT-B/16, full mode (1/r mixed samples per group, each with its own mixing mask, so
# the encoder sees B samples): batch 1024 as in the paper, lr scaled by batch / 256.
_base_ = ['./mixedae_vit-base-p16_8xb512-amp-coslr-300e_in1k.py']
model = dict(mixer=dict(mode='full'))
train_dataloader = dict(batch_size=128)
optim_wrapper = dict(optimizer=dict(lr=7.5e-5 * 1024 / 256))
auto_scale_lr = dict(base_batch_size=1024)
