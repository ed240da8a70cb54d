import { journeyTasks } from './deps.js';
import type { JourneyTasks } from './logic.js';

/** Journey task `NeedsAttention` (docs/ARCHITECTURE.md, "The journey contract"). */
export const handler = (event: Parameters<JourneyTasks['NeedsAttention']>[0]) =>
  journeyTasks().NeedsAttention(event);
