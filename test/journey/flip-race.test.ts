/**
 * Stage and step never disagree (issue 10): whenever a reader sees stage X, X's action is
 * accepted at once. Each action is sent the instant a poll of GET /complaints/{id} shows its
 * stage; over 40 journeys, 4 at a time, not one may be refused. While the customer decides,
 * the same poll shows `awaiting` and the proposal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor, Stage } from '../../functions/domain/model.js';
import type { ApiAction } from '../../functions/domain/steps/index.js';
import { AGENT, CUSTOMER, createJourneyWorld, DEPARTMENT, type JourneyWorld, SUPERVISOR } from './harness.js';

let w: JourneyWorld;
beforeAll(async () => {
  w = await createJourneyWorld('flip-race');
});
afterAll(async () => {
  await w?.close();
});

const JOURNEYS = 40;
const AT_ONCE = 4;
/** polls per stage before the test gives up (a bound, not a timing assertion) */
const MAX_POLLS = 5_000;

interface Move {
  stage: Stage;
  action: ApiAction;
  body: unknown;
  actor: Actor;
}

const MOVES: Move[] = [
  {
    stage: 'investigation',
    action: 'investigation',
    body: {
      valid: true,
      category: 'delivery',
      severity: 'general',
      department: 'after-sales',
      findings: 'Carrier delay confirmed.',
    },
    actor: AGENT,
  },
  { stage: 'proposal', action: 'proposal', body: { plan: 'Refund the shipping fee.' }, actor: DEPARTMENT },
  { stage: 'review', action: 'review', body: { approved: true }, actor: SUPERVISOR },
  { stage: 'customer_decision', action: 'decision', body: { accept: true }, actor: CUSTOMER },
  {
    stage: 'implementation',
    action: 'implementation',
    body: { result: 'Refunded.', basis: 'Delivery terms §4.' },
    actor: DEPARTMENT,
  },
  { stage: 'follow_up', action: 'survey', body: { rating: 5 }, actor: CUSTOMER },
];

interface Tally {
  actions: number;
  refused: { id: string; action: string; status: number; code?: string }[];
  /** polls that showed customer_decision without awaiting + proposal */
  decisionWithoutProposal: number;
}

async function drive(tally: Tally): Promise<void> {
  const id = await w.start();
  for (const move of MOVES) {
    let polls = 0;
    for (;;) {
      const seen = await w.view(id);
      const body = seen.body as { stage?: Stage; awaiting?: { action: string }; proposal?: unknown };
      if (body.stage === move.stage) {
        if (move.stage === 'customer_decision' && (body.awaiting?.action !== 'decision' || !body.proposal))
          tally.decisionWithoutProposal++;
        break;
      }
      if (++polls > MAX_POLLS) throw new Error(`${id} never reached ${move.stage} (at ${body.stage})`);
      await new Promise((r) => setImmediate(r));
    }
    tally.actions++;
    // a refusal is counted, then the action is sent again until the step takes it (bounded)
    for (let tries = 0; ; tries++) {
      const res = await w.post(id, move.action, move.body, move.actor);
      if (res.statusCode === 202) break;
      const code = (res.body as { error?: string } | undefined)?.error;
      tally.refused.push({ id, action: move.action, status: res.statusCode, ...(code ? { code } : {}) });
      if (res.statusCode !== 409 || tries >= MAX_POLLS) throw new Error(`${id}: ${move.action} refused`);
      await new Promise((r) => setImmediate(r));
    }
  }
  const done = await w.finish(id);
  expect(done.complaint.stage).toBe('closed');
}

describe('acting the instant the stage flips', () => {
  it(`${JOURNEYS} journeys, ${AT_ONCE} at a time: every action is accepted`, async () => {
    const tally: Tally = { actions: 0, refused: [], decisionWithoutProposal: 0 };
    let next = 0;
    const lanes = Array.from({ length: AT_ONCE }, async () => {
      while (next < JOURNEYS) {
        next++;
        await drive(tally);
      }
    });
    await Promise.all(lanes);
    console.info(
      'flip race: %d actions, %d refused, %d decision polls without the proposal',
      tally.actions,
      tally.refused.length,
      tally.decisionWithoutProposal,
    );
    const byAction: Record<string, number> = {};
    for (const r of tally.refused) byAction[r.action] = (byAction[r.action] ?? 0) + 1;
    console.info('flip race refusals by action: %s', JSON.stringify(byAction));
    expect(tally.refused).toEqual([]);
    expect(tally.decisionWithoutProposal).toBe(0);
    expect(tally.actions).toBe(JOURNEYS * MOVES.length);
  }, 600_000);
});
