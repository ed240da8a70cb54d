import { journeyTasks } from './wiring.js';
import type { JourneyTasks } from './tasks.js';

/** Journey task `Close` (docs/ARCHITECTURE.md, "The journey contract"). */
export const handler = (event: Parameters<JourneyTasks['Close']>[0]) => journeyTasks().Close(event);
