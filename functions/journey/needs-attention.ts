import { journeyTasks } from './wiring.js';
import type { JourneyTasks } from './tasks.js';

/** Journey task `NeedsAttention` (docs/ARCHITECTURE.md, "The journey contract"). */
export const handler = (event: Parameters<JourneyTasks['NeedsAttention']>[0]) =>
  journeyTasks().NeedsAttention(event);
