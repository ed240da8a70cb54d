import type { JourneyTasks } from './tasks.js';
import { journeyTasks } from './wiring.js';

/** Journey task `Notify` (docs/ARCHITECTURE.md, "The journey contract"). */
export const handler = (event: Parameters<JourneyTasks['Notify']>[0]) => journeyTasks().Notify(event);
