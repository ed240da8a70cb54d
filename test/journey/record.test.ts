/**
 * Words never overwritten (issue 10): a journey through a return, a decline and a reopen keeps
 * every investigation, proposal version, review, decision, implementation and survey in order
 * in the staff view; the customer view holds only their words and what the company told them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerView, staffView } from '../../functions/domain/views.js';
import { AGENT, CUSTOMER, createJourneyWorld, DEPARTMENT, type JourneyWorld, SUPERVISOR } from './harness.js';

let w: JourneyWorld;
beforeAll(async () => {
  w = await createJourneyWorld('record');
});
afterAll(async () => {
  await w?.close();
});

describe('the record keeps every word', () => {
  it('return, decline and reopen: the staff view holds every word in order; the customer only theirs', async () => {
    const id = await w.start();
    await w.steps.investigate(id, { findings: 'Carrier delay confirmed.' });
    await w.act(id, 'AwaitProposal', ['proposal'], 'proposal', { plan: 'Plan A' }, DEPARTMENT);
    await w.act(
      id,
      'AwaitReview',
      ['review'],
      'review',
      { approved: false, comment: 'Too little.' },
      SUPERVISOR,
    );
    await w.act(id, 'AwaitProposal', ['proposal'], 'proposal', { plan: 'Plan B' }, DEPARTMENT);
    await w.act(id, 'AwaitReview', ['review'], 'review', { approved: true, comment: 'Fine.' }, SUPERVISOR);
    await w.act(
      id,
      'AwaitCustomerDecision',
      ['customer_decision'],
      'decision',
      { accept: false, comment: 'I want a refund.' },
      CUSTOMER,
    );
    await w.act(id, 'AwaitProposal', ['proposal'], 'proposal', { plan: 'Plan C' }, DEPARTMENT);
    await w.act(id, 'AwaitReview', ['review'], 'review', { approved: true }, SUPERVISOR);
    await w.act(id, 'AwaitCustomerDecision', ['customer_decision'], 'decision', { accept: true }, CUSTOMER);
    await w.act(
      id,
      'AwaitImplementation',
      ['implementation'],
      'implementation',
      { result: 'Refunded 20.', basis: 'Terms §4.' },
      DEPARTMENT,
    );
    await w.act(
      id,
      'AwaitFollowUp',
      ['follow_up'],
      'survey',
      { rating: 2, comment: 'Took too long.' },
      CUSTOMER,
    );
    await w.act(id, 'AwaitProposal', ['proposal'], 'proposal', { plan: 'Plan D' }, DEPARTMENT);
    await w.act(id, 'AwaitReview', ['review'], 'review', { approved: true }, SUPERVISOR);
    await w.act(id, 'AwaitCustomerDecision', ['customer_decision'], 'decision', { accept: true }, CUSTOMER);
    await w.act(
      id,
      'AwaitImplementation',
      ['implementation'],
      'implementation',
      { result: 'Voucher sent.', basis: 'Goodwill.', suggestions: 'Track the parcel.' },
      DEPARTMENT,
    );
    await w.act(id, 'AwaitFollowUp', ['follow_up'], 'survey', { rating: 5, comment: 'Thanks.' }, CUSTOMER);
    const done = await w.finish(id);
    expect(done.complaint.outcome).toBe('resolved');

    const staff = staffView(done.complaint, w.clock.now(), done.auditEvents);
    const words = (staff.record ?? []).map((e) => {
      const { at: _at, actor, ...rest } = e;
      return { ...rest, by: actor.kind === 'staff' ? actor.sub : actor.kind };
    });
    expect(words).toEqual([
      {
        kind: 'investigation',
        valid: true,
        category: 'delivery',
        severity: 'general',
        department: 'after-sales',
        findings: 'Carrier delay confirmed.',
        by: AGENT.kind === 'staff' ? AGENT.sub : '',
      },
      { kind: 'proposal', round: 1, plan: 'Plan A', by: 'dept-1' },
      { kind: 'review', round: 1, approved: false, comment: 'Too little.', by: 'sup-1' },
      { kind: 'proposal', round: 2, plan: 'Plan B', by: 'dept-1' },
      { kind: 'review', round: 2, approved: true, comment: 'Fine.', by: 'sup-1' },
      { kind: 'decision', round: 2, accept: false, comment: 'I want a refund.', by: 'customer' },
      { kind: 'proposal', round: 3, plan: 'Plan C', by: 'dept-1' },
      { kind: 'review', round: 3, approved: true, by: 'sup-1' },
      { kind: 'decision', round: 3, accept: true, by: 'customer' },
      { kind: 'implementation', result: 'Refunded 20.', basis: 'Terms §4.', by: 'dept-1' },
      { kind: 'survey', step: 'follow_up', rating: 2, by: 'customer', comment: 'Took too long.' },
      { kind: 'proposal', round: 4, plan: 'Plan D', by: 'dept-1' },
      { kind: 'review', round: 4, approved: true, by: 'sup-1' },
      { kind: 'decision', round: 4, accept: true, by: 'customer' },
      {
        kind: 'implementation',
        result: 'Voucher sent.',
        basis: 'Goodwill.',
        suggestions: 'Track the parcel.',
        by: 'dept-1',
      },
      { kind: 'survey', step: 'follow_up', rating: 5, by: 'customer', comment: 'Thanks.' },
    ]);
    // in time order
    const times = (staff.record ?? []).map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));

    const customer = customerView(done.complaint, done.auditEvents);
    expect(customer.messages.map(({ at: _at, ...m }) => m)).toEqual([
      { from: 'company', kind: 'proposal', plan: 'Plan B' },
      { from: 'customer', kind: 'decision', accept: false, comment: 'I want a refund.' },
      { from: 'company', kind: 'proposal', plan: 'Plan C' },
      { from: 'customer', kind: 'decision', accept: true },
      { from: 'company', kind: 'result', result: 'Refunded 20.', basis: 'Terms §4.' },
      { from: 'customer', kind: 'survey', rating: 2, comment: 'Took too long.' },
      { from: 'company', kind: 'proposal', plan: 'Plan D' },
      { from: 'customer', kind: 'decision', accept: true },
      {
        from: 'company',
        kind: 'result',
        result: 'Voucher sent.',
        basis: 'Goodwill.',
        suggestions: 'Track the parcel.',
      },
      { from: 'customer', kind: 'survey', rating: 5, comment: 'Thanks.' },
    ]);
    const shown = JSON.stringify(customer);
    for (const internal of ['Carrier delay confirmed.', 'Plan A', 'Too little.', 'Fine.', 'sup-1', 'dept-1'])
      expect(shown).not.toContain(internal);
    expect(customer).toMatchObject({
      language: 'en',
      description: 'The parcel came two weeks late.',
      acceptedPlan: { plan: 'Plan D', round: 3 },
    });
  });

  it('a rejected complaint: the customer view returns the opinion they were emailed, never the findings', async () => {
    const id = await w.start();
    await w.steps.investigate(id, {
      valid: false,
      findings: 'Customer misread the tracking page.',
      opinion: 'The parcel arrived on the promised date.',
    });
    const done = await w.finish(id);
    expect(done.complaint.outcome).toBe('rejected');
    const res = await w.view(id);
    expect(res.statusCode).toBe(200);
    const body = res.body as { opinion?: string; messages?: unknown[] };
    expect(body.opinion).toBe('The parcel arrived on the promised date.');
    expect(body.messages).toMatchObject([
      { from: 'company', kind: 'opinion', opinion: 'The parcel arrived on the promised date.' },
    ]);
    expect(JSON.stringify(res.body)).not.toContain('misread');
  });
});
