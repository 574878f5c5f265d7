/**
 * The synthetic trial generator ({@code cytolake generate}): a TRANSREG-like low-dose IL-2 trial
 * (FCS files, manifest, SDTM-like clinical CSVs, deliberately bad inputs) with its ground truth.
 *
 * <p>Facts come from {@code ../shared/TRIAL.md} and live in one place each: {@link
 * org.cytolake.generate.PanelModel} (populations, baseline shares, phenotypes, panels), {@link
 * org.cytolake.generate.EffectModel} (fold changes and the features of effects.csv), {@link
 * org.cytolake.generate.Cohort} (cohorts and disease scores), {@link org.cytolake.generate.Visit}
 * (schedule), {@code Instrument} (spillover, gains, drift, setup change). {@link
 * org.cytolake.generate.TrialGenerator} runs it; the output contract is in {@code
 * data-samples/README.md} and the README's {@code generate} section.
 *
 * <p><b>Two models.</b> By default the trial is as hard as real data: {@code RealisticModel}
 * (skewed, heavy-tailed, untruncated marker levels with the Treg CD25/CD127/FOXP3 continua, dim
 * and transitional populations, spillover spreading, log-normal event counts, a wobbling flow
 * rate; every distribution with its source), {@code RealisticSimulator} (draws it), {@code
 * Instrument} (slow and daily gain drift, a 561-nm setup change that moves populations across
 * fixed gates) and {@code Anomaly} (clog, bubble and margin events in {@code --anomaly-fraction}
 * of the files, with per-event and per-file truth). With {@code --separable} ({@link
 * org.cytolake.generate.GenerateOptions#withSeparable}) {@link org.cytolake.generate.PanelModel}'s
 * separable model and {@code EventSimulator} draw every population in a bounded box that the
 * gates of {@code conf/gating} separate exactly, byte-identical to the generator before the
 * realistic model (data-samples is such a trial), for exact engine tests.
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
