# MR-MAE Tab. 4, "CLIP/DINO (Sep.)": MR-MAE pretrained once with the CLIP teacher
# (mrmae_vit-base-p16_8xb128-amp-coslr-400e_in1k.py) and once with the DINO teacher (..._dino.py),
# each fine-tuned with vit-base-p16_8xb128-coslr-100e-ft_in1k.py, then evaluated as one model:
# the mean of the two classifiers' softmax scores (§4.3: "separately pre-train and fine-tune
# MR-MAE with different high-level targets then ensemble the two models"; how the two are
# combined is not said: averaging probabilities is our choice, docs/recipes.md). Evaluation
# only: join the two fine-tuned checkpoints, then test:
#   python tools/model_converters/ensemble_checkpoint.py CLIP_FT.pth DINO_FT.pth --out E.pth
#   python tools/test.py THIS E.pth
_base_ = ['./vit-base-p16_8xb128-coslr-100e-ft_in1k.py']
model = dict(
    _delete_=True,
    type='ClassifierEnsemble',
    data_preprocessor={{_base_.model.data_preprocessor}},
    members=[{{_base_.model}}, {{_base_.model}}])
