import { journeyTasks } from './deps.js';
import type { JourneyTasks } from './logic.js';

/** Journey task `AwaitStep` (docs/ARCHITECTURE.md, "The journey contract"). */
export const handler = (event: Parameters<JourneyTasks['AwaitStep']>[0]) => journeyTasks().AwaitStep(event);
