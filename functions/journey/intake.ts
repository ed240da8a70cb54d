import type { JourneyTasks } from './tasks.js';
import { journeyTasks } from './wiring.js';

/** Journey task `Intake` (docs/ARCHITECTURE.md, "The journey contract"). */
export const handler = (event: Parameters<JourneyTasks['Intake']>[0]) => journeyTasks().Intake(event);
