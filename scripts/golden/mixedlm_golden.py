#!/usr/bin/env python3
"""Golden cases for org.cytolake.stats (LinearMixedModel, CountGlm), fitted by statsmodels.

Writes core/src/test/resources/stats/golden/mixedlm.json and glm.json: for each case the seeded
data, the model spec in the Java DesignSpec's terms, and statsmodels' results (params, bse, z, p,
variance components, llf, contrasts), with the versions of statsmodels, numpy, scipy, pandas and
patsy. The JUnit test MixedModelGoldenTest / CountGlmGoldenTest reads these files; no Python is
needed at test time.

Run from the repository root with Debian's python3-statsmodels:

    apt-get install -y python3-statsmodels
    /usr/bin/python3 scripts/golden/mixedlm_golden.py

Conventions mirrored from the Java side, so that names and dropped columns line up:
- column names: "Intercept", "visit[T.D8]", "visit[T.D8]:cohort[T.SLE]", "age" (patsy's names with
  the "C(x, Treatment('ref'))" wrapper removed); levels sorted, the reference level first;
- aliased columns: taken in the Java order (Intercept, main terms in spec order, interactions), a
  column is dropped when its residual on the kept columns before it has norm <= 1e-7 times its own
  norm (all-zero columns included). statsmodels is then fitted on the reduced design, as MixedLM has
  no rank handling.

Every mixed-model case is also checked against an independent 1-D maximisation of statsmodels' own
profiled REML log-likelihood over the variance ratio gamma = s2_u / s2_e (scipy's bounded Brent):
the case records both and the script fails if statsmodels did not converge or landed elsewhere."""
import json
import math
import re
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import patsy
import scipy
import scipy.optimize
import statsmodels
import statsmodels.api as sm
import statsmodels.formula.api as smf

warnings.simplefilter("ignore")

OUT = Path(__file__).resolve().parents[2] / "core/src/test/resources/stats/golden"
ALIAS_TOL = 1e-7
VISITS = ["D1", "D8", "D15", "M1", "M3", "M6"]
COHORTS11 = ["RA", "AS", "SLE", "PsO", "Behcet", "GPA", "Takayasu", "Crohn", "UC", "AIH", "PSC"]


def versions():
    return {"statsmodels": statsmodels.__version__, "numpy": np.__version__,
            "scipy": scipy.__version__, "pandas": pd.__version__, "patsy": patsy.__version__,
            "python": sys.version.split()[0]}


# --------------------------------------------------------------------------------------------------
# Design: formula from the spec, Java column names and order, aliasing

def formula(spec, lhs):
    terms = []
    for t in spec["terms"]:
        if t["kind"] == "factor":
            terms.append("C(%s, Treatment('%s'))" % (t["name"], t["reference"]))
        elif t["kind"] == "covariate":
            terms.append(t["name"])
    for inter in spec.get("interactions", []):
        parts = []
        for f in inter:
            ref = next(t["reference"] for t in spec["terms"] if t["name"] == f)
            parts.append("C(%s, Treatment('%s'))" % (f, ref))
        terms.append(":".join(parts))
    return lhs + " ~ " + " + ".join(terms)


def java_name(patsy_name):
    return re.sub(r"C\((\w+), Treatment\('[^']*'\)\)", r"\1", patsy_name)


def java_order(spec, names):
    """Intercept, then main terms in spec order, then interactions in spec order (patsy's own column
    order within a term kept: the first factor varies fastest)."""
    def term_of(name):
        if name == "Intercept":
            return (0, 0)
        factors = tuple(re.sub(r"\[.*?\]", "", p) for p in name.split(":"))
        if len(factors) == 1:
            idx = [t["name"] for t in spec["terms"]].index(factors[0])
            return (1, idx)
        idx = [tuple(i) for i in spec.get("interactions", [])].index(factors)
        return (2, idx)
    return sorted(names, key=lambda n: (term_of(n), names.index(n)))


def aliased(X, names):
    """Sequential rule of DesignMatrix: drop a column whose residual on the kept ones is tiny."""
    kept, dropped = [], []
    for j, name in enumerate(names):
        x = X[:, j]
        norm = np.linalg.norm(x)
        if norm == 0:
            dropped.append(name)
            continue
        if kept:
            K = X[:, kept]
            coef, *_ = np.linalg.lstsq(K, x, rcond=None)
            resid = np.linalg.norm(x - K @ coef)
        else:
            resid = norm
        if resid <= ALIAS_TOL * norm:
            dropped.append(name)
        else:
            kept.append(j)
    return [names[j] for j in kept], dropped


def design(spec, df, lhs):
    f = formula(spec, lhs)
    y, X = patsy.dmatrices(f, df, return_type="dataframe")
    X.columns = [java_name(c) for c in X.columns]
    order = java_order(spec, list(X.columns))
    X = X[order]
    kept, dropped = aliased(X.values, order)
    return f, y.iloc[:, 0].values, X, kept, dropped


# --------------------------------------------------------------------------------------------------
# Data

def simulate_mixed(seed, cohorts, per_cohort, visits=VISITS, p_missing=0.0, sd_subject=0.6,
                   sd_resid=0.4, effects=None, age=False, sex=False, batch=False, one_obs=0,
                   drop_cells=()):
    """One row per patient x visit: a Treg-like % with a visit x cohort effect, a patient intercept
    and optional covariates; visits missing at random (baseline kept), `one_obs` patients of the
    first cohort keep only D1."""
    rng = np.random.default_rng(seed)
    effects = effects or {}
    rows = []
    for ci, cohort in enumerate(cohorts):
        n = per_cohort[ci] if isinstance(per_cohort, (list, tuple)) else per_cohort
        for s in range(n):
            subject = "%s-%02d" % (cohort, s + 1)
            u = rng.normal(0, sd_subject)
            a = float(np.round(rng.uniform(18, 70), 1))
            sx = "F" if rng.uniform() < 0.6 else "M"
            for vi, visit in enumerate(visits):
                if vi > 0 and rng.uniform() < p_missing:
                    continue
                if vi > 0 and ci == 0 and s < one_obs:
                    continue
                if (visit, cohort) in drop_cells:
                    continue
                mean = 5.0 + 0.2 * ci + effects.get(cohort, {}).get(visit, 0.0)
                if age:
                    mean += 0.02 * (a - 45)
                if sex and sx == "M":
                    mean -= 0.3
                row = {"subject": subject, "cohort": cohort, "visit": visit}
                if batch:
                    row["batch"] = "B%d" % (1 + (s + vi) % 3)
                    mean += {"B1": 0.0, "B2": 0.15, "B3": -0.1}[row["batch"]]
                row["y"] = float(np.round(mean + u + rng.normal(0, sd_resid), 6))
                if age:
                    row["age"] = a
                if sex:
                    row["sex"] = sx
                rows.append(row)
    return pd.DataFrame(rows)


def d8_effect(cohorts, size=1.0, null=()):
    """IL-2 pattern: Treg up at D8, back towards baseline later; no effect in the `null` cohorts."""
    shape = {"D1": 0.0, "D8": size, "D15": 0.7 * size, "M1": 0.4 * size, "M3": 0.3 * size,
             "M6": 0.2 * size}
    return {c: ({} if c in null else shape) for c in cohorts}


# --------------------------------------------------------------------------------------------------
# Mixed models

# statsmodels' loglike loses all accuracy below gamma ~ 1e-11 (log det of cov_re cancels against
# log det(cov_re^-1 + Z'Z)), so the independent check searches gamma >= 1e-10.
GAMMA_FLOOR = 1e-10


# statsmodels optimises over theta = sqrt(gamma), gamma = s2_u / s2_e. In 0.13.5 MixedLM.score in
# that parameterisation is the gradient with respect to |theta| (it re-derives theta from cov_re by
# a Cholesky factor), so its sign is wrong for theta < 0. From its default start theta = 1, L-BFGS
# can step to a negative theta, get an ascent direction, fail the line search and still report
# converged=True: in the boundary case it stopped at gamma = 0.00216 (REML llf -16.82849) while the
# maximum is at gamma = 0 (llf -16.81899). At theta = 0 itself statsmodels cannot evaluate (cov_re
# is singular). So L-BFGS-B is bounded to theta >= 1e-5 (gamma >= 1e-10): inactive in every interior
# case, and in the boundary case it puts gamma at 1e-10, where statsmodels' likelihood is still
# accurate.
SM_FIT = dict(pgtol=1e-12, factr=1.0, maxiter=20000, bounds=[(1e-5, None)])


def profile_check(model, packed_sm):
    """Independent maximisation of statsmodels' profiled REML log-likelihood over gamma."""
    def negll(g):
        return -model.loglike(np.array([math.sqrt(g)]))
    hi = 1.0
    while -negll(hi * 4) > -negll(hi) and hi < 1e8:
        hi *= 4
    res = scipy.optimize.minimize_scalar(negll, bounds=(GAMMA_FLOOR, hi * 4), method="bounded",
                                         options={"xatol": 1e-12, "maxiter": 2000})
    g_brent = float(res.x)
    g_sm = float(packed_sm[0] ** 2)
    return {"gamma_statsmodels": g_sm, "gamma_brent": g_brent,
            "llf_statsmodels": float(-negll(g_sm)), "llf_brent": float(-negll(g_brent))}


def contrast_rows(res, X, kept, contrasts):
    """Wald contrasts by statsmodels' t_test. A weight on a dropped column is allowed only when the
    contrast is estimable (L in the row space of the full design); it then equals L restricted to
    the kept columns, as the dropped coefficients can be taken as 0."""
    out = []
    names = list(X.columns)
    for label, weights in contrasts:
        full = np.zeros(len(names))
        for name, w in weights.items():
            full[names.index(name)] = w
        coef, *_ = np.linalg.lstsq(X.values.T, full, rcond=None)
        if np.linalg.norm(X.values.T @ coef - full) > 1e-8 * max(1.0, np.linalg.norm(full)):
            raise SystemExit("contrast %r is not estimable" % label)
        L = np.array([full[names.index(n)] for n in kept])
        tt = res.t_test(L[None, :])
        ci = tt.conf_int(alpha=0.05)[0]
        out.append({"label": label, "weights": weights,
                    "estimate": float(np.squeeze(tt.effect)), "se": float(np.squeeze(tt.sd)),
                    "z": float(np.squeeze(tt.tvalue)), "p": float(np.squeeze(tt.pvalue)),
                    "lower": float(ci[0]), "upper": float(ci[1])})
    return out


def fit_mixed(name, description, spec, df, contrasts):
    f, y, X, kept, dropped = design(spec, df, "y")
    Xk = X[kept]
    model = sm.MixedLM(y, Xk, groups=df["subject"].values, exog_re=np.ones((len(y), 1)))
    res = model.fit(reml=True, method=["lbfgs"], **SM_FIT)
    if not res.converged:
        raise SystemExit("statsmodels did not converge in case " + name)
    chk = profile_check(model, res.params_object.get_packed(use_sqrt=True, has_fe=False))
    # statsmodels' optimum must be the maximum of its own profiled REML likelihood
    if chk["llf_brent"] - chk["llf_statsmodels"] > 1e-9:
        raise SystemExit("statsmodels missed the REML optimum in case %s: %s" % (name, chk))
    # cross-check the formula interface gives the same fit (when nothing was dropped)
    if not dropped:
        fres = smf.mixedlm(f, df, groups="subject", re_formula="1").fit(
            reml=True, method=["lbfgs"], **SM_FIT)
        d = np.max(np.abs(np.sort(fres.fe_params.values) - np.sort(res.fe_params.values)))
        if d > 1e-6:
            raise SystemExit("formula and matrix interfaces disagree in case %s: %g" % (name, d))
    fe = res.fe_params
    result = {
        "converged": bool(res.converged),
        "params": {n: float(fe[n]) for n in kept},
        "bse": {n: float(res.bse_fe[n]) for n in kept},
        "tvalues": {n: float(res.tvalues[n]) for n in kept},
        "pvalues": {n: float(res.pvalues[n]) for n in kept},
        "cov_re": float(res.cov_re.iloc[0, 0]),
        "scale": float(res.scale),
        "llf": float(res.llf),
        "nobs": int(res.nobs),
        "ngroups": int(len(model.group_labels)),
        "profile_check": chk,
    }
    return {"name": name, "description": description, "formula": f, "spec": spec,
            "dropped": dropped, "data": df.to_dict(orient="list"), "result": result,
            "contrasts": contrast_rows(res, X, kept, contrasts)}


def within(visit, cohort, ref_cohort):
    w = {"visit[T.%s]" % visit: 1.0}
    if cohort != ref_cohort:
        w["visit[T.%s]:cohort[T.%s]" % (visit, cohort)] = 1.0
    return w


def pooled(visit, cohorts, ref_cohort):
    w = {"visit[T.%s]" % visit: 1.0}
    for c in cohorts:
        if c != ref_cohort:
            w["visit[T.%s]:cohort[T.%s]" % (visit, c)] = 1.0 / len(cohorts)
    return w


def spec_of(factors, covariates=(), interactions=(), order=None):
    terms = [{"kind": "factor", "name": n, "reference": r} for n, r in factors]
    terms += [{"kind": "covariate", "name": n} for n in covariates]
    if order:
        terms = sorted(terms, key=lambda t: order.index(t["name"]))
    return {"terms": terms, "interactions": [list(i) for i in interactions]}


VC = spec_of([("visit", "D1"), ("cohort", "RA")], interactions=[("visit", "cohort")])


def mixed_cases():
    cases = []
    c3 = ["RA", "SLE", "AS"]

    df = simulate_mixed(101, c3, 5, visits=VISITS[:4], effects=d8_effect(c3))
    cases.append(fit_mixed("balanced_3_cohorts", "3 cohorts x 5 patients x 4 visits, no missing",
                           VC, df, [("D8 vs D1 in RA", within("D8", "RA", "RA")),
                                    ("D8 vs D1 in SLE", within("D8", "SLE", "RA")),
                                    ("D8 vs D1 pooled", pooled("D8", sorted(c3), "RA"))]))

    df = simulate_mixed(102, c3, [6, 4, 5], p_missing=0.25, effects=d8_effect(c3))
    cases.append(fit_mixed("unbalanced_missing_visits",
                           "3 cohorts of 6/4/5 patients, 6 visits, 25% of post-baseline visits "
                           "missing",
                           VC, df, [("D15 vs D1 in AS", within("D15", "AS", "RA")),
                                    ("M6 vs D1 pooled", pooled("M6", sorted(c3), "RA"))]))

    df = simulate_mixed(104, c3, 5, visits=VISITS[:4], p_missing=0.2, effects=d8_effect(c3),
                        one_obs=2)
    cases.append(fit_mixed("single_observation_subjects",
                           "two RA patients with only the baseline sample, others with missing "
                           "visits",
                           VC, df, [("D8 vs D1 in RA", within("D8", "RA", "RA")),
                                    ("D8 vs D1 pooled", pooled("D8", sorted(c3), "RA"))]))

    df = simulate_mixed(113, c3, 5, visits=VISITS[:4], p_missing=0.1, effects=d8_effect(c3),
                        drop_cells=[("D15", "RA")])
    cases.append(fit_mixed("empty_reference_cell",
                           "no RA (reference cohort) sample at D15: visit[T.D15] is then the sum "
                           "of its two interactions, and the last, visit[T.D15]:cohort[T.SLE], is "
                           "dropped",
                           VC, df, [("D15 vs D1 in SLE", within("D15", "SLE", "RA")),
                                    ("D15 vs D1 in AS", within("D15", "AS", "RA")),
                                    ("D8 vs D1 pooled", pooled("D8", sorted(c3), "RA"))]))

    c4 = ["RA", "SLE", "AS", "GPA"]
    df = simulate_mixed(104, c4, [5, 4, 4, 1], visits=VISITS[:4], effects=d8_effect(c4))
    cases.append(fit_mixed("one_patient_cohort",
                           "GPA has a single patient; its visit effects rest on one patient",
                           VC, df, [("D8 vs D1 in GPA", within("D8", "GPA", "RA")),
                                    ("D8 vs D1 pooled", pooled("D8", sorted(c4), "RA"))]))

    df = simulate_mixed(105, c3, 5, visits=VISITS[:4], effects=d8_effect(c3, size=1.2, null=["AS"]))
    cases.append(fit_mixed("cohort_without_effect",
                           "AS has no visit effect, RA and SLE respond at D8",
                           VC, df, [("D8 vs D1 in AS", within("D8", "AS", "RA")),
                                    ("D8 vs D1 in SLE", within("D8", "SLE", "RA"))]))

    df = simulate_mixed(106, c3, 6, visits=VISITS[:4], p_missing=0.1, effects=d8_effect(c3),
                        age=True, sex=True, batch=True)
    spec = spec_of([("visit", "D1"), ("cohort", "RA"), ("sex", "F"), ("batch", "B1")], ["age"],
                   [("visit", "cohort")], order=["visit", "cohort", "age", "sex", "batch"])
    cases.append(fit_mixed("covariates_age_sex_batch",
                           "visit x cohort adjusted for age (numeric), sex and acquisition batch",
                           spec, df, [("D8 vs D1 in SLE", within("D8", "SLE", "RA")),
                                      ("age per year", {"age": 1.0})]))

    # Boundary: no patient effect in the data; the seed is one where REML puts s2_u at 0.
    df = simulate_mixed(BOUNDARY_SEED, c3, 4, visits=VISITS[:3], sd_subject=0.0,
                        effects=d8_effect(c3))
    cases.append(fit_mixed("boundary_zero_subject_variance",
                           "no between-patient variance in the data; REML estimate s2_u = 0",
                           VC, df, [("D8 vs D1 pooled", pooled("D8", sorted(c3), "RA"))]))

    per = [5, 4, 4, 4, 5, 4, 4, 4, 4, 4, 4]
    df = simulate_mixed(108, COHORTS11, per, p_missing=0.15,
                        effects=d8_effect(COHORTS11, null=["Crohn", "UC"]))
    cases.append(fit_mixed("transreg_11_cohorts",
                           "TRANSREG-like: 11 cohorts, 46 patients, 6 visits, 15% missing",
                           VC, df, [("D8 vs D1 in RA", within("D8", "RA", "RA")),
                                    ("D8 vs D1 in Crohn", within("D8", "Crohn", "RA")),
                                    ("D8 vs D1 pooled", pooled("D8", sorted(COHORTS11), "RA"))]))

    c2 = ["RA", "SLE"]
    df = simulate_mixed(109, c2, [4, 5], p_missing=0.1, effects=d8_effect(c2))
    spec = spec_of([("visit", "D1"), ("cohort", "RA")])
    cases.append(fit_mixed("two_cohorts_main_effects",
                           "2 cohorts, visit + cohort without interaction",
                           spec, df, [("D8 vs D1", {"visit[T.D8]": 1.0}),
                                      ("M6 vs D8", {"visit[T.M6]": 1.0, "visit[T.D8]": -1.0})]))

    df = simulate_mixed(110, c3, 5, visits=VISITS[:4], p_missing=0.1, effects=d8_effect(c3),
                        drop_cells=[("D15", "AS")])
    cases.append(fit_mixed("empty_cell_rank_deficient",
                           "no AS sample at D15: visit[T.D15]:cohort[T.AS] is all zero and dropped",
                           VC, df, [("D8 vs D1 in AS", within("D8", "AS", "RA")),
                                    ("D8 vs D1 pooled", pooled("D8", sorted(c3), "RA"))]))

    # Batch confounded with cohort: every SLE sample in batch B2, all others in B1.
    df = simulate_mixed(111, c3, 4, visits=VISITS[:3], effects=d8_effect(c3))
    df["batch"] = np.where(df["cohort"] == "SLE", "B2", "B1")
    spec = spec_of([("visit", "D1"), ("cohort", "RA"), ("batch", "B1")],
                   interactions=[("visit", "cohort")])
    cases.append(fit_mixed("confounded_batch_aliased",
                           "batch B2 = cohort SLE: batch[T.B2] aliases cohort[T.SLE] and is "
                           "dropped",
                           spec, df, [("D8 vs D1 in SLE", within("D8", "SLE", "RA"))]))

    df = simulate_mixed(112, ["RA"], 8, effects=d8_effect(["RA"]), p_missing=0.1, age=True)
    spec = spec_of([("visit", "D1")], ["age"])
    cases.append(fit_mixed("single_cohort_with_age",
                           "one cohort, 8 patients, visit + age",
                           spec, df, [("D8 vs D1", {"visit[T.D8]": 1.0})]))
    return cases


def find_boundary_seed():
    """First seed from 7000 on whose REML estimate of s2_u is exactly 0 (score at 0 is negative)."""
    for seed in range(7000, 7200):
        df = simulate_mixed(seed, ["RA", "SLE", "AS"], 4, visits=VISITS[:3], sd_subject=0.0,
                            effects=d8_effect(["RA", "SLE", "AS"]))
        _, y, X, kept, _ = design(VC, df, "y")
        model = sm.MixedLM(y, X[kept], groups=df["subject"].values, exog_re=np.ones((len(y), 1)))
        model.reml = True
        model.cov_pen = model.fe_pen = None
        model._cov_sing = 0
        if model.loglike(np.array([math.sqrt(GAMMA_FLOOR)])) > model.loglike(
                np.array([math.sqrt(1e-6)])):
            return seed
    raise SystemExit("no boundary seed found")


# --------------------------------------------------------------------------------------------------
# GLMs

def simulate_counts(seed, cohorts, per_cohort, visits, effect=0.6, sd_patient=0.3, alpha=0.05):
    """Per sample: parent (e.g. CD4) events, Treg events out of them with a patient effect and a
    D8 effect on the logit scale, gamma-Poisson overdispersed."""
    rng = np.random.default_rng(seed)
    rows = []
    for ci, cohort in enumerate(cohorts):
        for s in range(per_cohort):
            subject = "%s-%02d" % (cohort, s + 1)
            u = rng.normal(0, sd_patient)
            for vi, visit in enumerate(visits):
                total = int(rng.integers(2000, 30000))
                eta = -2.7 + 0.1 * ci + u + (effect if visit == "D8" else 0.0) \
                    + (0.5 * effect if visit == "D15" else 0.0)
                p = 1 / (1 + math.exp(-eta))
                mu = total * p * rng.gamma(1 / alpha, alpha)
                events = int(min(total, rng.poisson(mu)))
                rows.append({"subject": subject, "cohort": cohort, "visit": visit,
                             "events": events, "total": total})
    return pd.DataFrame(rows)


def glm_result(res, kept):
    return {"converged": bool(res.converged),
            "params": {n: float(res.params[n]) for n in kept},
            "bse": {n: float(res.bse[n]) for n in kept},
            "tvalues": {n: float(res.tvalues[n]) for n in kept},
            "pvalues": {n: float(res.pvalues[n]) for n in kept},
            "llf": float(res.llf), "deviance": float(res.deviance),
            "pearson_chi2": float(res.pearson_chi2), "nobs": int(res.nobs)}


def fit_glm(name, description, spec, df, family, alpha, contrasts):
    f, _, X, kept, dropped = design(spec, df.assign(y=0.0), "y")
    Xk = X[kept]
    kw = dict(maxiter=1000, tol=1e-13, tol_criterion="params")
    case = {"name": name, "description": description, "formula": f, "spec": spec,
            "family": family, "dropped": dropped, "data": df.to_dict(orient="list")}
    if family == "binomial":
        endog = np.column_stack([df["events"], df["total"] - df["events"]])
        res = sm.GLM(endog, Xk, family=sm.families.Binomial()).fit(**kw)
    else:
        offset = np.log(df["total"].values.astype(float))
        if alpha is None:
            nb = sm.NegativeBinomial(df["events"].values, Xk, offset=offset, loglike_method="nb2")
            nres = nb.fit(method="newton", maxiter=1000, tol=1e-14, disp=0)
            if not nres.mle_retvals["converged"]:
                raise SystemExit("discrete NegativeBinomial did not converge in case " + name)
            alpha_hat = float(nres.params["alpha"])
            case["alpha_estimated"] = {"alpha": alpha_hat, "llf": float(nres.llf),
                                       "params": {n: float(nres.params[n]) for n in kept},
                                       "bse_joint_observed": {n: float(nres.bse[n]) for n in kept},
                                       "converged": True}
            use_alpha = alpha_hat
        else:
            use_alpha = alpha
        case["alpha"] = alpha
        res = sm.GLM(df["events"].values, Xk, offset=offset,
                     family=sm.families.NegativeBinomial(alpha=use_alpha)).fit(**kw)
    if not res.converged:
        raise SystemExit("statsmodels GLM did not converge in case " + name)
    case["result"] = glm_result(res, kept)
    case["contrasts"] = contrast_rows(res, X, kept, contrasts)
    return case


def glm_cases():
    cases = []
    c3 = ["RA", "SLE", "AS"]
    v4 = VISITS[:4]
    df = simulate_counts(201, c3, 5, v4)
    cases.append(fit_glm("binomial_visit_by_cohort",
                         "Treg events out of CD4 events, visit x cohort, logit link", VC, df,
                         "binomial", None, [("D8 vs D1 in SLE", within("D8", "SLE", "RA")),
                                            ("D8 vs D1 pooled", pooled("D8", sorted(c3), "RA"))]))

    df = simulate_counts(202, ["RA"], 6, v4)
    spec = spec_of([("visit", "D1"), ("subject", "RA-01")])
    cases.append(fit_glm("binomial_patient_fixed_effects",
                         "paired design (edgeR/diffcyt-style): visit + patient fixed effects", spec,
                         df, "binomial", None, [("D8 vs D1", {"visit[T.D8]": 1.0})]))

    df = simulate_counts(203, c3, 5, v4, alpha=0.1)
    cases.append(fit_glm("negbin_alpha_given",
                         "NB2 with alpha = 0.1, offset log(total), visit x cohort", VC, df,
                         "negative_binomial", 0.1,
                         [("D8 vs D1 in AS", within("D8", "AS", "RA")),
                          ("D8 vs D1 pooled", pooled("D8", sorted(c3), "RA"))]))

    df = simulate_counts(204, ["RA", "SLE"], 5, v4, alpha=0.08)
    spec = spec_of([("visit", "D1"), ("subject", "RA-01")])
    cases.append(fit_glm("negbin_patient_fixed_effects",
                         "NB2 with alpha = 0.05, visit + patient fixed effects, offset log(total)",
                         spec, df, "negative_binomial", 0.05,
                         [("D8 vs D1", {"visit[T.D8]": 1.0}),
                          ("D15 vs D8", {"visit[T.D15]": 1.0, "visit[T.D8]": -1.0})]))

    df = simulate_counts(205, c3, 6, v4, alpha=0.12)
    spec = spec_of([("visit", "D1"), ("cohort", "RA")])
    cases.append(fit_glm("negbin_alpha_estimated",
                         "NB2 with alpha estimated by maximum likelihood (statsmodels' discrete "
                         "NegativeBinomial), then the GLM at that alpha", spec, df,
                         "negative_binomial", None, [("D8 vs D1", {"visit[T.D8]": 1.0})]))

    df = simulate_counts(206, c3, 4, v4)
    df = df[~((df["visit"] == "M1") & (df["cohort"] == "AS"))].reset_index(drop=True)
    cases.append(fit_glm("binomial_empty_cell",
                         "no AS sample at M1: visit[T.M1]:cohort[T.AS] is dropped", VC, df,
                         "binomial", None, [("D8 vs D1 in AS", within("D8", "AS", "RA"))]))
    return cases


def main():
    global BOUNDARY_SEED
    BOUNDARY_SEED = find_boundary_seed()
    OUT.mkdir(parents=True, exist_ok=True)
    meta = {"generator": "scripts/golden/mixedlm_golden.py", "versions": versions()}
    mixed = {**meta, "fit": "sm.MixedLM(y, X, groups=subject, exog_re=1).fit(reml=True, "
                            "method=['lbfgs'], pgtol=1e-12, factr=1.0, maxiter=20000, "
                            "bounds=[(1e-5, None)])",
             "cases": mixed_cases()}
    glm = {**meta, "fit": "sm.GLM(...).fit(maxiter=1000, tol=1e-13, tol_criterion='params'); "
                          "alpha estimated by sm.NegativeBinomial(loglike_method='nb2')"
                          ".fit(method='newton', tol=1e-14)",
           "cases": glm_cases()}
    for fname, doc in (("mixedlm.json", mixed), ("glm.json", glm)):
        with open(OUT / fname, "w") as fh:
            json.dump(doc, fh, indent=1, sort_keys=False)
            fh.write("\n")
    for c in mixed["cases"]:
        chk = c["result"]["profile_check"]
        print("%-32s n=%3d groups=%2d s2_u=%.6g gamma sm=%.10g brent=%.10g dropped=%s" % (
            c["name"], c["result"]["nobs"], c["result"]["ngroups"], c["result"]["cov_re"],
            chk["gamma_statsmodels"], chk["gamma_brent"], c["dropped"]))
    for c in glm["cases"]:
        print("%-32s n=%3d family=%s dropped=%s" % (c["name"], c["result"]["nobs"], c["family"],
                                                   c["dropped"]))


BOUNDARY_SEED = None

if __name__ == "__main__":
    main()
