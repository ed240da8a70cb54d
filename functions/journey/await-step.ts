import type { JourneyTasks } from './tasks.js';
import { journeyTasks } from './wiring.js';

/** Journey task `AwaitStep` (docs/ARCHITECTURE.md, "The journey contract"). */
export const handler = (event: Parameters<JourneyTasks['AwaitStep']>[0]) => journeyTasks().AwaitStep(event);
