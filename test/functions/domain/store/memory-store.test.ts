import { describe, expect, it } from 'vitest';
import { MemoryComplaintStore } from '../../../support/memory-store.js';
import { complaintStoreContract } from './contract.js';
import { createInput, newComplaint } from './fixtures.js';

complaintStoreContract('MemoryComplaintStore', async () => new MemoryComplaintStore());

describe('MemoryComplaintStore specifics', () => {
  it('hands out copies: changing a returned complaint changes nothing stored', async () => {
    const store = new MemoryComplaintStore();
    const { complaint } = await store.create(createInput());
    complaint.subject = 'changed';
    complaint.customer.name = 'changed';
    const read = await store.get(complaint.id);
    expect(read?.subject).not.toBe('changed');
    expect(read?.customer.name).not.toBe('changed');
  });

  it('issues a fresh reference when the random one is already taken', async () => {
    const store = new MemoryComplaintStore();
    const first = createInput();
    await store.create(first);
    const { complaint } = await store.create(
      createInput({ complaint: newComplaint({ id: first.complaint.id }) }),
    );
    expect(complaint.id).not.toBe(first.complaint.id);
  });
});
