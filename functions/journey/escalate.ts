import type { JourneyTasks } from './tasks.js';
import { journeyTasks } from './wiring.js';

/** Journey task `Escalate` (docs/ARCHITECTURE.md, "The journey contract"). */
export const handler = (event: Parameters<JourneyTasks['Escalate']>[0]) => journeyTasks().Escalate(event);
