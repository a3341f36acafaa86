"""i-MAE's linear-separability metric (§3.2, Tab. 4): NRMSE, R² and cosine, Fore and Aft."""
import warnings
from typing import Dict

import numpy as np


def nrmse(pred: np.ndarray, target: np.ndarray) -> float:
    """Root-mean-square error over all elements, divided by the target's standard deviation.

    Args:
        pred (np.ndarray): (N, C) predicted features.
        target (np.ndarray): (N, C) reference features.

    Returns:
        float: 0 for a perfect prediction, ≈ 1 for predicting the mean.
    """
    return float(np.sqrt(np.mean((pred - target)**2)) / (np.std(target) + 1e-12))


def r2(pred: np.ndarray, target: np.ndarray) -> float:
    """Coefficient of determination per feature channel, averaged over channels.

    Args:
        pred (np.ndarray): (N, C).
        target (np.ndarray): (N, C).

    Returns:
        float: 1 for a perfect prediction, 0 for the channel means, < 0 worse.
    """
    from sklearn.metrics import r2_score  # scikit-learn (and SciPy) only where a metric runs
    return float(r2_score(target, pred, multioutput='uniform_average'))


def cosine_similarity(pred: np.ndarray, target: np.ndarray) -> float:
    """Mean over rows (patches) of the cosine similarity of pred and target.

    Args:
        pred (np.ndarray): (N, C).
        target (np.ndarray): (N, C).

    Returns:
        float: In [-1, 1].
    """
    num = (pred * target).sum(1)
    den = np.linalg.norm(pred, axis=1) * np.linalg.norm(target, axis=1) + 1e-12
    return float(np.mean(num / den))


def _scores(pred: np.ndarray, target: np.ndarray) -> Dict[str, float]:
    return dict(nrmse=nrmse(pred, target), r2=r2(pred, target),
                cosine=cosine_similarity(pred, target))


def linear_separability(train_x: np.ndarray, train_y: np.ndarray, val_x: np.ndarray,
                        val_y: np.ndarray, lasso_alpha: float = 1e-3,
                        max_iter: int = 2000) -> Dict[str, object]:
    """How well features x of mixed inputs match (linearly) reference features y.

    Pairs are patch-wise: row i of x and y describe the same patch of the same
    (subordinate) image, x from the mixed input, y from the clean one.

    - **Fore**: x compared with y directly on the val split (only when their
      widths match).
    - **Aft**: an ℓ1-regularised linear regressor (lasso) fitted from x to y
      on the train split predicts y from x on the val split.

    Args:
        train_x (np.ndarray): (N_train, C_x).
        train_y (np.ndarray): (N_train, C_y).
        val_x (np.ndarray): (N_val, C_x).
        val_y (np.ndarray): (N_val, C_y).
        lasso_alpha (float): ℓ1 weight of the lasso. Defaults to 1e-3.
        max_iter (int): Coordinate-descent iterations. Defaults to 2000.

    Returns:
        dict: ``{'fore': {nrmse, r2, cosine} or None, 'aft': {nrmse, r2, cosine},
        'lasso_converged': bool}`` (False: raise ``max_iter`` or ``lasso_alpha``).
    """
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import Lasso
    fore = _scores(val_x, val_y) if val_x.shape[1] == val_y.shape[1] else None
    lasso = Lasso(alpha=lasso_alpha, max_iter=max_iter)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always', ConvergenceWarning)
        lasso.fit(train_x.astype(np.float64), train_y.astype(np.float64))
    converged = not any(issubclass(w.category, ConvergenceWarning) for w in caught)
    aft = _scores(lasso.predict(val_x.astype(np.float64)), val_y)
    return dict(fore=fore, aft=aft, lasso_converged=converged)
