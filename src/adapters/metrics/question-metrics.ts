import { Counter, type Registry } from 'prom-client';
import type { FeatureQuestions, QuestionSurface } from '../../agent/ports.js';
import { QUESTION_SURFACES } from './labels.js';

const PREFIX = 'license_agent_';

/** The per-feature label of a code the decisions do not list: what clients ask is unbounded. */
export const UNLISTED_FEATURE = '(unlisted)';

interface Tally {
  asked: number;
  denied: number;
}

export interface QuestionMetrics {
  readonly answered: FeatureQuestions;
  /**
   * The codes the decisions list now: each starts at zero, so the first denial of each is an
   * increase; a code no longer listed leaves no series, as in the decision gauges.
   */
  listed(codes: readonly string[]): void;
}

/**
 * Feature questions and denials, by surface and (with `perFeature`) by feature. Answering is the
 * hot path: an answer adds to plain numbers, and the counters take them over when scraped.
 */
export function createQuestionMetrics(registry: Registry, perFeature: boolean): QuestionMetrics {
  const bySurface = new Map<QuestionSurface, Tally>(
    QUESTION_SURFACES.map((surface) => [surface, { asked: 0, denied: 0 }]),
  );
  const byFeature = new Map<string, Tally>();
  const registers = [registry];

  const copy = (
    counter: Counter,
    label: string,
    tallies: ReadonlyMap<string, Tally>,
    field: keyof Tally,
  ): void => {
    // Counters cannot be set; the tallies only grow, so reset and add is the same as set.
    counter.reset();
    for (const [value, tally] of tallies) counter.inc({ [label]: value }, tally[field]);
  };

  new Counter({
    name: `${PREFIX}feature_questions_total`,
    help: 'Feature questions answered to local applications, by surface (api, ofrep).',
    labelNames: ['surface'],
    registers,
    collect() {
      copy(this, 'surface', bySurface, 'asked');
    },
  });
  new Counter({
    name: `${PREFIX}feature_denials_total`,
    help: 'Feature questions answered "not allowed", by surface (api, ofrep).',
    labelNames: ['surface'],
    registers,
    collect() {
      copy(this, 'surface', bySurface, 'denied');
    },
  });
  if (perFeature) {
    new Counter({
      name: `${PREFIX}feature_questions_by_feature_total`,
      help: `Feature questions answered, by feature code; codes the decisions do not list count as ${UNLISTED_FEATURE}.`,
      labelNames: ['feature'],
      registers,
      collect() {
        copy(this, 'feature', byFeature, 'asked');
      },
    });
    new Counter({
      name: `${PREFIX}feature_denials_by_feature_total`,
      help: `Feature questions answered "not allowed", by feature code; unlisted codes count as ${UNLISTED_FEATURE}.`,
      labelNames: ['feature'],
      registers,
      collect() {
        copy(this, 'feature', byFeature, 'denied');
      },
    });
  }

  const tallyOf = (code: string): Tally => {
    let tally = byFeature.get(code);
    if (tally === undefined) {
      tally = { asked: 0, denied: 0 };
      byFeature.set(code, tally);
    }
    return tally;
  };
  if (perFeature) tallyOf(UNLISTED_FEATURE);

  return {
    answered(surface, feature, allowed) {
      const total = bySurface.get(surface);
      if (total !== undefined) {
        total.asked++;
        if (!allowed) total.denied++;
      }
      if (!perFeature) return;
      const tally = tallyOf(feature ?? UNLISTED_FEATURE);
      tally.asked++;
      if (!allowed) tally.denied++;
    },
    listed(codes) {
      if (!perFeature) return;
      const now = new Set([...codes, UNLISTED_FEATURE]);
      for (const code of byFeature.keys()) if (!now.has(code)) byFeature.delete(code);
      for (const code of codes) tallyOf(code);
    },
  };
}
