import { journeyTasks } from './wiring.js';
import type { JourneyTasks } from './tasks.js';

/** Journey task `AwaitStep` (docs/ARCHITECTURE.md, "The journey contract"). */
export const handler = (event: Parameters<JourneyTasks['AwaitStep']>[0]) => journeyTasks().AwaitStep(event);
