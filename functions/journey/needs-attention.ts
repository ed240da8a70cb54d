import type { JourneyTasks } from './tasks.js';
import { journeyTasks } from './wiring.js';

/** Journey task `NeedsAttention` (docs/ARCHITECTURE.md, "The journey contract"). */
export const handler = (event: Parameters<JourneyTasks['NeedsAttention']>[0]) =>
  journeyTasks().NeedsAttention(event);
