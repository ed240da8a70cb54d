import { journeyTasks } from './wiring.js';
import type { JourneyTasks } from './tasks.js';

/** Journey task `Intake` (docs/ARCHITECTURE.md, "The journey contract"). */
export const handler = (event: Parameters<JourneyTasks['Intake']>[0]) => journeyTasks().Intake(event);
