"""The separability metric: R² ≈ 1 for an exact linear map, ≈ 0 for independent features."""
import numpy as np
import pytest

from mimtoolkit.evaluation import cosine_similarity, linear_separability, nrmse, r2


def _features(n, c, seed):
    return np.random.default_rng(seed).standard_normal((n, c))


def test_identical_features_are_perfect_before_and_after():
    x = _features(400, 8, 0)
    res = linear_separability(x[:300], x[:300], x[300:], x[300:], lasso_alpha=1e-4)
    for stage in ('fore', 'aft'):
        assert res[stage]['r2'] == pytest.approx(1, abs=1e-3)
        assert res[stage]['cosine'] == pytest.approx(1, abs=1e-3)
        assert res[stage]['nrmse'] == pytest.approx(0, abs=0.02)


def test_exact_linear_map_is_recovered_by_the_lasso():
    x = _features(1200, 12, 1)
    w = np.random.default_rng(2).standard_normal((12, 12))
    y = x @ w
    res = linear_separability(x[:900], y[:900], x[900:], y[900:], lasso_alpha=1e-4)
    assert res['aft']['r2'] > 0.999 and res['aft']['nrmse'] < 0.05
    assert res['fore']['r2'] < 0.5  # not the same features before the fit


def test_independent_features_are_not_separable():
    x, y = _features(1200, 12, 3), _features(1200, 12, 4)
    res = linear_separability(x[:900], y[:900], x[900:], y[900:], lasso_alpha=1e-3)
    assert abs(res['aft']['r2']) < 0.05 and res['aft']['nrmse'] > 0.95
    assert abs(res['aft']['cosine']) < 0.2


def test_widths_may_differ_then_only_aft_is_defined():
    x, y = _features(300, 6, 5), _features(300, 4, 6)
    res = linear_separability(x[:200], y[:200], x[200:], y[200:])
    assert res['fore'] is None and set(res['aft']) == {'nrmse', 'r2', 'cosine'}
    assert res['lasso_converged']


def test_metric_definitions():
    y = np.array([[1., 2.], [3., 4.], [5., 0.]])
    assert nrmse(y, y) == 0 and r2(y, y) == 1 and cosine_similarity(y, y) == pytest.approx(1)
    assert r2(np.tile(y.mean(0), (3, 1)), y) == pytest.approx(0)
    assert cosine_similarity(-y, y) == pytest.approx(-1)
