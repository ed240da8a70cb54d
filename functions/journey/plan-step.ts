import type { JourneyTasks } from './tasks.js';
import { journeyTasks } from './wiring.js';

/** Journey task `PlanStep` (docs/ARCHITECTURE.md, "The journey contract"). */
export const handler = (event: Parameters<JourneyTasks['PlanStep']>[0]) => journeyTasks().PlanStep(event);
