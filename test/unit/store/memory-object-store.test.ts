import { MemoryObjectStore } from '../../../src/store/memory/memory-object-store.js';
import { objectStoreContract } from '../../helpers/object-store-contract.js';

objectStoreContract('memory', async () => new MemoryObjectStore('contract'));
