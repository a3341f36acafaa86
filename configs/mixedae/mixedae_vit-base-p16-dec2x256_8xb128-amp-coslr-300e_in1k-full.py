# MixedAE-Full* (§4.1, Tab. 1): full mixing mode (batch 1024, lr 7.5e-5 x 1024 / 256) with the
# lightweight decoder, 2 Transformer layers x 256 wide, built "for a fair comparison with BEiT"
# (similar pre-training overhead). 8 heads of 32 channels in the decoder (the paper gives only
# depth and width; docs/recipes.md).
_base_ = ['./mixedae_vit-base-p16_8xb128-amp-coslr-300e_in1k-full.py']
model = dict(neck=dict(decoder_embed_dim=256, decoder_depth=2, decoder_num_heads=8))
