import { MemoryImprovementStore } from '../../../support/memory-improvement-store.js';
import { improvementStoreContract } from './contract.js';

improvementStoreContract('MemoryImprovementStore', async () => new MemoryImprovementStore());
