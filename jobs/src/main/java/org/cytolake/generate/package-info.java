/**
 * The synthetic trial generator ({@code cytolake generate}): a TRANSREG-like low-dose IL-2 trial
 * (FCS files, manifest, SDTM-like clinical CSVs, deliberately bad inputs) with its ground truth.
 *
 * <p>Facts come from {@code ../shared/TRIAL.md} and live in one place each: {@link
 * org.cytolake.generate.PanelModel} (populations, baseline shares, phenotypes, panels), {@link
 * org.cytolake.generate.EffectModel} (fold changes and the features of effects.csv), {@link
 * org.cytolake.generate.Cohort} (cohorts and disease scores), {@link org.cytolake.generate.Visit}
 * (schedule), {@code Instrument} (spillover, gains). {@link org.cytolake.generate.TrialGenerator}
 * runs it; the output contract is in {@code data-samples/README.md}.
 *
 * <p>{@link org.cytolake.generate.StimCytofStudy} ({@code generate --study stim-cytof}) writes
 * a second, minimal study that is not TRANSREG: healthy donors unstimulated and stimulated on one
 * CyTOF-like panel ({@link org.cytolake.generate.StimCytofModel}), with FCS files, a manifest and
 * DM only, for the configuration in {@code examples/stim-cytof/conf}.
 *
 * <p>Determinism: every random draw comes from a stream derived from the seed and a name (file,
 * patient, visit), so the output does not depend on thread count or scheduling; no clock is read.
 */
package org.cytolake.generate;
