import { journeyTasks } from './deps.js';
import type { JourneyTasks } from './logic.js';

/** Journey task `Record` (docs/ARCHITECTURE.md, "The journey contract"). */
export const handler = (event: Parameters<JourneyTasks['Record']>[0]) => journeyTasks().Record(event);
