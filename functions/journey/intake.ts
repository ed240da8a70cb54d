import { journeyTasks } from './deps.js';
import type { JourneyTasks } from './logic.js';

/** Journey task `Intake` (docs/ARCHITECTURE.md, "The journey contract"). */
export const handler = (event: Parameters<JourneyTasks['Intake']>[0]) => journeyTasks().Intake(event);
