# The setup of MixedAE's ablation studies (§4.4, Tab. 3): compose mixing, 300 epochs, base lr
# 1.5e-4 (x 4096 / 256; the main recipe's is 7.5e-5), everything else as the main recipe.
# Tab. 3's rows are this config with one change each: mixer.mix_ratio (3a),
# model.contrastive_features='pre_norm' (3b), contrastive_head.loss.positives='mean' (3c), k_ratio
# (3d), model.homologous_layers (3e), and the HomoAtt / HomoCon switches of 3f
# (homologous_layers=[], contrastive_head=None; the "HomoCon only" config drops the decoder).
_base_ = ['./mixedae_vit-base-p16_8xb512-amp-coslr-300e_in1k.py']
optim_wrapper = dict(optimizer=dict(lr=1.5e-4 * 4096 / 256))
