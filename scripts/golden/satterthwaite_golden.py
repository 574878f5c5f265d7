#!/usr/bin/env python3
"""Golden Satterthwaite degrees of freedom for org.cytolake.stats.SatterthwaiteDf.

Writes core/src/test/resources/stats/golden/satterthwaite.json: for every mixed-model case of
mixedlm.json (same data, spec and contrasts) and for a few more unbalanced ones (missing visits,
unequal cohort sizes, between-patient contrasts), the REML fit by statsmodels MixedLM and the
Satterthwaite df of each contrast computed here by a route independent of the Java code:

- REML fit: statsmodels MixedLM, exactly as mixedlm_golden.py fits it (L-BFGS-B bounded at
  sqrt(s2_u / s2_e) >= 1e-5); theta_hat = (s2_u, s2_e) = (cov_re, scale).
- REML log-likelihood in theta, written here with dense numpy matrices (V = s2_u Z Z' + s2_e I,
  l = -1/2 [log|V| + log|X' V^-1 X| + r' V^-1 r + (n - p) log 2 pi]), and checked to equal
  statsmodels' llf at its estimate (the full and the profiled REML agree at the optimum).
- A = inverse of the Hessian of -l in theta: numerical, central differences with step
  h_i = 1e-3 theta_i, Richardson-extrapolated over h and h/2 (error O(h^4)).
- g = gradient of c' Phi(theta) c, Phi = (X' V^-1 X)^-1: numerical, the same Richardson central
  differences.
- df = 2 (c' Phi c)^2 / (g' A g).
- Boundary (statsmodels' s2_u at its 1e-10 floor, i.e. REML puts s2_u at 0; or no subject with two
  samples): s2_u is held at 0 and only s2_e is free (the same numerical route in one dimension),
  which gives n - p.
- The balanced two-visit paired design, where df must be n - 1: checked here, and the script
  fails if not.

The JUnit test SatterthwaiteGoldenTest reads the file; no Python is needed at test time. Run from
the repository root with Debian's python3-statsmodels (0.13.5):

    apt-get install -y python3-statsmodels python3-scipy
    /usr/bin/python3 scripts/golden/satterthwaite_golden.py
"""
import json
import math
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import statsmodels.api as sm

sys.path.insert(0, str(Path(__file__).resolve().parent))
import mixedlm_golden as mg  # noqa: E402  (design, data simulation and contrasts of the cases)

warnings.simplefilter("ignore")

OUT = mg.OUT / "satterthwaite.json"
MIXED = mg.OUT / "mixedlm.json"
STEP = 1e-3


def reml_loglike(theta, y, X, groups):
    """REML log-likelihood at theta = (s2_u, s2_e), dense, with statsmodels' constants."""
    s2u, s2e = theta
    n, p = X.shape
    Z = (groups[:, None] == np.unique(groups)[None, :]).astype(float)
    V = s2u * Z @ Z.T + s2e * np.eye(n)
    Vi = np.linalg.inv(V)
    M = X.T @ Vi @ X
    beta = np.linalg.solve(M, X.T @ Vi @ y)
    r = y - X @ beta
    _, logdet_v = np.linalg.slogdet(V)
    _, logdet_m = np.linalg.slogdet(M)
    return -0.5 * (logdet_v + logdet_m + r @ Vi @ r + (n - p) * math.log(2 * math.pi))


def phi(theta, X, groups):
    s2u, s2e = theta
    n = X.shape[0]
    Z = (groups[:, None] == np.unique(groups)[None, :]).astype(float)
    V = s2u * Z @ Z.T + s2e * np.eye(n)
    return np.linalg.inv(X.T @ np.linalg.solve(V, X))


def richardson(f, h):
    """(4 f(h/2) - f(h)) / 3 for a central difference f of error O(h^2)."""
    return (4 * f(h / 2) - f(h)) / 3


def gradient(fun, theta, free):
    g = np.zeros(len(theta))
    for i in free:
        def central(h, i=i):
            e = np.zeros(len(theta))
            e[i] = h
            return (fun(theta + e) - fun(theta - e)) / (2 * h)
        g[i] = richardson(central, STEP * theta[i])
    return g


def hessian(fun, theta, free):
    k = len(free)
    H = np.zeros((k, k))
    for a, i in enumerate(free):
        for b, j in enumerate(free):
            if b < a:
                H[a, b] = H[b, a]
                continue

            def central(h_scale, i=i, j=j):
                hi = h_scale * theta[i]
                hj = h_scale * theta[j]
                ei = np.zeros(len(theta))
                ej = np.zeros(len(theta))
                ei[i] = hi
                ej[j] = hj
                return (fun(theta + ei + ej) - fun(theta + ei - ej) - fun(theta - ei + ej)
                        + fun(theta - ei - ej)) / (4 * hi * hj)
            H[a, b] = richardson(central, STEP)
    return H


def satterthwaite(y, X, groups, s2u, s2e, L, boundary):
    theta = np.array([s2u, s2e])
    free = [1] if boundary else [0, 1]
    negll = lambda t: -reml_loglike(t, y, X, groups)  # noqa: E731
    H = hessian(negll, theta, free)
    A = np.linalg.inv(H)
    out = []
    for l in L:
        v = float(l @ phi(theta, X, groups) @ l)
        g = gradient(lambda t: l @ phi(t, X, groups) @ l, theta, free)[free]
        out.append({"variance": v, "gradient": [float(x) for x in g],
                    "df": float(2 * v * v / (g @ A @ g))})
    return out, H


def kept_weights(X, kept, weights):
    names = list(X.columns)
    full = np.zeros(len(names))
    for name, w in weights.items():
        full[names.index(name)] = w
    return np.array([full[names.index(n)] for n in kept])


def case(name, description, spec, df, contrasts, expect_df=None):
    f, y, X, kept, dropped = mg.design(spec, df, "y")
    Xk = X[kept].values
    groups = np.asarray(df["subject"].values)
    model = sm.MixedLM(y, Xk, groups=groups, exog_re=np.ones((len(y), 1)))
    res = model.fit(reml=True, method=["lbfgs"], **mg.SM_FIT)
    if not res.converged:
        raise SystemExit("statsmodels did not converge in case " + name)
    s2u = float(np.asarray(res.cov_re)[0, 0])
    s2e = float(res.scale)
    repeated = pd.Series(groups).value_counts().max() > 1
    boundary = (s2u <= 2 * mg.GAMMA_FLOOR * s2e) or not repeated
    llf_here = reml_loglike((0.0 if boundary else s2u, s2e), y, Xk, groups)
    if abs(llf_here - res.llf) > 1e-6 * abs(res.llf):
        raise SystemExit("REML log-likelihood here %.12g, statsmodels %.12g in case %s"
                         % (llf_here, res.llf, name))
    L = [kept_weights(X, kept, w) for _, w in contrasts]
    rows, H = satterthwaite(y, Xk, groups, 0.0 if boundary else s2u, s2e, L, boundary)
    n, p = Xk.shape
    out = []
    for (label, w), r in zip(contrasts, rows):
        if boundary and abs(r["df"] - (n - p)) > 1e-6 * (n - p):
            raise SystemExit("boundary case %s: df %.10g, not n - p = %d" % (name, r["df"], n - p))
        if expect_df is not None and abs(r["df"] - expect_df) > 1e-6 * expect_df:
            raise SystemExit("case %s '%s': df %.10g, expected %g"
                             % (name, label, r["df"], expect_df))
        out.append({"label": label, "weights": w, **r})
    return {"name": name, "description": description, "formula": f, "spec": spec,
            "dropped": dropped, "data": df.to_dict(orient="list"),
            "result": {"s2_u": 0.0 if boundary else s2u, "s2_e": s2e,
                       "s2_u_statsmodels": s2u, "boundary": bool(boundary),
                       "llf": float(res.llf), "nobs": int(n), "fixed_effects": int(p),
                       "information": H.tolist()},
            "contrasts": out}


def from_mixedlm():
    cases = []
    for c in json.load(open(MIXED))["cases"]:
        df = pd.DataFrame(c["data"])
        contrasts = [(k["label"], k["weights"]) for k in c["contrasts"]]
        cases.append(case(c["name"], c["description"] + " (as mixedlm.json)", c["spec"], df,
                          contrasts))
    return cases


def paired():
    """Two visits, no other effect: Satterthwaite's df is the paired t-test's n - 1."""
    rng = np.random.default_rng(301)
    rows = []
    for s in range(7):
        u = rng.normal(0, 1.0)
        for visit, effect in (("D1", 0.0), ("D8", 0.5)):
            rows.append({"subject": "P%02d" % s, "visit": visit,
                         "y": float(np.round(10 + u + effect + rng.normal(0, 0.4), 6))})
    spec = mg.spec_of([("visit", "D1")])
    return case("paired_two_visits", "7 patients at D1 and D8, visit only: the paired t-test",
                spec, pd.DataFrame(rows), [("D8 vs D1", {"visit[T.D8]": 1.0})], expect_df=6)


def unbalanced():
    c3 = ["RA", "SLE", "AS"]
    cases = []
    df = mg.simulate_mixed(401, c3, [7, 3, 5], p_missing=0.3, effects=mg.d8_effect(c3))
    cases.append(case("unequal_cohorts_missing_visits",
                      "3 cohorts of 7/3/5 patients, 6 visits, 30% of post-baseline visits missing",
                      mg.VC, df,
                      [("D8 vs D1 in RA", mg.within("D8", "RA", "RA")),
                       ("D8 vs D1 in SLE", mg.within("D8", "SLE", "RA")),
                       ("M6 vs D1 in AS", mg.within("M6", "AS", "RA")),
                       ("D8 vs D1 pooled", mg.pooled("D8", sorted(c3), "RA")),
                       ("SLE vs RA at D1", {"cohort[T.SLE]": 1.0}),
                       ("AS vs SLE at D1", {"cohort[T.AS]": 1.0, "cohort[T.SLE]": -1.0}),
                       ("intercept", {"Intercept": 1.0})]))

    c2 = ["RA", "SLE"]
    df = mg.simulate_mixed(402, c2, [6, 3], visits=mg.VISITS[:4], p_missing=0.35,
                           effects=mg.d8_effect(c2), sd_subject=0.5, sd_resid=0.5)
    cases.append(case("main_effects_heavy_missing",
                      "2 cohorts of 6/3 patients, 4 visits, 35% missing, visit + cohort",
                      mg.spec_of([("visit", "D1"), ("cohort", "RA")]), df,
                      [("D8 vs D1", {"visit[T.D8]": 1.0}),
                       ("M1 vs D8", {"visit[T.M1]": 1.0, "visit[T.D8]": -1.0}),
                       ("SLE vs RA", {"cohort[T.SLE]": 1.0})]))

    c4 = ["RA", "SLE", "AS", "GPA"]
    df = mg.simulate_mixed(403, c4, [5, 4, 2, 3], visits=mg.VISITS[:4], p_missing=0.25,
                           effects=mg.d8_effect(c4), age=True, one_obs=1)
    spec = mg.spec_of([("visit", "D1"), ("cohort", "RA")], ["age"], [("visit", "cohort")],
                      order=["visit", "cohort", "age"])
    cases.append(case("unequal_cohorts_age_single_sample",
                      "4 cohorts of 5/4/2/3 patients, one RA patient with only D1, 25% missing, "
                      "visit x cohort + age",
                      spec, df,
                      [("D8 vs D1 in GPA", mg.within("D8", "GPA", "RA")),
                       ("D15 vs D1 pooled", mg.pooled("D15", sorted(c4), "RA")),
                       ("age per year", {"age": 1.0})]))
    return cases


def main():
    cases = from_mixedlm() + [paired()] + unbalanced()
    doc = {"generator": "scripts/golden/satterthwaite_golden.py", "versions": mg.versions(),
           "method": "REML by statsmodels MixedLM (as mixedlm.json); df = 2 (c'Phi c)^2 / "
                     "(g' A g) with A the inverse of a numerical (Richardson central-difference, "
                     "step 1e-3 theta) Hessian of the dense numpy REML log-likelihood in "
                     "(s2_u, s2_e) and g a numerical gradient of c'Phi c; s2_u held at 0 at the "
                     "boundary",
           "cases": cases}
    with open(OUT, "w") as fh:
        json.dump(doc, fh, indent=1)
        fh.write("\n")
    for c in cases:
        r = c["result"]
        print("%-36s n=%3d p=%2d s2_u=%-11.5g s2_e=%-10.5g %s" % (
            c["name"], r["nobs"], r["fixed_effects"], r["s2_u"], r["s2_e"],
            "boundary" if r["boundary"] else ""))
        for k in c["contrasts"]:
            print("    %-24s df=%.8g" % (k["label"], k["df"]))


if __name__ == "__main__":
    main()
