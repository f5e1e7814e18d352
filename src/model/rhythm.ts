/**
 * The daily and weekly rhythm: how likely a user of each class is to be
 * online at a given moment, and from that how often sessions start and how
 * fast an online user acts so that the class sends its messages per day.
 *
 * Online users follow a target curve L(t) = users x q_class x r(t), where
 * r(t) is the relative activity of the local hour and weekday (1 at the peak)
 * and q_class is the chance of being online at the peak. Sessions start at
 * rate L(t) / mean session length (Little's law, applied hour by hour), so
 * the online count follows the curve with a lag of about one session.
 */
import type { Scenario } from '../scenario/grammar.js';
import { K } from './coefficients.js';

export interface Rhythm {
  /** Relative activity at a server time (s since Monday 00:00) for a zone offset (h): 0..1. */
  relativeActivity(timeSeconds: number, zoneHours: number): number;
  /** Chance that a user of each class is online at the busiest hour. */
  peakOnlineProbability: number[];
  /** Mean seconds online per day of a user of each class, over a week. */
  onlineSecondsPerDay: number[];
  /** Mean of r(t) over a week, over the simulated days (for scaling to a week). */
  meanActivityPerWeek: number;
}

export function buildRhythm(s: Scenario): Rhythm {
  const hourly = s.population.rhythm.hourlyWeights;
  const weekly = s.population.rhythm.weekdayWeights;
  const hourMax = Math.max(...hourly);
  const dayMax = Math.max(...weekly);
  const hourRel = hourly.map((w) => w / hourMax);
  const dayRel = weekly.map((w) => w / dayMax);

  const relativeActivity = (timeSeconds: number, zoneHours: number): number => {
    const localHours = timeSeconds / 3600 + zoneHours;
    const hourOfWeek = ((Math.floor(localHours) % 168) + 168) % 168;
    return hourRel[hourOfWeek % 24]! * dayRel[Math.floor(hourOfWeek / 24)]!;
  };

  // Chance of being online at the peak per class: q_c = min(1, x * propensity_c),
  // with x chosen so that the population's peak online share is met (bisection;
  // the min() caps make it non-linear).
  const classes = s.population.classes;
  const target = s.population.peakOnlineShare;
  const shareAt = (x: number) => classes.reduce((sum, c) => sum + c.share * Math.min(1, x * c.onlinePropensity), 0);
  let lo = 0;
  let hi = 1;
  while (shareAt(hi) < target && hi < 1e9) hi *= 2;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (shareAt(mid) < target) lo = mid;
    else hi = mid;
  }
  const peakOnlineProbability = classes.map((c) => Math.min(1, hi * c.onlinePropensity));

  let weekSum = 0;
  for (let d = 0; d < 7; d++) for (let h = 0; h < 24; h++) weekSum += hourRel[h]! * dayRel[d]!;
  const meanActivityPerWeek = weekSum / 168;
  const onlineSecondsPerDay = peakOnlineProbability.map((q) => q * meanActivityPerWeek * 86400);

  return { relativeActivity, peakOnlineProbability, onlineSecondsPerDay, meanActivityPerWeek };
}

/**
 * Mean of r(t) over the simulated days, so per-day totals of a run that does
 * not cover whole weeks can be scaled to a weekly average day.
 */
export function meanActivityOver(rhythm: Rhythm, days: number, zones: readonly number[]): number {
  const hours = Math.max(1, Math.round(days * 24));
  let sum = 0;
  for (const z of zones) for (let h = 0; h < hours; h++) sum += rhythm.relativeActivity(h * 3600 + 1800, z);
  return sum / (hours * zones.length);
}

/** Seconds in an average month. */
export const SECONDS_PER_MONTH = K.averageDaysPerMonth * 86400;
