import { notify } from '../commons/notifier.js';
import type { NotifyPort } from './logic.js';
export const p: NotifyPort = notify;
